/**
 * Reading IM text out of the data: URIs of `message` and `messagingInvitation` resources (PROTOCOL.md §1.5, §7.5).
 */
import { decodeDataUri, isDataUri } from './data-uri.js';
import { htmlToText } from './html-to-text.js';
import { getHref } from './links.js';
import type { Logger } from './types.js';
import type { Resource } from './wire-types.js';

/** Decode a data: URI; text/html is reduced to text and kept. Undefined (and a warning) when it cannot be decoded. */
export function safeDecode(href: string, logger: Logger): { text: string; html?: string } | undefined {
  try {
    const decoded = decodeDataUri(href);
    return decoded.mediaType === 'text/html' ? { text: htmlToText(decoded.text), html: decoded.text } : { text: decoded.text };
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'ucwa:events undecodable data: URI skipped');
    return undefined;
  }
}

/**
 * The text (and HTML) of an incoming message. §7.5 suggests plainMessage when both exist; a server's plain
 * rendering drops list markers and link targets (the emulator's does too), so the text is derived from the
 * HTML when there is one, from plainMessage otherwise.
 */
export function readMessageBody(message: Resource, logger: Logger): { text: string; html?: string } | undefined {
  const htmlHref = getHref(message, 'htmlMessage');
  const decodedHtml = htmlHref && isDataUri(htmlHref) ? safeDecode(htmlHref, logger) : undefined;
  const html = decodedHtml ? decodedHtml.html ?? decodedHtml.text : undefined;
  if (html !== undefined) return { text: htmlToText(html), html };
  const plain = getHref(message, 'plainMessage');
  const text = plain && isDataUri(plain) ? safeDecode(plain, logger)?.text : undefined;
  return text === undefined ? undefined : { text };
}

/** Same text, ignoring whitespace differences (CRLF vs LF, trailing newline): the invitation's first message replayed. */
export function sameText(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}
