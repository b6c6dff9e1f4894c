/**
 * `npm start`: loads `.env` and the environment, starts the bot (on the embedded emulator when no
 * UCWA_DISCOVERY_URL is set), prints where to go next, and shuts down gracefully on SIGINT / SIGTERM.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isUcwaError } from '../ucwa/errors.js';
import { ConfigError, loadConfig } from './config.js';
import { DotenvError, loadDotenv } from './dotenv.js';
import { createLogger } from './logger.js';
import { ManifestError } from './manifest.js';
import { DEMO_USERS, startBot, type RunningBot } from './start-bot.js';

export { StartupAbortedError, startBot } from './start-bot.js';
export type { RunningBot, StartBotOptions } from './start-bot.js';

/** The short "where to go next" text printed after startup (plain lines; the logs themselves are JSON). */
export function formatBanner(running: RunningBot): string {
  const base = running.url;
  const lines = [''];
  if (running.chatUrl) {
    const adminList = running.groups['admins'] ?? [];
    const admins = adminList.join(', ') || 'nobody';
    const demoAdmin = DEMO_USERS.some((u) => adminList.includes(u.uri) || adminList.includes('@contoso.com'));
    // A BOT_ADMINS copied from .env.example replaces Alice: say so, or "restart" is denied to everyone.
    const tryIt = demoAdmin ? '(try "restart web" as each user)' : '(from BOT_ADMINS: no demo user may run restart; unset it to make Alice an admin)';
    lines.push(
      `  ${running.manifest.name} is running on the embedded UCWA emulator (no Skype for Business server needed).`,
      '',
      `  Chat with it:  ${running.chatUrl}`,
      `                 pick ${DEMO_USERS.map((u) => u.name).join(' or ')}, then type: help`,
      `  Admins:        ${admins} ${tryIt}`,
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

/** Adapter option names in client messages, as the variables `npm start` users actually set. */
const OPTION_ENV: Readonly<Record<string, string>> = {
  discoveryUrl: 'UCWA_DISCOVERY_URL', username: 'UCWA_USERNAME', password: 'UCWA_PASSWORD', proxy: 'HTTPS_PROXY',
  ca: 'UCWA_CA_FILE', allowedDomains: 'UCWA_ALLOWED_DOMAINS', userAgent: 'UCWA_USER_AGENT', culture: 'UCWA_CULTURE',
};

function toEnvNames(message: string): string {
  return message.replace(/`([A-Za-z]+)`/g, (whole, name: string) => OPTION_ENV[name] ?? whole);
}

/** The message `npm start` prints when startup fails: a fix-it line for known mistakes, the stack otherwise. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DotenvError || error instanceof ManifestError) return error.message;
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e?.code === 'EADDRINUSE' || e?.code === 'EACCES') {
    const what = e.code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges';
    const variable = (e as { variable?: string }).variable;
    const port = `Port ${e.port ?? '?'} on ${e.address ?? 'this host'} ${what}`;
    if (variable === 'EMULATOR_PORT') {
      return `EMULATOR_PORT: ${port} (is another npm start or npm run emulator running?). Set EMULATOR_PORT to a free port, or 0 to pick one.`;
    }
    if (variable === 'PORT') return `PORT: ${port}. Set PORT to a free port, or 0 to pick one.`;
    return `${port}. Set PORT (the bot host) or EMULATOR_PORT (the embedded emulator) to a free port, or 0 to pick one.`;
  }
  // A UcwaError's message already names the request, status, code and subcode: the stack adds nothing.
  const detail = isUcwaError(error) ? `${error.name}: ${toEnvNames(error.message)}` : e instanceof Error ? (e.stack ?? e.message) : String(error);
  return `${detail}\n\nStartup failed. Check UCWA_DISCOVERY_URL, the bot account (UCWA_USERNAME / UCWA_PASSWORD) and the network, then try again.`;
}

/** How long a graceful shutdown may take before the process exits anyway (under Kubernetes' default 30 s grace). */
export const SHUTDOWN_DEADLINE_MS = 25_000;

/** A repeat of the signal within this time is the same Ctrl+C (the terminal and npm both deliver it), not a second one. */
const SAME_SIGNAL_MS = 1000;

async function main(): Promise<void> {
  // Signal handlers come first: Ctrl+C while signing in must also stop gracefully (delete a created application).
  const startup = new AbortController();
  let running: RunningBot | undefined;
  let logger: ReturnType<typeof createLogger> | undefined;
  let firstSignalAt: number | undefined;
  // Logs go through an asynchronous stream: flush them, or the last lines ("stopped") may be lost or reordered.
  const exit = (code: number) => (logger ? logger.flush(() => process.exit(code)) : process.exit(code));
  const shutdown = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < SAME_SIGNAL_MS) return;
      process.stderr.write(`${signal} again: exiting without waiting.\n`);
      process.exit(1);
    }
    firstSignalAt = Date.now();
    const deadline = setTimeout(() => {
      process.stderr.write(`Shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting without waiting.\n`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // During startup, startBot undoes what it started and rejects; main() then exits 0 below.
    if (running === undefined) return startup.abort();
    running.stop().then(
      () => exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String((error as Error)?.message ?? error)}\n`);
        exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    const config = loadConfig(loadDotenv(resolve(process.cwd(), '.env'), process.env));
    logger = createLogger({ level: config.logLevel, logMessageBodies: config.logMessageBodies });
    running = await startBot(config, { signal: startup.signal, logger });
  } catch (error) {
    if (startup.signal.aborted) {
      process.stderr.write('\nStopped during startup.\n');
      return exit(0);
    }
    process.stderr.write(`\n${describeStartupError(error)}\n\n`);
    return exit(1);
  }
  process.stdout.write(formatBanner(running) + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}
