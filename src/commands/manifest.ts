import type { CommandMiddleware } from './command-middleware.js';
import type { ManifestCommand } from './types.js';

/** Every mismatch between a manifest's `commands` and the registered commands; `problems` has one per line. */
export class CommandManifestError extends Error {
  override name = 'CommandManifestError' as const;
  constructor(readonly problems: readonly string[]) {
    super(`Command manifest mismatch (${problems.length}):\n- ${problems.join('\n- ')}`);
  }
}

function sameList(a: readonly string[] = [], b: readonly string[] = []): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function stripPrefix(usage: string, prefix: string): string {
  const trimmed = usage.trim();
  return prefix !== '' && trimmed.startsWith(prefix) ? trimmed.slice(prefix.length) : trimmed;
}

/**
 * Checks the `commands` of `manifest/bot.json` against the registered commands, at startup.
 * Mismatches: a command in the manifest but not registered, registered but not in the manifest (builtins
 * such as `help` may be left out), a different summary, and — when the manifest gives them — different
 * usage (with or without the prefix) or aliases. Malformed and duplicate manifest entries are reported too.
 *
 * @throws CommandManifestError listing every mismatch, one per line (also as `problems`).
 * @example
 * ```ts
 * const manifest = JSON.parse(await readFile('manifest/bot.json', 'utf8'));
 * validateCommandManifest(manifest.commands, commands);
 * ```
 */
export function validateCommandManifest(manifestCommands: ManifestCommand[], middleware: CommandMiddleware): void {
  const problems: string[] = [];
  if (!Array.isArray(manifestCommands)) {
    throw new CommandManifestError(['the manifest "commands" must be an array of { name, summary }']);
  }
  const registered = new Map(middleware.describe().map((c) => [c.name, c]));
  const seen = new Set<string>();
  manifestCommands.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string' || typeof entry.summary !== 'string') {
      problems.push(`commands[${i}] must be an object with string "name" and "summary"`);
      return;
    }
    if (seen.has(entry.name)) {
      problems.push(`'${entry.name}' is listed more than once in the manifest`);
      return;
    }
    seen.add(entry.name);
    const actual = registered.get(entry.name);
    if (actual === undefined) {
      problems.push(`'${entry.name}' is in the manifest but no such command is registered`);
      return;
    }
    if (entry.summary.trim() !== actual.summary) {
      problems.push(`'${entry.name}' summary differs: manifest "${entry.summary}", registered "${actual.summary}"`);
    }
    if (entry.usage !== undefined && stripPrefix(entry.usage, middleware.prefix) !== actual.usage) {
      problems.push(`'${entry.name}' usage differs: manifest "${entry.usage}", registered "${actual.usage}"`);
    }
    if (entry.aliases !== undefined && !sameList(entry.aliases, actual.aliases)) {
      problems.push(`'${entry.name}' aliases differ: manifest [${entry.aliases.join(', ')}], registered [${(actual.aliases ?? []).join(', ')}]`);
    }
  });
  for (const command of middleware.commands) {
    if (!seen.has(command.name) && !command.builtin) problems.push(`'${command.name}' is registered but missing from the manifest`);
  }
  if (problems.length > 0) throw new CommandManifestError(problems);
}
