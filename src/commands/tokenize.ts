import { CommandParseError } from './command-parse-error.js';

/** One word of a command line after quote and escape processing. */
export interface Token {
  value: string;
  /** True when the token began with a quote or an escape: it is never read as an `--option`. */
  literal: boolean;
  /** 0-based index of the token's first character (plus `offset`) in the normalised text. */
  position: number;
}

/** Limits that keep hostile input cheap; both are checked before any per-argument work. */
export interface TokenizeOptions {
  /** Longest accepted input in UTF-16 code units, before and after NFC. @default 4000 */
  maxLength?: number;
  /** Most tokens accepted. @default 200 */
  maxArgs?: number;
  /** Added to reported positions, when the text is a slice of a longer line. @default 0 */
  offset?: number;
}

export const DEFAULT_MAX_LENGTH = 4000;
export const DEFAULT_MAX_ARGS = 200;

/**
 * Unicode whitespace, NBSP and the zero-width space count as separators: SfB and Lync clients paste NBSPs
 * from rich text, and HTML-to-text reduction leaves them in.
 */
export function isSpace(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0xa0 || code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200b) || code === 0x2028 || code === 0x2029 || code === 0x202f ||
    code === 0x205f || code === 0x3000 || code === 0xfeff || code === 0x180e
  );
}

/** C0/C1 controls (other than whitespace), DEL, and bidi embedding/override/isolate controls ("Trojan Source"). */
function isForbidden(code: number): boolean {
  return (
    code <= 0x08 || (code >= 0x0e && code <= 0x1f) || (code >= 0x7f && code <= 0x9f && code !== 0x85) ||
    (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)
  );
}

/** Lone UTF-16 surrogates cannot be encoded in the outgoing UTF-8 message; reject them like controls. */
function isLoneSurrogate(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const prev = text.charCodeAt(i - 1);
    return !(prev >= 0xd800 && prev <= 0xdbff);
  }
  return false;
}

/** Quote family: 1 = double (" “ ” „ ‟), 2 = single (' ‘ ’ ‚ ‛), 0 = not a quote. Clients autocorrect to smart quotes. */
export function quoteFamily(code: number): 0 | 1 | 2 {
  if (code === 0x22 || (code >= 0x201c && code <= 0x201f)) return 1;
  if (code === 0x27 || (code >= 0x2018 && code <= 0x201b)) return 2;
  return 0;
}

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Splits a command line into tokens in one linear pass (no regular expressions).
 *
 * - Whitespace (any unicode space) separates tokens; surrounding whitespace is ignored.
 * - A quote opens only at the start of a token or right after `=` in `--key=`; it closes at a quote of the
 *   same family that is followed by whitespace or the end. So apostrophes inside words (`don't`, `it’s`)
 *   stay literal, and smart quotes work like straight ones.
 * - A backslash escapes a following quote, backslash or whitespace; before anything else it is literal,
 *   so Windows paths such as `C:\temp` survive.
 *
 * @throws CommandParseError for too-long input, too many tokens, control characters and unclosed quotes.
 */
export function tokenize(input: string, options: TokenizeOptions = {}): Token[] {
  return scan(input, options, Infinity).tokens;
}

/**
 * Like {@link tokenize}, but stops after `count` tokens and returns the remainder of the line as it was typed
 * (trimmed, quotes and backslashes kept), as one literal token: free text such as a ticket summary may contain
 * an odd quote or `--` without being rejected. The remainder is still checked for control characters.
 *
 * @example tokenizeLeading('web "quoted" text', 1) // tokens: [web], rest: '"quoted" text'
 */
export function tokenizeLeading(input: string, count: number, options: TokenizeOptions = {}): { tokens: Token[]; rest?: Token } {
  const offset = options.offset ?? 0;
  const { tokens, text, restStart } = scan(input, options, count);
  if (restStart === undefined) return { tokens };
  let end = text.length;
  while (end > restStart && isSpace(text.charCodeAt(end - 1))) end--;
  for (let i = restStart; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isForbidden(code) || isLoneSurrogate(text, i)) throw controlCharacter(code, offset + i);
  }
  return { tokens, rest: { value: text.slice(restStart, end), literal: true, position: offset + restStart } };
}

function controlCharacter(code: number, position: number): CommandParseError {
  return new CommandParseError(
    `The command contains a control character ${hex(code)} at column ${position + 1}; remove it and try again.`,
    'control-character', position,
  );
}

function scan(input: string, options: TokenizeOptions, stopAfter: number): { tokens: Token[]; text: string; restStart?: number } {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const maxArgs = options.maxArgs ?? DEFAULT_MAX_ARGS;
  const offset = options.offset ?? 0;
  if (input.length > maxLength) {
    throw new CommandParseError(
      `The command is too long: ${input.length} characters (the limit is ${maxLength}).`, 'too-long', offset + maxLength,
    );
  }
  const text = input.normalize('NFC');
  if (text.length > maxLength) {
    throw new CommandParseError(
      `The command is too long: ${text.length} characters after normalisation (the limit is ${maxLength}).`,
      'too-long', offset + maxLength,
    );
  }
  const tokens: Token[] = [];
  let value = '';
  let inToken = false;
  let literal = false;
  let start = 0;
  let quote: 0 | 1 | 2 = 0;
  let quoteStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (isForbidden(code) || isLoneSurrogate(text, i)) throw controlCharacter(code, offset + i);
    if (quote !== 0) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (code === 0x5c && next !== -1 && (quoteFamily(next) !== 0 || next === 0x5c)) {
        value += text[i + 1];
        i++;
      } else if (quoteFamily(code) === quote && (next === -1 || isSpace(next))) {
        quote = 0;
      } else {
        value += text[i];
      }
      continue;
    }
    if (isSpace(code)) {
      if (inToken) {
        tokens.push({ value, literal, position: offset + start });
        inToken = false;
      }
      continue;
    }
    if (!inToken) {
      if (tokens.length >= stopAfter) return { tokens, text, restStart: i };
      if (tokens.length >= maxArgs) {
        throw new CommandParseError(
          `Too many arguments: the limit is ${maxArgs} (column ${offset + i + 1}).`, 'too-many-args', offset + i,
        );
      }
      inToken = true;
      literal = false;
      value = '';
      start = i;
    }
    const family = quoteFamily(code);
    const atTokenStart = i === start;
    if (family !== 0 && (atTokenStart || (value.startsWith('--') && value.endsWith('=') && value.indexOf('=') === value.length - 1))) {
      if (atTokenStart) literal = true;
      quote = family;
      quoteStart = i;
      continue;
    }
    if (code === 0x5c && i + 1 < n) {
      const next = text.charCodeAt(i + 1);
      if (quoteFamily(next) !== 0 || next === 0x5c || isSpace(next)) {
        if (atTokenStart) literal = true;
        value += text[i + 1];
        i++;
        continue;
      }
    }
    value += text[i];
  }
  if (quote !== 0) {
    throw new CommandParseError(
      `Unclosed quote: the quote at column ${offset + quoteStart + 1} is never closed. Add the closing quote ` +
        `(followed by a space or the end of the line), or escape the quote with a backslash.`,
      'unclosed-quote', offset + quoteStart,
    );
  }
  if (inToken) tokens.push({ value, literal, position: offset + start });
  return { tokens, text };
}
