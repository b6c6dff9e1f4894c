/**
 * `npm start`: loads `.env` and the environment, starts the bot (on the embedded emulator when no
 * UCWA_DISCOVERY_URL is set), prints where to go next, and shuts down gracefully on SIGINT / SIGTERM.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isUcwaError } from '../ucwa/errors.js';
import { ConfigError, loadConfig } from './config.js';
import { DotenvError, loadDotenv } from './dotenv.js';
import { ManifestError } from './manifest.js';
import { DEMO_USERS, startBot, type RunningBot } from './start-bot.js';

export { startBot } from './start-bot.js';
export type { RunningBot, StartBotOptions } from './start-bot.js';

/** The short "where to go next" text printed after startup (plain lines; the logs themselves are JSON). */
export function formatBanner(running: RunningBot): string {
  const base = running.url;
  const lines = [''];
  if (running.chatUrl) {
    const admins = running.groups['admins']?.join(', ') ?? 'nobody';
    lines.push(
      `  ${running.manifest.name} is running on the embedded UCWA emulator (no Skype for Business server needed).`,
      '',
      `  Chat with it:  ${running.chatUrl}`,
      `                 pick ${DEMO_USERS.map((u) => u.name).join(' or ')}, then type: help`,
      `  Admins:        ${admins} (try "restart web" as each user)`,
    );
  } else {
    lines.push(`  ${running.manifest.name} is signed in to ${new URL(running.config.ucwa!.discoveryUrl).host} as ${running.adapter.self?.uri ?? running.config.ucwa!.username}.`);
  }
  lines.push(
    `  Health:        ${base}/healthz   ${base}/readyz`,
    `  Metrics:       ${base}/metrics`,
    '',
    '  Press Ctrl+C to stop.',
    '',
  );
  return lines.join('\n');
}

/** The message `npm start` prints when startup fails: a fix-it line for known mistakes, the stack otherwise. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DotenvError || error instanceof ManifestError) return error.message;
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e?.code === 'EADDRINUSE' || e?.code === 'EACCES') {
    const what = e.code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges';
    return `Port ${e.port ?? '?'} on ${e.address ?? 'this host'} ${what}. Set PORT (the bot host) or EMULATOR_PORT (the embedded emulator) to a free port, or 0 to pick one.`;
  }
  // A UcwaError's message already names the request, status, code and subcode: the stack adds nothing.
  const detail = isUcwaError(error) ? `${error.name}: ${error.message}` : e instanceof Error ? (e.stack ?? e.message) : String(error);
  return `${detail}\n\nStartup failed. Check UCWA_DISCOVERY_URL, the bot account (UCWA_USERNAME / UCWA_PASSWORD) and the network, then try again.`;
}

async function main(): Promise<void> {
  let running: RunningBot;
  try {
    const env = loadDotenv(resolve(process.cwd(), '.env'), process.env);
    running = await startBot(loadConfig(env));
  } catch (error) {
    process.stderr.write(`\n${describeStartupError(error)}\n\n`);
    process.exit(1);
  }
  process.stdout.write(formatBanner(running) + '\n');

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      process.stderr.write(`${signal} again: exiting without waiting.\n`);
      process.exit(1);
    }
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String((error as Error)?.message ?? error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}
