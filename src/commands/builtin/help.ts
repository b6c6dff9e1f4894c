import type { TurnContext } from 'botbuilder';
import type { CommandMiddleware } from '../command-middleware.js';
import type { ResolvedCommand } from '../resolved-command.js';
import type { CommandSpec, ParsedArgs } from '../types.js';
import { describeArg, usageLine } from '../usage.js';

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** `help` with no argument: one line per command the asking user may run. */
export function formatCommandList(commands: readonly ResolvedCommand[], prefix: string): string {
  const lines = commands.map((c) => `${prefix}${c.name} — ${c.summary}`);
  return ['Commands you can run:', ...lines, `Type ${prefix}help <command> for details.`].join('\n');
}

/** `help <command>`: usage, summary, aliases, arguments with types and defaults, confirm and limits. */
export function formatCommandHelp(command: ResolvedCommand, prefix: string): string {
  const lines = [usageLine(command, prefix), command.summary];
  if (command.aliases.length > 0) lines.push(`Aliases: ${command.aliases.map((a) => prefix + a).join(', ')}`);
  if (command.args.length > 0) lines.push('Arguments:', ...command.args.map(describeArg));
  if (command.confirm) lines.push(`Asks you to reply yes within ${seconds(command.confirm.timeoutMs)} before it runs.`);
  const limits: string[] = [];
  const { perUser, perCommand } = command.rateLimit ?? {};
  if (perUser) limits.push(`${perUser.max} per user per ${seconds(perUser.windowMs)}`);
  if (perCommand) limits.push(`${perCommand.max} for everyone per ${seconds(perCommand.windowMs)}`);
  if (limits.length > 0) lines.push(`Rate limit: ${limits.join('; ')}.`);
  return lines.join('\n');
}

/**
 * The builtin `help` command, generated from the registry. It lists only the commands the asking user may
 * run; `help <command>` for a command they may not run answers as if it did not exist, so the list of
 * restricted commands is not disclosed. Registered by `CommandMiddleware` unless `options.help` is false.
 */
export function createHelpCommand(middleware: CommandMiddleware): CommandSpec {
  return {
    name: 'help',
    aliases: ['commands'],
    summary: 'Show the commands you can run, or details of one',
    args: [{ name: 'command', description: 'a command name' }],
    handler: async (context: TurnContext, args: ParsedArgs) => {
      const prefix = middleware.prefix;
      const runnable = middleware.commands.filter((c) => middleware.mayRun(context, c));
      const wanted = typeof args['command'] === 'string' ? args['command'].toLowerCase() : undefined;
      if (wanted === undefined) {
        await context.sendActivity(formatCommandList(runnable, prefix));
        return;
      }
      const name = wanted.startsWith(prefix) ? wanted.slice(prefix.length) : wanted;
      const command = middleware.find(name);
      if (command === undefined || !runnable.includes(command)) {
        const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
        await context.sendActivity(`There is no command ${prefix}${shown} that you can run. Type ${prefix}help to see the list.`);
        return;
      }
      await context.sendActivity(formatCommandHelp(command, prefix));
    },
  };
}
