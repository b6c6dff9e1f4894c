import { randomBytes } from 'node:crypto';
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Logger } from '../ucwa/types.js';
import { createHelpCommand } from './builtin/help.js';
import { isCommandParseError } from './command-parse-error.js';
import { replyToHandlerError } from './handler-error.js';
import { toUserId } from './identity.js';
import { isPersonalConversation, matchCommandLine, textWithoutMentions, type CommandMatch } from './match-command.js';
import { parseArgs, tokenizeArgs } from './parse-command.js';
import { PendingConfirmations } from './pending-confirmations.js';
import { isAllowed, resolveGroups, type Audience } from './permissions.js';
import type { ResolvedCommand } from './resolved-command.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';
import { suggest } from './suggest.js';
import type { CommandMiddlewareOptions, CommandSpec, ManifestCommand, ParsedArgs } from './types.js';
import { usageLine } from './usage.js';
import { resolveCommand } from './validate-spec.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const YES = new Set(['yes', 'y']);

interface Pending { command: ResolvedCommand; args: ParsedArgs }

/**
 * Chat-ops command router as a botbuilder middleware: parsing, help, permissions, rate limits, confirmations.
 * Messages that are not commands go on to `next()` untouched, so dialogs still get free text.
 *
 * Handler errors: the user gets "Sorry, !x failed (ref abc123). The team has been told.", the error is logged
 * with that correlation id, then rethrown with `correlationId` and `replied: true` set, so it reaches the
 * adapter's `onTurnError`, which should skip its own reply when `error.replied` is true.
 *
 * @example
 * ```ts
 * const commands = new CommandMiddleware({ prefix: '!', groups: { ops: ['sip:alice@contoso.com', '@ops.contoso.com'] } })
 *   .command({ name: 'ping', summary: 'Check the bot is alive', handler: (ctx) => ctx.sendActivity('pong').then(() => {}) })
 *   .command({ name: 'restart', summary: 'Restart a service', allow: { groups: ['ops'] }, confirm: true,
 *     args: [{ name: 'service', required: true }], handler: restartService });
 * adapter.use(commands);
 * ```
 */
export class CommandMiddleware implements Middleware {
  /** The configured prefix ('' when none). */
  readonly prefix: string;
  private readonly registry: ResolvedCommand[] = [];
  private readonly byName = new Map<string, ResolvedCommand>();
  private readonly groups: Map<string, Audience>;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly limiter: SlidingWindowLimiter;
  private readonly pending: PendingConfirmations<Pending>;
  private readonly newCorrelationId: () => string;
  private readonly maxLength: number;
  private readonly maxArgs: number;

  constructor(options: CommandMiddlewareOptions = {}) {
    this.prefix = options.prefix ?? '';
    if (typeof this.prefix !== 'string' || /\s/.test(this.prefix) || this.prefix.length > 8) {
      throw new TypeError(`CommandMiddleware options.prefix must be a short string without spaces, such as '!' or '/', got ${JSON.stringify(options.prefix)}`);
    }
    this.groups = resolveGroups(options.groups);
    this.now = options.now ?? Date.now;
    // `component`, not `name`: pino already writes `name`, and a second one makes a duplicate JSON key.
    this.logger = options.logger?.child?.({ component: 'commands' }) ?? options.logger ?? silent;
    this.limiter = new SlidingWindowLimiter(this.now, options.maxRateLimitKeys);
    this.pending = new PendingConfirmations(this.now, options.maxPendingConfirmations);
    this.newCorrelationId = options.correlationId ?? (() => randomBytes(3).toString('hex'));
    this.maxLength = options.maxLength ?? 4000;
    this.maxArgs = options.maxArgs ?? 200;
    if (options.help !== false) this.register(createHelpCommand(this), true);
  }

  /**
   * Registers a command. Chainable.
   * @throws TypeError naming the command and field for a bad spec (duplicate name or alias, bad args, unknown group).
   */
  command(spec: CommandSpec): this {
    this.register(spec, false);
    return this;
  }

  /** Registered commands, in registration order (help first unless disabled). */
  get commands(): readonly ResolvedCommand[] {
    return this.registry;
  }

  /** The command for a name or alias (case-insensitive), if registered. */
  find(nameOrAlias: string): ResolvedCommand | undefined {
    return this.byName.get(nameOrAlias.toLowerCase());
  }

  /** True when the sender of this turn may run `command`. */
  mayRun(context: TurnContext, command: ResolvedCommand): boolean {
    return isAllowed(toUserId(context.activity.from?.id), command.allow);
  }

  /** Names, summaries, usage and aliases of every command, in the shape of `manifest/bot.json`'s `commands`. */
  describe(): ManifestCommand[] {
    return this.registry.map((c) => ({
      name: c.name, summary: c.summary, usage: usageLine(c, ''), ...(c.aliases.length ? { aliases: [...c.aliases] } : {}),
    }));
  }

  /**
   * For a message that is not a command, the closest command this user may run, as they would type it
   * (`'!status'`), when its first word looks like a typo of one; otherwise undefined. Unprefixed typos are
   * free text for the bot (the middleware passes them on), so its fallback can offer the suggestion.
   * @example const guess = commands.didYouMean(context); // in onMessage: "Did you mean status?"
   */
  didYouMean(context: TurnContext): string | undefined {
    const activity = context.activity;
    if (typeof activity.text !== 'string') return undefined;
    const match = matchCommandLine(textWithoutMentions(activity), this.prefix, true);
    if (match === undefined || this.find(match.name) !== undefined) return undefined;
    const user = toUserId(activity.from?.id);
    const guess = suggest(match.name, this.registry.filter((c) => isAllowed(user, c.allow)).flatMap((c) => [c.name, ...c.aliases]), true);
    return guess === undefined ? undefined : this.prefix + guess;
  }

