/**
 * A deliberately tiny Markdown renderer for bot replies (no `marked` in the dependency set, and a bot's
 * Markdown is small: bold, italics, code, links, lists, headings, paragraphs). It renders to two targets
 * from one parse, so the HTML message and its plain-text fallback always say the same thing.
 *
 * Choices (documented in the README mapping table):
 * - A single newline is a line break (`<br>`), not CommonMark's soft break: chat users type lines, not prose.
 * - `_` emphasis needs word boundaries (`snake_case_name` stays as is); `*` emphasis does not.
 * - Headings become bold paragraphs (Skype clients have no heading styles).
 * - Links keep only http, https, mailto and sip targets; anything else (javascript:, data:) becomes its text.
 */
import { escapeHtml } from './html.js';

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

/** Both renderings of a Markdown text, and whether it used any markup at all. */
export interface RenderedMarkdown {
  html: string;
  plain: string;
  /** False when the text is plain prose: then HTML adds nothing and the sender can use text/plain. */
  hasMarkup: boolean;
}

const SAFE_LINK = /^(https?:\/\/|mailto:|sip:)/i;
const LIST_ITEM = /^ {0,3}([-*+]|(\d{1,9})[.)])\s+(.*)$/;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}```/;
const ESCAPABLE = /[\\`*_[\]()<>#!.+\-{}|~]/;

/** Renders Markdown to sanitisable HTML and to plain text. Pure. */
export function renderMarkdown(markdown: string): RenderedMarkdown {
  const blocks = parseBlocks(markdown);
  const hasMarkup = blocks.some((b) => b.type !== 'paragraph' || b.lines.some((line) => line.some((n) => n.type !== 'text')));
  return {
    html: blocks.map(blockToHtml).join(''),
    plain: blocks.map(blockToPlain).join('\n\n'),
    hasMarkup,
  };
}

/** Escapes text so `renderMarkdown` shows it literally (card titles, button labels). */
export function escapeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_[\]<>]/g, '\\$&')
        .replace(/^(\s*)([#+-])(?=\s)/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])(?=\s)/, '$1\\$2'),
    )
    .join('\n');
}

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

function inlineToHtml(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case 'text':
          return escapeHtml(n.text);
        case 'code':
          return `<code>${escapeHtml(n.text)}</code>`;
        case 'strong':
          return `<b>${inlineToHtml(n.children)}</b>`;
        case 'em':
          return `<i>${inlineToHtml(n.children)}</i>`;
        case 'link':
          return `<a href="${escapeHtml(n.href)}">${inlineToHtml(n.children)}</a>`;
      }
    })
    .join('');
}

/** Plain text: markers dropped, a link shows its target unless its text already is the target. */
export function inlineToPlain(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case 'text':
        case 'code':
          return n.text;
        case 'strong':
        case 'em':
          return inlineToPlain(n.children);
        case 'link': {
          const text = inlineToPlain(n.children);
          const bare = n.href.replace(/^mailto:/i, '');
          return text === '' || text === n.href || text === bare ? n.href : `${text} (${n.href})`;
        }
      }
    })
    .join('');
}

function blockToHtml(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${block.lines.map(inlineToHtml).join('<br>')}</p>`;
    case 'heading':
      return `<p><b>${inlineToHtml(block.content)}</b></p>`;
    case 'code':
      return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${inlineToHtml(item)}</li>`).join('')}</${tag}>`;
    }
  }
}

function blockToPlain(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return block.lines.map(inlineToPlain).join('\n');
    case 'heading':
      return inlineToPlain(block.content);
    case 'code':
      return block.text;
    case 'list':
      return block.items.map((item, n) => `${block.ordered ? `${block.start + n}.` : '-'} ${inlineToPlain(item)}`).join('\n');
  }
}
