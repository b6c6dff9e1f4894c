/**
 * Split a message that is longer than the server accepts (UCWA documents no limit, only `413 EntityTooLarge`,
 * PROTOCOL.md §12) into parts that keep their order: at paragraph boundaries first, then sentences, then words,
 * and only as a last resort inside a word (never inside a UTF-8 code point).
 */

const encoder = new TextEncoder();

/** UTF-8 byte length of a string. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Split `text` into parts of at most `maxBytes` UTF-8 bytes each.
 * @throws RangeError when `maxBytes` is smaller than 4 (one code point must fit).
 */
export function splitMessage(text: string, maxBytes: number): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 4) throw new RangeError(`Expected maxBytes to be an integer >= 4, got ${maxBytes}`);
  const parts: string[] = [];
  let rest = text;
  while (utf8Length(rest) > maxBytes) {
    const prefix = longestPrefix(rest, maxBytes);
    const cut = findCut(rest, prefix.length);
    const head = rest.slice(0, cut).replace(/\s+$/, '');
    parts.push(head.length > 0 ? head : rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** The longest prefix (in code points) whose UTF-8 form fits in maxBytes. */
function longestPrefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * Where to cut `rest` at or before `limit` (the longest prefix that fits): the last paragraph break, else
 * sentence end, else line break, else whitespace, else `limit`. The character after the prefix is looked at,
 * so a sentence or word that ends exactly at the limit counts as complete.
 */
function findCut(rest: string, limit: number): number {
  const window = rest.slice(0, limit + 1);
  const minUseful = Math.floor(limit / 4);
  const within = (re: RegExp) => lastMatchEnd(window, re, limit);
  const paragraph = within(/\n[ \t]*\n/g);
  if (paragraph > minUseful) return paragraph;
  const sentence = within(/[.!?…。！？]["')\]]*(?=\s|$)/g);
  if (sentence > minUseful) return sentence;
  const line = within(/\n/g);
  if (line > minUseful) return line;
  if (/\s/.test(rest.charAt(limit))) return limit;
  const word = within(/\s+/g);
  if (word > 0) return word;
  return limit;
}

function lastMatchEnd(text: string, re: RegExp, limit: number): number {
  let end = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m.index + m[0].length <= limit) end = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  return end;
}
