/**
 * The startup check that `manifest/bot.json` describes what actually runs: the registered commands and the
 * served routes. A drifted manifest stops startup, so the published description of the bot never lies.
 */
import type { HelpdeskBotParts } from '../bot/create-bot.js';
import { CommandManifestError, validateCommandManifest } from '../commands/manifest.js';
import { ManifestError, type BotManifest } from './manifest.js';
import type { Route } from './routes.js';

/**
 * Checks the manifest against what runs: its commands against the registered ones, its endpoints against the
 * route table (method, path and summary).
 * @throws ManifestError listing every mismatch.
 */
export function checkManifest(manifest: BotManifest, bot: Pick<HelpdeskBotParts, 'commands'>, routes: readonly Route[], source?: URL | string): void {
  const problems: string[] = [];
  try {
    validateCommandManifest(manifest.commands, bot.commands);
  } catch (error) {
    if (!(error instanceof CommandManifestError)) throw error;
    problems.push(...error.problems.map((p) => `commands: ${p}`));
  }
  const key = (e: { method: string; path: string }) => `${e.method} ${e.path}`;
  const listed = new Map(manifest.endpoints.map((e) => [key(e), e]));
  for (const route of routes) {
    const entry = listed.get(key(route));
    if (!entry) problems.push(`endpoints: ${key(route)} is served but not listed`);
    else if (entry.summary !== route.summary) problems.push(`endpoints: ${key(route)} summary differs: manifest "${entry.summary}", route "${route.summary}"`);
    listed.delete(key(route));
  }
  for (const k of listed.keys()) problems.push(`endpoints: ${k} is listed but not served`);
  if (problems.length > 0) throw new ManifestError(problems, source === undefined ? undefined : String(source));
}
