/**
 * `npm start`: loads `.env` and the environment, starts the bot (on the embedded emulator when no
 * UCWA_DISCOVERY_URL is set), prints where to go next, and shuts down gracefully on SIGINT / SIGTERM.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

async function main(): Promise<void> {
  let running: RunningBot;
  try {
    const env = loadDotenv(resolve(process.cwd(), '.env'), process.env);
    running = await startBot(loadConfig(env));
  } catch (error) {
    // Configuration mistakes get their fix-it message without a stack; anything else is unexpected.
    const known = error instanceof ConfigError || error instanceof DotenvError || error instanceof ManifestError;
    process.stderr.write(`\n${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n\n`);
    if (!known) process.stderr.write('Startup failed. Check UCWA_DISCOVERY_URL, the bot account and the network, then try again.\n');
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
