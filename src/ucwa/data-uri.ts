/**
 * Data URIs carry IM text in link hrefs (PROTOCOL.md §1.5, `PayloadFormat.md`, RFC 2397).
 * UCWA URL-encodes them form-style (`+` for space, `%0d%0a` for CRLF) or uses `;base64`;
 * the charset is spelled `utf-8` or `utf8` (§15 item 18). The decoder handles all of these.
 */

export interface DecodedDataUri {
  /** `text/plain`, `text/html`, ... (lower-cased); `text/plain` when the URI names none (RFC 2397). */
  mediaType: string;
  charset: string;
  /** The decoded text with CRLF / CR normalised to `\n`. */
  text: string;
}

/** True when the href is a data: URI. */
export function isDataUri(href: string): boolean {
  return /^data:/i.test(href.trim());
}

/**
 * Decode a data: URI into text. Throws a TypeError naming the problem for a value that is not a data: URI
 * or uses a charset Node cannot decode.
 */
export function decodeDataUri(href: string): DecodedDataUri {
  const value = href.trim();
  if (!isDataUri(value)) throw new TypeError('Not a data: URI');
  const comma = value.indexOf(',');
  if (comma < 0) throw new TypeError('Malformed data: URI: no comma before the data');
  const params = value.slice(5, comma).split(';').map((p) => p.trim());
  const data = value.slice(comma + 1);
  const base64 = params.some((p) => p.toLowerCase() === 'base64');
  const mediaType = (params[0] && !params[0].includes('=') && params[0].toLowerCase() !== 'base64' ? params[0] : 'text/plain').toLowerCase();
  const charsetParam = params.find((p) => /^charset=/i.test(p));
  const charset = normaliseCharset(charsetParam ? charsetParam.slice(8).replace(/^"|"$/g, '') : 'utf-8');
  let bytes: Buffer;
  if (base64) {
    // The server's base64 may itself be percent-encoded (`%2B`, `%3D`) when it sits inside a URL.
    bytes = Buffer.from(safePercentDecode(data).replace(/\s+/g, ''), 'base64');
  } else {
    // Form-style: '+' is a space and must be replaced BEFORE percent-decoding (a literal plus arrives as %2B).
    bytes = percentDecodeToBytes(data.replace(/\+/g, ' '));
  }
  let text: string;
  try {
    text = new TextDecoder(charset).decode(bytes);
  } catch (cause) {
    throw new TypeError(`Unsupported data: URI charset ${JSON.stringify(charset)}`, { cause });
  }
  return { mediaType, charset, text: text.replace(/\r\n?/g, '\n') };
}

/** Encode text as `data:text/plain;charset=utf-8,<form-encoded>`, the form the walk-through shows (`Hi+Tosh`). */
export function encodeDataUri(text: string, mediaType = 'text/plain'): string {
  const encoded = encodeURIComponent(text).replace(/%20/g, '+');
  return `data:${mediaType};charset=utf-8,${encoded}`;
}

/** Encode as `data:<type>;base64,<…>` (the ref pages' form for the startMessaging first message). */
export function encodeDataUriBase64(text: string, mediaType = 'text/plain'): string {
  return `data:${mediaType};charset=utf-8;base64,${Buffer.from(text, 'utf8').toString('base64')}`;
}

function normaliseCharset(charset: string): string {
  const c = charset.toLowerCase();
  return c === 'utf8' ? 'utf-8' : c;
}

/** Percent-decoding that keeps a stray `%` literal instead of throwing (decodeURIComponent throws on `%zz`). */
function percentDecodeToBytes(s: string): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    for (const b of Buffer.from(ch, 'utf8')) out.push(b);
    i += ch.length;
  }
  return Buffer.from(out);
}

function safePercentDecode(s: string): string {
  return percentDecodeToBytes(s).toString('latin1');
}
