/**
 * Contract of the chat-ops command middleware (issue #5). The sample bot and users' bots are written against it.
 * Usage:
 * ```ts
 * const commands = new CommandMiddleware({ prefix: '!' })
 *   .command({ name: 'ping', summary: 'Check the bot is alive', handler: async (ctx) => { await ctx.sendActivity('pong'); } });
 * adapter.use(commands); // non-command text falls through to next()
 * ```
 */
import type { TurnContext } from 'botbuilder';

export type ArgType = 'string' | 'number' | 'boolean' | 'enum' | 'sipUri' | 'duration';

export interface ArgSpec {
  name: string;
  /** @default 'string' */
  type?: ArgType;
  required?: boolean;
  default?: unknown;
  /** Allowed values for 'enum'. */
  values?: readonly string[];
  description?: string;
  /** A named option (`--name value`, `--name=value`, `--flag`) rather than a positional. */
  flag?: boolean;
  /**
   * Positional that takes the rest of the line. Last positional only. When the command declares no flags, the
   * rest is taken verbatim as typed (quotes, backslashes and `--` kept); otherwise the remaining words, joined
   * with spaces.
   */
  rest?: boolean;
}

/** Parsed arguments: by spec name; `_` holds positionals not claimed by a spec. Durations are milliseconds. */
export type ParsedArgs = Record<string, unknown> & { _: string[] };

export interface AllowSpec {
  /** SIP URIs (`sip:alice@contoso.com`). */
  users?: readonly string[];
  /** SIP domains (`contoso.com`). */
  domains?: readonly string[];
  /** Group names defined in `CommandMiddlewareOptions.groups`. */
  groups?: readonly string[];
}

export interface RateLimitSpec {
  /** At most `max` runs per user within `windowMs`. */
  perUser?: { max: number; windowMs: number };
  /** At most `max` runs of this command (all users) within `windowMs`. */
  perCommand?: { max: number; windowMs: number };
}

export type CommandHandler = (context: TurnContext, args: ParsedArgs) => Promise<void> | void;

export interface CommandSpec {
  name: string;
  aliases?: readonly string[];
  summary: string;
  /** One line shown by `help <command>` and after a bad argument; generated from `args` when omitted. */
  usage?: string;
  args?: readonly ArgSpec[];
  allow?: AllowSpec;
  rateLimit?: RateLimitSpec;
  /** Ask the user to reply `yes` within the time limit before running (risky operations). */
  confirm?: boolean | { prompt?: string; timeoutMs?: number };
  handler: CommandHandler;
}

export interface CommandMiddlewareOptions {
  /** Such as '!' or '/'. In one-to-one conversations a command also works without it. @default '' */
  prefix?: string;
  /** Named groups of SIP URIs / domains for `allow.groups`. */
  groups?: Readonly<Record<string, readonly string[]>>;
  /** Injected clock for rate limits and confirmations. @default Date.now */
  now?: () => number;
  logger?: import('../ucwa/types.js').Logger;
  /** Register the builtin `help` command (alias `commands`). @default true */
  help?: boolean;
  /** Correlation ids for handler failures. @default 6 random hex characters */
  correlationId?: () => string;
  /** Longest accepted command line, in characters. @default 4000 */
  maxLength?: number;
  /** Most arguments accepted on one command line. @default 200 */
  maxArgs?: number;
  /** Bound on rate-limit keys kept in memory (least recently used dropped first). @default 10000 */
  maxRateLimitKeys?: number;
  /** Bound on confirmations waiting for `yes` (oldest dropped first). @default 1000 */
  maxPendingConfirmations?: number;
}

/** The commands part of `manifest/bot.json`: names and summaries that must match the registered commands. */
export interface ManifestCommand {
  name: string;
  summary: string;
  usage?: string;
  aliases?: string[];
}
