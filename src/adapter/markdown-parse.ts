/**
 * The parsing half of the tiny Markdown renderer (see `markdown.ts` for the choices it makes): blocks
 * (paragraphs, headings, lists, fenced code) and inlines (escapes, code spans, links, autolinks, emphasis).
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'paragraph'; lines: Inline[][] }
  | { type: 'heading'; content: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'code'; text: string };

/** Link targets kept; anything else (javascript:, data:, vbscript:) is shown as its text. */
export const SAFE_LINK = /^(https?:\/\/|mailto:|sip:)/i;
const LIST_ITEM = /^ {0,3}([-*+]|(\d{1,9})[.)])\s+(.*)$/;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}```/;
const ESCAPABLE = /[\\`*_[\]()<>#!.+\-{}|~]/;

/** Splits Markdown into blocks: fenced code, headings, lists (with indented continuation lines), paragraphs. */
export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
    } else if (FENCE.test(line)) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !FENCE.test(lines[i]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ type: 'code', text: body.join('\n') });
    } else if (HEADING.test(line)) {
      blocks.push({ type: 'heading', content: parseInline(HEADING.exec(line)![1]!) });
      i++;
    } else if (LIST_ITEM.test(line)) {
      const first = LIST_ITEM.exec(line)!;
      const ordered = first[2] !== undefined;
      const items: string[] = [];
      while (i < lines.length) {
        const m = LIST_ITEM.exec(lines[i]!);
        if (m && (m[2] !== undefined) === ordered) items.push(m[3]!);
        else if (m || lines[i]!.trim() === '' || !/^\s+/.test(lines[i]!)) break;
        else items[items.length - 1] += ` ${lines[i]!.trim()}`; // an indented continuation line
        i++;
      }
      blocks.push({ type: 'list', ordered, start: ordered ? Number(first[2]) : 1, items: items.map(parseInline) });
    } else {
      const para: Inline[][] = [];
      while (i < lines.length && lines[i]!.trim() !== '' && !FENCE.test(lines[i]!) && !HEADING.test(lines[i]!) && !LIST_ITEM.test(lines[i]!)) {
        para.push(parseInline(lines[i]!.trim()));
        i++;
      }
      blocks.push({ type: 'paragraph', lines: para });
    }
  }
  return blocks;
}

/** Inline parser: backslash escapes, code spans, links, autolinks, `**strong**`, `*em*`, `_em_`. */
export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = (): void => {
    if (buf) out.push({ type: 'text', text: buf });
    buf = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const rest = source.slice(i);
    if (c === '\\' && i + 1 < source.length && ESCAPABLE.test(source[i + 1]!)) {
      buf += source[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)![0];
      const end = source.indexOf(run, i + run.length);
      if (end > i) {
        flush();
        out.push({ type: 'code', text: source.slice(i + run.length, end).trim() || source.slice(i + run.length, end) });
        i = end + run.length;
        continue;
      }
      buf += run;
      i += run.length;
      continue;
    }
    const link = /^\[((?:\\.|[^\]\\])*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?\s*\)/.exec(rest) ?? /^<((?:https?:\/\/|mailto:|sip:)[^\s>]+)>/i.exec(rest);
    if (link) {
      const isAutolink = c === '<';
      const href = isAutolink ? link[1]! : link[2]!;
      const children = isAutolink ? [{ type: 'text' as const, text: href }] : parseInline(link[1]!);
      flush();
      if (SAFE_LINK.test(href)) out.push({ type: 'link', href, children });
      else out.push(...children);
      i += link[0].length;
      continue;
    }
    if (c === '*' || c === '_') {
      const emphasis = matchEmphasis(source, i);
      if (emphasis) {
        flush();
        out.push(emphasis.node);
        i = emphasis.end;
        continue;
      }
      const run = c === '*' ? /^\*+/.exec(rest)![0] : /^_+/.exec(rest)![0];
      buf += run;
      i += run.length;
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

function matchEmphasis(source: string, start: number): { node: Inline; end: number } | undefined {
  const marker = source[start]!;
  const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  if (marker === '_' && isWordChar(source[start - 1])) return undefined;
  for (const width of [2, 1]) {
    const delim = marker.repeat(width);
    if (source.slice(start, start + width) !== delim) continue;
    const open = start + width;
    if (open >= source.length || /\s/.test(source[open]!)) continue;
    let close = source.indexOf(delim, open + 1);
    while (close !== -1) {
      const before = source[close - 1]!;
      const after = source[close + width];
      const okAfter = marker === '*' || !isWordChar(after);
      if (!/\s/.test(before) && before !== '\\' && okAfter && !(width === 1 && after === marker)) {
        const children = parseInline(source.slice(open, close));
        return { node: { type: width === 2 ? 'strong' : 'em', children }, end: close + width };
      }
      close = source.indexOf(delim, close + 1);
    }
  }
  return undefined;
}
