import { CommandParseError } from './command-parse-error.js';
import { convertArg } from './convert-arg.js';
import { DEFAULT_MAX_LENGTH, isSpace, tokenize, tokenizeLeading, type Token, type TokenizeOptions } from './tokenize.js';
import type { ArgSpec, ParsedArgs } from './types.js';

/** A command line split into its name and the tokens after it. */
export interface CommandLine {
  /** First word, NFC-normalised and lower-cased. */
  name: string;
  /** The text after the name (surrounding whitespace kept out). */
  rest: string;
  /** Index of `rest` within the text given to {@link splitCommandLine}. */
  restOffset: number;
}

/** Longest command name read by {@link splitCommandLine}; longer first words are not commands. */
export const MAX_NAME_LENGTH = 64;

/**
 * Reads the first word cheaply, without tokenizing the rest, so that free text that is not a command
 * (however long or odd) is never rejected by the parser. Returns undefined for blank text.
 */
export function splitCommandLine(text: string): CommandLine | undefined {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const start = i;
  while (i < text.length && !isSpace(text.charCodeAt(i)) && i - start <= MAX_NAME_LENGTH) i++;
  if (i === start || i - start > MAX_NAME_LENGTH) return undefined;
  const name = text.slice(start, i).normalize('NFC').toLowerCase();
  return { name, rest: text.slice(i), restOffset: i };
}

/** Option names match ignoring case, `-` and `_`, so `--dry-run`, `--dryRun` and `--dry_run` are the same. */
export function optionKey(name: string): string {
  let key = '';
  for (const ch of name.toLowerCase()) if (ch !== '-' && ch !== '_') key += ch;
  return key;
}

function fail(message: string, reason: ConstructorParameters<typeof CommandParseError>[1], token?: Token, argument?: string): never {
  throw new CommandParseError(message, reason, token?.position, argument);
}

function setConverted(args: ParsedArgs, spec: ArgSpec, raw: string, label: string, token?: Token): void {
  const result = convertArg(spec, raw);
  if (!result.ok) fail(`Argument ${label}: ${result.reason}.`, 'invalid-value', token, spec.name);
  args[spec.name] = result.value;
}

/**
 * Assigns tokens to argument specs and converts them.
 *
 * Options: `--flag`, `--no-flag` (booleans), `--key=value`, `--key value`; `--` ends options; a quoted or
 * escaped token is never an option. Positionals fill the non-flag specs in order (a `rest` spec takes the
 * remainder joined with spaces); unclaimed positionals go to `_`. The result has a null prototype, so
 * user-chosen keys such as `__proto__` cannot pollute `Object.prototype`.
 *
 * @throws CommandParseError naming the argument and why (unknown/duplicate options, missing or bad values).
 */
