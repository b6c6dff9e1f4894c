/**
 * HTML for instant messages: the strict allow-list every outgoing HTML body passes through, and the
 * reduction of (sanitised) HTML to readable plain text for conversations that did not negotiate Html.
 *
 * UCWA documents no allowed-tag list for IM (PROTOCOL.md §12, "HTML tags allowed in IM: undocumented"), so the
 * adapter sends only the small set every Skype for Business client renders: b, i, u, strong, em, a[href], br,
 * p, ul, ol, li, code, pre. Links keep http, https, mailto and sip targets only.
 */
import { decodeEntities, htmlToText as ucwaHtmlToText } from '../ucwa/html-to-text.js';
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


/** Escapes the five HTML special characters (text into HTML). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' } as const)[ch as '&']};`);
}

/**
 * Readable plain text from HTML (paragraphs, line breaks, list items, link targets), for the plain-text rendering of
 * outgoing HTML. The input is sanitised first; the conversion itself is the client's, which reads incoming htmlMessage.
 */
export function htmlToText(html: string): string {
  return ucwaHtmlToText(sanitizeMessageHtml(html));
}

export { decodeEntities };
