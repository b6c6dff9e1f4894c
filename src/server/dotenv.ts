/**
 * A tiny `.env` reader for `npm start` (no dependency): `KEY=VALUE` lines, `#` comments, optional `export `,
 * single quotes (literal), double quotes (with `\n`, `\t`, `\"`, `\\` escapes, may span lines). Real environment
 * variables always win: a deployment's settings are never overridden by a stray `.env` file.
 */
import { readFileSync } from 'node:fs';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Thrown for a malformed `.env` line; names the line, never echoes a value. */
export class DotenvError extends Error {
  override name = 'DotenvError' as const;
}

/**
 * Parses `.env` text into key/value pairs. Later keys win over earlier ones.
 * @throws DotenvError naming the line number of a line that is neither blank, a comment nor `KEY=VALUE`.
 */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    if (eq <= 0) throw new DotenvError(`.env line ${lineNo}: expected KEY=VALUE`);
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) throw new DotenvError(`.env line ${lineNo}: "${key}" is not a valid variable name`);
    let rest = line.slice(eq + 1).trimStart();
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may continue on the next lines until its closing quote.
      let body = rest.slice(1);
      let close = findClose(body, quote);
      while (close < 0 && i + 1 < lines.length) {
        body += '\n' + lines[++i];
        close = findClose(body, quote);
      }
      if (close < 0) throw new DotenvError(`.env line ${lineNo}: ${key} has an unterminated ${quote} quote`);
      const after = body.slice(close + 1).trim();
      if (after !== '' && !after.startsWith('#')) {
        throw new DotenvError(`.env line ${lineNo}: unexpected text after the closing quote of ${key}`);
      }
      body = body.slice(0, close);
      value = quote === '"' ? unescapeDouble(body) : body;
    } else {
      // Unquoted: an inline comment needs whitespace before `#` so values like `a#b` survive.
      const hash = rest.search(/\s#/);
      if (hash >= 0) rest = rest.slice(0, hash);
      value = rest.trim();
    }
    out[key] = value;
  }
  return out;
}

function findClose(body: string, quote: string): number {
  for (let j = 0; j < body.length; j++) {
    if (quote === '"' && body[j] === '\\') { j++; continue; }
    if (body[j] === quote) return j;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
}

/**
 * Returns `env` merged with the `.env` file at `path` (when it exists); keys already in `env` are kept as they are.
 * Does not modify `env`. A missing file is not an error.
 */
export function loadDotenv(path: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...env };
    throw error;
  }
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [key, value] of Object.entries(parseDotenv(text))) {
    if (merged[key] === undefined) merged[key] = value;
  }
  return merged;
}
