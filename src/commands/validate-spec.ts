import { convertArg } from './convert-arg.js';
import { optionKey } from './parse-command.js';
import { resolveAllow, type Audience } from './permissions.js';
import type { ResolvedCommand } from './resolved-command.js';
import type { ArgSpec, ArgType, CommandSpec, RateLimitSpec } from './types.js';
import { generateUsage } from './usage.js';

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const ARG_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const ARG_TYPES: readonly ArgType[] = ['string', 'number', 'boolean', 'enum', 'sipUri', 'duration'];
/** @default confirmation window when `confirm: true`. */
export const DEFAULT_CONFIRM_TIMEOUT_MS = 30_000;

function checkName(command: string, field: string, name: unknown, taken: ReadonlyMap<string, string>): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(
      `command '${command}': ${field} must be 1-32 lower-case letters, digits, '-' or '_' starting with a letter, got ${JSON.stringify(name)}`,
    );
  }
  const owner = taken.get(name);
  if (owner !== undefined) throw new TypeError(`command '${command}': ${field} '${name}' is already used by command '${owner}'`);
  return name;
}

function checkArg(command: string, arg: ArgSpec, index: number, all: readonly ArgSpec[]): ArgSpec {
  const where = `command '${command}': args[${index}]`;
  if (typeof arg !== 'object' || arg === null) throw new TypeError(`${where} must be an object`);
  if (typeof arg.name !== 'string' || !ARG_NAME.test(arg.name) || optionKey(arg.name) === '') {
    throw new TypeError(`${where}.name must be 1-32 letters, digits, '-' or '_' starting with a letter, got ${JSON.stringify(arg.name)}`);
  }
  const type = arg.type ?? 'string';
  if (!ARG_TYPES.includes(type)) throw new TypeError(`${where}.type must be one of ${ARG_TYPES.join(', ')}, got ${JSON.stringify(arg.type)}`);
  if (type === 'enum' && (!Array.isArray(arg.values) || arg.values.length === 0 || !arg.values.every((v) => typeof v === 'string' && v !== ''))) {
    throw new TypeError(`${where}.values must list the allowed values (non-empty strings) for an enum`);
  }
  if (type !== 'enum' && arg.values !== undefined) throw new TypeError(`${where}.values is only for type 'enum'`);
  if (arg.rest && arg.flag) throw new TypeError(`${where}: rest and flag cannot both be set`);
  if (arg.required && arg.default !== undefined) throw new TypeError(`${where}: a required argument cannot have a default`);
  const positionals = all.filter((a) => !a.flag);
  const position = positionals.indexOf(arg);
  if (arg.rest && position !== positionals.length - 1) throw new TypeError(`${where}.rest: only the last positional argument can take the rest of the line`);
  if (!arg.flag && arg.required && positionals.slice(0, position).some((a) => !a.required)) {
    throw new TypeError(`${where}.required: a required positional cannot follow an optional one`);
  }
  const key = optionKey(arg.name);
  const clash = all.findIndex((a) => a !== arg && optionKey(a.name) === key);
  if (clash !== -1) throw new TypeError(`${where}.name '${arg.name}' clashes with args[${clash}].name '${all[clash]!.name}'`);
  let defaultValue = arg.default;
  if (typeof defaultValue === 'string' && type !== 'string') {
    const converted = convertArg(arg, defaultValue);
    if (!converted.ok) throw new TypeError(`${where}.default: ${converted.reason}`);
    defaultValue = converted.value;
  }
  return { ...arg, type, ...(defaultValue === undefined ? {} : { default: defaultValue }) };
}

function checkLimit(command: string, field: string, limit: { max: number; windowMs: number } | undefined): void {
  if (limit === undefined) return;
  if (!Number.isInteger(limit.max) || limit.max < 1 || limit.max > 10_000) {
    throw new TypeError(`command '${command}': rateLimit.${field}.max must be an integer from 1 to 10000, got ${limit.max}`);
  }
  if (!Number.isFinite(limit.windowMs) || limit.windowMs <= 0) {
    throw new TypeError(`command '${command}': rateLimit.${field}.windowMs must be a positive number of milliseconds, got ${limit.windowMs}`);
  }
}

/**
 * Validates a command spec and resolves it. `taken` maps every name and alias already registered to its command.
 * @throws TypeError naming the command and the field (duplicate names/aliases, bad args, unknown groups, …).
 */
export function resolveCommand(
  spec: CommandSpec, taken: ReadonlyMap<string, string>, groups: ReadonlyMap<string, Audience>, builtin = false,
): ResolvedCommand {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('CommandMiddleware.command() expects a spec object');
  const label = typeof spec.name === 'string' ? spec.name : String(spec.name);
  const name = checkName(label, 'name', spec.name, taken);
  const aliases = (spec.aliases ?? []).map((alias, i) => checkName(name, `aliases[${i}]`, alias, taken));
  const dup = aliases.find((a, i) => a === name || aliases.indexOf(a) !== i);
  if (dup !== undefined) throw new TypeError(`command '${name}': alias '${dup}' is listed twice or equals the name`);
  if (typeof spec.summary !== 'string' || spec.summary.trim() === '') throw new TypeError(`command '${name}': summary must be a non-empty string`);
  if (typeof spec.handler !== 'function') throw new TypeError(`command '${name}': handler must be a function`);
  if (spec.usage !== undefined && typeof spec.usage !== 'string') throw new TypeError(`command '${name}': usage must be a string`);
  if (spec.args !== undefined && !Array.isArray(spec.args)) throw new TypeError(`command '${name}': args must be an array`);
  const rawArgs = spec.args ?? [];
  const args = rawArgs.map((arg, i) => checkArg(name, arg, i, rawArgs));
  const rateLimit: RateLimitSpec | undefined = spec.rateLimit;
  checkLimit(name, 'perUser', rateLimit?.perUser);
  checkLimit(name, 'perCommand', rateLimit?.perCommand);
  let confirm: ResolvedCommand['confirm'];
  if (spec.confirm) {
    const options = spec.confirm === true ? {} : spec.confirm;
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`command '${name}': confirm.timeoutMs must be a positive number, got ${timeoutMs}`);
    confirm = { prompt: options.prompt, timeoutMs };
  }
  return {
    name, aliases, summary: spec.summary.trim(), args, handler: spec.handler, builtin,
    usage: spec.usage ?? generateUsage(args), usageGiven: spec.usage !== undefined,
    allow: resolveAllow(name, spec.allow, groups), rateLimit, confirm,
  };
}