  /** The botbuilder middleware entry point. */
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message || typeof activity.text !== 'string') return next();
    const user = toUserId(activity.from?.id);
    const text = textWithoutMentions(activity);
    const pending = this.pending.take(`${activity.conversation?.id ?? ''}\u0000${user}`);
    if (pending !== undefined) {
      const answeredInTime = this.now() <= pending.expiresAt;
      const yes = YES.has(text.toLowerCase());
      const shown = this.prefix + pending.value.command.name;
      if (answeredInTime && yes) return this.run(context, pending.value.command, pending.value.args, user);
      if (answeredInTime) {
        await context.sendActivity(`Cancelled ${shown}.`);
        return;
      }
      if (yes) {
        await context.sendActivity(`Too late: the confirmation for ${shown} expired. Run ${shown} again.`);
        return;
      }
    }
    const match = matchCommandLine(text, this.prefix, isPersonalConversation(activity));
    const command = match && this.find(match.name);
    if (match === undefined || command === undefined) {
      if (match?.prefixed) return this.replyUnknown(context, match, user);
      return next();
    }
    await this.dispatch(context, command, match, user);
  }

  private register(spec: CommandSpec, builtin: boolean): void {
    const taken = new Map([...this.byName].map(([key, c]) => [key, c.name]));
    const command = resolveCommand(spec, taken, this.groups, builtin);
    this.registry.push(command);
    for (const key of [command.name, ...command.aliases]) this.byName.set(key, command);
  }

  private async dispatch(context: TurnContext, command: ResolvedCommand, match: CommandMatch, user: string): Promise<void> {
    const shown = this.prefix + command.name;
    if (!isAllowed(user, command.allow)) {
      this.logger.warn({ event: 'command.denied', user, command: command.name, at: new Date(this.now()).toISOString() }, 'command denied');
      const groups = command.allow?.groups ?? [];
      const ask = groups.length === 0 ? 'Ask an administrator for access.'
        : `Ask an administrator to add you to ${groups.length === 1 ? 'group' : 'one of the groups'} ${groups.join(', ')}.`;
      await context.sendActivity(`You are not allowed to run ${shown}. ${ask}`);
      return;
    }
    let args: ParsedArgs;
    try {
      args = parseArgs(tokenizeArgs(match.rest, command.args, { maxLength: this.maxLength, maxArgs: this.maxArgs, offset: match.restOffset }), command.args);
    } catch (error) {
      if (!isCommandParseError(error)) throw error;
      await context.sendActivity(`${error.message}\nUsage: ${usageLine(command, this.prefix)}`);
      return;
    }
    if (!(await this.takeRateLimit(context, command, user))) return;
    if (command.confirm !== undefined) {
      const key = `${context.activity.conversation?.id ?? ''}\u0000${user}`;
      this.pending.set(key, { command, args }, command.confirm.timeoutMs);
      const seconds = Math.ceil(command.confirm.timeoutMs / 1000);
      const ask = `Reply yes within ${seconds} s to run ${shown}; anything else cancels.`;
      await context.sendActivity(command.confirm.prompt ? `${command.confirm.prompt}\n${ask}` : ask);
      return;
    }
    await this.run(context, command, args, user);
  }

  /** Checks both limits before recording either, so a refused attempt does not use up quota. */
  private async takeRateLimit(context: TurnContext, command: ResolvedCommand, user: string): Promise<boolean> {
    const perUser = command.rateLimit?.perUser;
    const perCommand = command.rateLimit?.perCommand;
    const userKey = `u\u0000${command.name}\u0000${user}`;
    const commandKey = `c\u0000${command.name}`;
    const wait = Math.max(
      perUser ? this.limiter.retryAfterMs(userKey, perUser) : 0,
      perCommand ? this.limiter.retryAfterMs(commandKey, perCommand) : 0,
    );
    if (wait > 0) {
      this.logger.info({ event: 'command.rate-limited', user, command: command.name, retryAfterMs: wait }, 'command rate limited');
      await context.sendActivity(`Slow down: you can run ${this.prefix}${command.name} again in ${Math.ceil(wait / 1000)} s.`);
      return false;
    }
    if (perUser) this.limiter.record(userKey, perUser);
    if (perCommand) this.limiter.record(commandKey, perCommand);
    return true;
  }

  private async run(context: TurnContext, command: ResolvedCommand, args: ParsedArgs, user: string): Promise<void> {
    this.logger.debug({ event: 'command.run', user, command: command.name }, 'command run');
    try {
      await command.handler(context, args);
    } catch (thrown) {
      throw await replyToHandlerError(context, thrown, {
        command: command.name, shown: this.prefix + command.name, user, correlationId: this.newCorrelationId(), logger: this.logger,
      });
    }
  }

  private async replyUnknown(context: TurnContext, match: CommandMatch, user: string): Promise<void> {
    const runnable = this.registry.filter((c) => isAllowed(user, c.allow));
    const candidates = runnable.flatMap((c) => [c.name, ...c.aliases]);
    const guess = suggest(match.name, candidates);
    const shownName = match.name.length > 40 ? `${match.name.slice(0, 40)}…` : match.name;
    const parts = [`Unknown command ${this.prefix}${shownName}.`];
    if (guess !== undefined) parts.push(`Did you mean ${this.prefix}${guess}?`);
    if (this.find('help')?.builtin) parts.push(`Type ${this.prefix}help to see the commands you can run.`);
    await context.sendActivity(parts.join(' '));
  }
}
