/**
 * Data URIs carry IM text in link hrefs (PROTOCOL.md §1.5, PayloadFormat.md).
 * The server form-encodes text (`+` for space, `%0d%0a` for CRLF) and base64-encodes HTML.
 */

/** `data:text/plain;charset=utf-8,Hi+Tosh%0d%0a`, as in ReceiveAnIM.md. */
export function toPlainDataUri(text: string): string {
  return `data:text/plain;charset=utf-8,${encodeURIComponent(text.replace(/\r?\n/g, '\r\n')).replace(/%20/g, '+')}`;
}

/** `data:text/html;base64,<base64>` (message_ref.md). */
export function toHtmlDataUri(html: string): string {
  return `data:text/html;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
}

/** Decodes any documented data URI form; returns undefined when `href` is not a data URI. */
export function fromDataUri(href: string): { mediaType: string; text: string } | undefined {
  const m = /^data:\s*([^,;]*)((?:;[^,;]*)*),(.*)$/s.exec(href.trim());
  if (!m) return undefined;
  const params = (m[2] ?? '').toLowerCase();
  const payload = m[3] ?? '';
  let text: string;
  if (params.includes(';base64')) text = Buffer.from(payload, 'base64').toString('utf8');
  else {
    try {
      text = decodeURIComponent(payload.replace(/\+/g, '%20'));
    } catch {
      text = payload;
    }
  }
  return { mediaType: (m[1] || 'text/plain').trim().toLowerCase(), text: text.replace(/\r\n/g, '\n') };
}

/** Plain-text rendering of an HTML message for `plainMessage` (tags dropped, entities of the basic set decoded). */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