export function parseArgs(tokens: readonly Token[], specs: readonly ArgSpec[] = []): ParsedArgs {
  const args = Object.create(null) as ParsedArgs;
  args._ = [];
  const flags = new Map<string, ArgSpec>();
  for (const spec of specs) if (spec.flag) flags.set(optionKey(spec.name), spec);
  const positionals = specs.filter((spec) => !spec.flag);
  const seen = new Set<string>();
  const unknown: Token[] = [];
  const free: Token[] = [];
  let optionsEnded = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const v = token.value;
    if (optionsEnded || token.literal || !v.startsWith('--')) {
      free.push(token);
      continue;
    }
    if (v === '--') {
      optionsEnded = true;
      continue;
    }
    const eq = v.indexOf('=');
    const typed = eq === -1 ? v.slice(2) : v.slice(2, eq);
    let key = optionKey(typed);
    let spec = flags.get(key);
    let negated = false;
    if (spec === undefined && eq === -1 && key.startsWith('no')) {
      const positive = flags.get(key.slice(2));
      if (positive && (positive.type ?? 'string') === 'boolean') {
        spec = positive;
        negated = true;
        key = key.slice(2);
      }
    }
    if (spec === undefined) {
      unknown.push(token);
      continue;
    }
    const label = `--${typed}`;
    if (seen.has(key)) fail(`Option ${label} is given more than once.`, 'duplicate-option', token, spec.name);
    seen.add(key);
    if (eq !== -1) {
      setConverted(args, spec, v.slice(eq + 1), label, token);
    } else if ((spec.type ?? 'string') === 'boolean') {
      args[spec.name] = !negated;
    } else {
      const next = tokens[i + 1];
      if (next === undefined || (!next.literal && next.value.startsWith('--'))) {
        fail(`Option ${label} needs a value.`, 'missing-value', token, spec.name);
      }
      setConverted(args, spec, next.value, label, next);
      i++;
    }
  }
  if (unknown.length > 0) {
    const names = [...new Set(unknown.map((t) => t.value.split('=')[0]!))];
    const shown = names.length > 10 ? [...names.slice(0, 10), `and ${names.length - 10} more`] : names;
    fail(`Unknown option${names.length > 1 ? 's' : ''} ${shown.join(', ')}.`, 'unknown-option', unknown[0], names[0]);
  }
  let f = 0;
  for (const spec of positionals) {
    if (f >= free.length) break;
    if (spec.rest) {
      const raw = free.slice(f).map((t) => t.value).join(' ');
      setConverted(args, spec, raw, spec.name, free[f]);
      f = free.length;
    } else {
      setConverted(args, spec, free[f]!.value, spec.name, free[f]);
      f++;
    }
  }
  for (; f < free.length; f++) args._.push(free[f]!.value);
  for (const spec of specs) {
    if (Object.hasOwn(args, spec.name)) continue;
    if (spec.required) {
      fail(`Missing required argument ${spec.flag ? `--${spec.name}` : spec.name}.`, 'missing-argument', undefined, spec.name);
    }
    if (spec.default !== undefined) args[spec.name] = spec.default;
    else if (spec.flag && spec.type === 'boolean') args[spec.name] = false;
  }
  return args;
}

/**
 * Tokenizes the text after a command name for `specs`. When the last positional takes the rest of the line and
 * the command declares no flags, that rest is kept verbatim, as typed (`echo "hi`, `ticket VPN says "error 809"`,
 * `echo --help`): chat users expect free text there, not shell syntax. Otherwise every word is tokenized.
 */
export function tokenizeArgs(text: string, specs: readonly ArgSpec[] = [], options: TokenizeOptions = {}): Token[] {
  const positionals = specs.filter((spec) => !spec.flag);
  const last = positionals[positionals.length - 1];
  if (!last?.rest || specs.some((spec) => spec.flag)) return tokenize(text, options);
  const { tokens, rest } = tokenizeLeading(text, positionals.length - 1, options);
  return rest ? [...tokens, rest] : tokens;
}

/** Result of {@link parseCommand}. */
export interface ParsedCommand {
  name: string;
  args: ParsedArgs;
}

/**
 * Parses a whole command line (`"deploy web --env prod"`, prefix already removed) against argument specs.
 * Pure; throws only {@link CommandParseError}.
 *
 * @example
 * ```ts
 * parseCommand('ack 42 --note "on it"', [{ name: 'id', type: 'number' }, { name: 'note', flag: true }]);
 * // { name: 'ack', args: { _: [], id: 42, note: 'on it' } }
 * ```
 */
export function parseCommand(text: string, specs: readonly ArgSpec[] = [], options: TokenizeOptions = {}): ParsedCommand {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    throw new CommandParseError(
      `The command is too long: ${text.length} characters (the limit is ${maxLength}).`, 'too-long', maxLength,
    );
  }
  const line = splitCommandLine(text);
  if (line === undefined) {
    throw text.trim() === ''
      ? new CommandParseError('The command is empty.', 'empty', 0)
      : new CommandParseError(`The command name is too long (the limit is ${MAX_NAME_LENGTH} characters).`, 'invalid-value', 0);
  }
  const tokens = tokenizeArgs(line.rest, specs, { ...options, offset: (options.offset ?? 0) + line.restOffset });
  return { name: line.name, args: parseArgs(tokens, specs) };
}
