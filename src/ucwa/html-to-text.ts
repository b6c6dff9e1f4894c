/**
 * Reduce an incoming `htmlMessage` to readable plain text (PROTOCOL.md §7.5): keep the text, line breaks,
 * list items and link targets, drop everything else, decode entities. No tag list is documented for UCWA IM
 * (§15 item 17), so this is deliberately tolerant: unknown tags are dropped, their text kept.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•',
  euro: '€', pound: '£', yen: '¥', cent: '¢', deg: '°', middot: '·', laquo: '«', raquo: '»', times: '×',
};

/** Decode HTML character references (named, decimal, hex); unknown names are kept verbatim. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAGS = new Set(['p', 'div', 'tr', 'table', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'section', 'article']);

// Whitespace inside <pre> is content (code blocks, aligned output): it is shielded with private-use characters from
// the whitespace normalisation below and restored at the end.
const PRE_NEWLINE = '\uE000';
const PRE_SPACE = '\uE001';
const PRE_TAB = '\uE002';
const shield = (text: string): string => text.replace(/\r?\n/g, PRE_NEWLINE).replace(/ /g, PRE_SPACE).replace(/\t/g, PRE_TAB);

/** Convert an HTML fragment to plain text. */
export function htmlToText(html: string): string {
  let out = '';
  let preDepth = 0;
  const linkStack: { href?: string; start: number }[] = [];
  const listStack: { ordered: boolean; n: number }[] = [];
  const body = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, '');
  const re = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m[3] !== undefined) {
      out += preDepth > 0 ? shield(decodeEntities(m[3])) : decodeEntities(m[3].replace(/\s+/g, ' '));
      continue;
    }
    if (m[4] !== undefined) {
      out += '<';
      continue;
    }
    const tag = m[1]!.toLowerCase();
    const closing = m[0].startsWith('</');
    if (tag === 'pre') preDepth = closing ? Math.max(0, preDepth - 1) : preDepth + 1;
    if (tag === 'br') {
      out += '\n';
    } else if (tag === 'li') {
      if (!closing) {
        const list = listStack[listStack.length - 1];
        const bullet = list?.ordered ? `${++list.n}. ` : '- ';
        out = ensureLineStart(out) + '  '.repeat(Math.max(0, listStack.length - 1)) + bullet;
      } else out = ensureLineStart(out);
    } else if (tag === 'ul' || tag === 'ol') {
      if (closing) listStack.pop();
      else listStack.push({ ordered: tag === 'ol', n: 0 });
      out = ensureLineStart(out);
    } else if (tag === 'a') {
      if (!closing) {
        const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[2] ?? '');
        linkStack.push({ href: href ? decodeEntities(href[1] ?? href[2] ?? href[3] ?? '') : undefined, start: out.length });
      } else {
        const link = linkStack.pop();
        const label = link ? out.slice(link.start).trim() : '';
        if (link?.href && !/^javascript:/i.test(link.href) && label !== link.href && label !== link.href.replace(/^mailto:/i, '')) {
          out += label ? ` (${link.href})` : link.href;
        }
      }
    } else if (BLOCK_TAGS.has(tag)) {
      out = closing || tag !== 'p' ? ensureLineStart(out) : ensureParagraphStart(out);
    }
  }
  return out
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n[ \t]+(?![-\d])/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .replace(/\uE000/g, '\n')
    .replace(/\uE001/g, ' ')
    .replace(/\uE002/g, '\t');
}

function ensureLineStart(out: string): string {
  return out.length === 0 || out.endsWith('\n') ? out : out + '\n';
}

function ensureParagraphStart(out: string): string {
  if (out.trim().length === 0) return out;
  return out.endsWith('\n\n') ? out : ensureLineStart(out) + '\n';
}
