/**
 * HTML for instant messages: the strict allow-list every outgoing HTML body passes through, and the
 * reduction of (sanitised) HTML to readable plain text for conversations that did not negotiate Html.
 *
 * UCWA documents no allowed-tag list for IM (PROTOCOL.md §12, "HTML tags allowed in IM: undocumented"), so the
 * adapter sends only the small set every Skype for Business client renders: b, i, u, strong, em, a[href], br,
 * p, ul, ol, li, code, pre. Links keep http, https, mailto and sip targets only.
 */
import sanitizeHtml from 'sanitize-html';

/** The allow-list; exported so the README and the tests name the same set. */
export const ALLOWED_TAGS: readonly string[] = ['b', 'i', 'u', 'strong', 'em', 'a', 'br', 'p', 'ul', 'ol', 'li', 'code', 'pre'];
/** Link schemes kept in `a[href]`. */
export const ALLOWED_SCHEMES: readonly string[] = ['http', 'https', 'mailto', 'sip'];

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: [...ALLOWED_SCHEMES],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Block-level tags outside the list keep their text as a paragraph instead of running into the next line.
  transformTags: {
    h1: 'p', h2: 'p', h3: 'p', h4: 'p', h5: 'p', h6: 'p', div: 'p', blockquote: 'p', tr: 'p',
  },
  // script, style, textarea, option and noscript lose their content too, not only their tags.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'object'],
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs['href'] && frame.text.trim() === '',
};

/** Sanitises HTML to the IM allow-list. Pure. */
export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS).trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Escapes the five HTML special characters (text into HTML). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' } as const)[ch as '&']};`);
}

/** Decodes named (the common five, apos, nbsp) and numeric character references; unknown ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Readable plain text from HTML: paragraphs become blank-line separated, `<br>` a newline, list items
 * `- x` / `1. x`, links `text (href)`. The input is sanitised first, so the tag walk below only ever sees
 * allow-listed tags.
 */
export function htmlToText(html: string): string {
  const clean = sanitizeMessageHtml(html);
  const lists: Array<{ ordered: boolean; n: number }> = [];
  const links: Array<{ href: string; start: number }> = [];
  let out = '';
  const tag = /<(\/?)([a-z]+)([^>]*)>/gi;
  let last = 0;
  let inPre = false; // whitespace inside <pre> is content; elsewhere a newline in the source is just a space
  const text = (raw: string): string => (inPre ? decodeEntities(raw) : decodeEntities(raw).replace(/\s*\n\s*/g, ' '));
  for (let m = tag.exec(clean); m; m = tag.exec(clean)) {
    out += text(clean.slice(last, m.index));
    last = tag.lastIndex;
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (name === 'pre') inPre = !closing;
    if (name === 'br') out += '\n';
    else if (name === 'p' || name === 'pre') out += closing ? '\n\n' : out.endsWith('\n') || out === '' ? '' : '\n\n';
    else if (name === 'ul' || name === 'ol') {
      if (closing) lists.pop();
      else lists.push({ ordered: name === 'ol', n: 0 });
      out += '\n';
    } else if (name === 'li' && !closing) {
      const list = lists[lists.length - 1];
      const bullet = list?.ordered ? `${++list.n}.` : '-';
      out += `${out.endsWith('\n') || out === '' ? '' : '\n'}${'  '.repeat(Math.max(0, lists.length - 1))}${bullet} `;
    } else if (name === 'a') {
      if (!closing) links.push({ href: decodeEntities(/href="([^"]*)"/.exec(m[3] ?? '')?.[1] ?? ''), start: out.length });
      else {
        const link = links.pop();
        const text = out.slice(link?.start ?? out.length).trim();
        if (link?.href && text !== link.href && text !== link.href.replace(/^mailto:/i, '')) out += ` (${link.href})`;
      }
    }
  }
  out += text(clean.slice(last));
  return out.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
