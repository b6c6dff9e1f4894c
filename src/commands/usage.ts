import { describeType } from './convert-arg.js';
import type { ResolvedCommand } from './resolved-command.js';
import type { ArgSpec } from './types.js';

function placeholder(arg: ArgSpec): string {
  if (arg.type === 'enum' && arg.values) return arg.values.join('|');
  return arg.type === 'sipUri' ? 'sip-uri' : arg.type === undefined || arg.type === 'string' ? 'value' : arg.type;
}

/** One argument in a usage line: `<service>`, `[reason...]`, `--env dev|prod`, `[--dry-run]`. */
export function formatArgUsage(arg: ArgSpec): string {
  let text: string;
  if (arg.flag) text = arg.type === 'boolean' ? `--${arg.name}` : `--${arg.name} ${placeholder(arg)}`;
  else text = `${arg.name}${arg.rest ? '...' : ''}`;
  if (arg.required) return arg.flag ? text : `<${text}>`;
  return `[${text}]`;
}

/** Generated usage (without prefix and name) for argument specs. */
export function generateUsage(args: readonly ArgSpec[]): string {
  const positionals = args.filter((a) => !a.flag);
  const flags = args.filter((a) => a.flag);
  return [...positionals, ...flags].map(formatArgUsage).join(' ');
}

/**
 * The full usage line, such as `!deploy <service> [--env dev|prod]`. A hand-written `usage` may start with
 * the name (with or without the prefix) or contain only the arguments.
 */
export function usageLine(command: ResolvedCommand, prefix: string): string {
  const usage = command.usage.trim();
  if (command.usageGiven) {
    if (prefix !== '' && usage.startsWith(prefix + command.name)) return usage;
    if (usage === command.name || usage.startsWith(`${command.name} `)) return prefix + usage;
  }
  return `${prefix}${command.name}${usage ? ` ${usage}` : ''}`;
}

/** One line of `help <command>` per argument: name, type, required/default, description. */
export function describeArg(arg: ArgSpec): string {
  const facts = [describeType(arg)];
  if (arg.required) facts.push('required');
  if (arg.default !== undefined) facts.push(`default ${formatDefault(arg)}`);
  if (arg.rest) facts.push('takes the rest of the line');
  const name = arg.flag ? `--${arg.name}` : arg.name;
  return `  ${name} (${facts.join(', ')})${arg.description ? ` — ${arg.description}` : ''}`;
}

function formatDefault(arg: ArgSpec): string {
  if (arg.type === 'duration' && typeof arg.default === 'number') return `${arg.default / 1000} s`;
  return typeof arg.default === 'string' ? arg.default : JSON.stringify(arg.default);
}
