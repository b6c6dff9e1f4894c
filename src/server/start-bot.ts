/**
 * Runs the whole product in-process: configuration → (embedded emulator) → UcwaAdapter + sample bot → restify
 * host. `npm start` calls it through main.ts; integration tests call it on port 0.
 */
import { randomBytes } from 'node:crypto';
import type { Logger as PinoLogger } from 'pino';
import { UcwaAdapter } from '../adapter/ucwa-adapter.js';
import { createHelpdeskBot, type HelpdeskBotParts } from '../bot/create-bot.js';
import type { UcwaEmulator } from '../emulator/types.js';
import type { Logger } from '../ucwa/types.js';
import type { Config } from './config.js';
import { activityLog } from './activity-log.js';
import { createHost, type Host } from './host.js';
import { createLogger } from './logger.js';
import { checkManifest } from './check-manifest.js';
import { loadBotManifest, type BotManifest } from './manifest.js';
import { PrometheusMetrics } from './metrics.js';
import { createRoutes, readinessFrom, type Route } from './routes.js';

/** The demo accounts of the embedded emulator. The bot's password is generated per run and never printed. */
export const DEMO_BOT = { uri: 'sip:bot@contoso.com', name: 'Help Bot', username: 'bot@contoso.com' } as const;
export const DEMO_USERS = [
  { uri: 'sip:alice@contoso.com', name: 'Alice' },
  { uri: 'sip:bob@contoso.com', name: 'Bob' },
] as const;
/** In emulator mode without BOT_ADMINS, Alice is the admin, so `restart` shows both an allowed and a denied user. */
export const DEMO_ADMINS = ['sip:alice@contoso.com'] as const;

export interface StartBotOptions {
  /** @default a pino logger from the config */
  logger?: PinoLogger | Logger;
  /** The bot manifest to load and check against the registered commands and routes. @default manifest/bot.json */
  manifestUrl?: URL | string;
  /** Export Node process metrics on /metrics. @default true */
  defaultMetrics?: boolean;
  /** Extra route rows (such as an alert-relay webhook), served after the built-in ones. */
  routes?: (parts: { adapter: UcwaAdapter; logger: Logger }) => Route[];
  /** Called once the host listens and before sign-in (readiness is 503 then). */
  onListening?: (url: string) => void | Promise<void>;
  /** Called during `stop()` after the adapter stopped and before the host closes (readiness is 503 then). */
  onStopping?: () => void | Promise<void>;
  /**
   * Aborts startup (SIGINT / SIGTERM while signing in): everything already started is stopped again, the UCWA
   * application deleted if it was created, and `startBot` rejects with an error named `AbortError`.
   */
  signal?: AbortSignal;
}

/** `startBot` was aborted through `options.signal` before it finished; everything it started is stopped. */
export class StartupAbortedError extends Error {
  override name = 'AbortError' as const;
  constructor() {
    super('Startup was interrupted; everything started so far has been stopped.');
  }
}

/** The settings a port came from, so a busy port names the variable to change. */
function labelListenError(error: unknown, variable: 'PORT' | 'EMULATOR_PORT'): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if ((code === 'EADDRINUSE' || code === 'EACCES') && typeof error === 'object' && error !== null) {
    Object.assign(error, { variable });
  }
  return error;
}

export interface RunningBot {
  readonly config: Config;
  /** The host's base URL (`http://127.0.0.1:3978`). */
  readonly url: string;
  readonly adapter: UcwaAdapter;
  readonly bot: HelpdeskBotParts;
  readonly manifest: BotManifest;
  readonly metrics: PrometheusMetrics;
  /** The embedded emulator (emulator mode only). */
  readonly emulator?: UcwaEmulator;
  /** The chat page (emulator mode only). */
  readonly chatUrl?: string;
  /** Groups in force (with the demo admin in emulator mode). */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /**
   * Graceful shutdown: readiness goes 503, running turns and their sends finish, the adapter deletes its UCWA
   * application, then the emulator and the host close. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Starts the bot host.
 * @example const running = await startBot(loadConfig()); process.once('SIGTERM', () => running.stop());
 * @throws ManifestError, or the adapter's UcwaError when sign-in fails (everything started is closed again).
 */
export async function startBot(config: Config, options: StartBotOptions = {}): Promise<RunningBot> {
  const logger: Logger = options.logger ?? createLogger({ level: config.logLevel, logMessageBodies: config.logMessageBodies });
  const manifest = options.manifestUrl === undefined ? loadBotManifest() : loadBotManifest(options.manifestUrl);
  const metrics = new PrometheusMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const cleanup: (() => Promise<void>)[] = [];
  let stopping = false;
  const { signal } = options;
  // Each startup step races the abort signal, so Ctrl+C during a slow sign-in is answered at once; the catch
  // below then undoes what was started (stopping the adapter aborts its in-flight requests).
  const aborted = new Promise<never>((_, reject) => {
    const fire = () => reject(new StartupAbortedError());
    if (signal?.aborted) fire();
    else signal?.addEventListener('abort', fire, { once: true });
  });
  aborted.catch(() => undefined);
  const orAbort = <T>(work: Promise<T>): Promise<T> => {
    work.catch(() => undefined);
    return signal ? Promise.race([work, aborted]) : work;
  };

  try {
    let emulator: UcwaEmulator | undefined;
    let signIn: { discoveryUrl: string; username: string; password: string };
    if (config.mode === 'emulator') {
      const password = randomBytes(18).toString('base64url');
      // Loaded only here: production deployments never import the emulator (package.json "./emulator" subpath).
      const { UcwaEmulator } = await import('../emulator/index.js');
      if (signal?.aborted) throw new StartupAbortedError();
      const starting = UcwaEmulator.start({
        port: config.emulatorPort,
        host: '127.0.0.1',
        domain: 'contoso.com',
        botUri: DEMO_BOT.uri,
        users: [{ uri: DEMO_BOT.uri, name: DEMO_BOT.name, password }, ...DEMO_USERS.map((u) => ({ ...u }))],
      }).catch((error: unknown) => { throw labelListenError(error, 'EMULATOR_PORT'); });
      cleanup.unshift(async () => (await starting.catch(() => undefined))?.close());
      emulator = await orAbort(starting);
      signIn = { discoveryUrl: emulator.discoveryUrl, username: DEMO_BOT.username, password };
    } else {
      const ucwa = config.ucwa!;
      signIn = { discoveryUrl: ucwa.discoveryUrl, username: ucwa.username, password: ucwa.password };
    }

    const ucwa = config.ucwa;
    const adapter = new UcwaAdapter({
      ...signIn,
      allowInsecureLoopback: config.mode === 'emulator' || (ucwa?.allowInsecureLoopback ?? false),
      ...(ucwa?.allowedDomains ? { allowedDomains: [...ucwa.allowedDomains] } : {}),
      ...(ucwa?.ca ? { ca: ucwa.ca } : {}),
      ...(ucwa?.proxy ? { proxy: ucwa.proxy } : {}),
      ...(ucwa?.noProxy ? { noProxy: [...ucwa.noProxy] } : {}),
      ...(ucwa?.userAgent ? { userAgent: ucwa.userAgent } : {}),
      ...(ucwa?.culture ? { culture: ucwa.culture } : {}),
      logger,
      metrics,
    });

    const groups = config.mode === 'emulator' && !config.groups['admins'] ? { ...config.groups, admins: [...DEMO_ADMINS] } : config.groups;
    const bot = createHelpdeskBot({ botName: manifest.name, groups, connection: () => adapter, logger });
    adapter.use(activityLog(logger));
    for (const middleware of bot.middleware) adapter.use(middleware);
    adapter.onTurnError = bot.onTurnError;

    const routes = [
      ...createRoutes({ readiness: readinessFrom(() => adapter, () => stopping), metrics }),
      ...(options.routes?.({ adapter, logger }) ?? []),
    ];
    // The manifest must describe exactly what runs: a drifted summary, a missing command or route stops startup.
    checkManifest(manifest, bot, routes, options.manifestUrl);
    const host: Host = createHost({ routes, port: config.port, host: config.host, logger });
    const listening = host.start().catch((error: unknown) => { throw labelListenError(error, 'PORT'); });
    cleanup.unshift(async () => (await listening.then(() => host.stop(), () => undefined)));
    const url = await orAbort(listening);
    await orAbort(Promise.resolve(options.onListening?.(url)));

    // stop() also works while start() is signing in: it aborts the sign-in and deletes the application if created.
    const signingIn = adapter.start(bot.logic);
    cleanup.unshift(async () => {
      await adapter.stop();
      await signingIn.catch(() => undefined);
      await adapter.stop();
    });
    await orAbort(signingIn);
    if (signal?.aborted) throw new StartupAbortedError();
    logger.info({ mode: config.mode, url, bot: adapter.self?.uri }, 'bot signed in and listening');

    let stopped: Promise<void> | undefined;
    return {
      config, url, adapter, bot, manifest, metrics, groups,
      ...(emulator ? { emulator, chatUrl: emulator.chatUrl } : {}),
      stop: () => (stopped ??= (async () => {
        stopping = true;
        logger.info('shutting down');
        // Every step runs even if an earlier one fails (a failed DELETE must not leave the port open).
        const steps = [
          async () => {
            await adapter.stop();
            logger.info('signed out of UCWA (application deleted)');
          },
          async () => options.onStopping?.(), async () => emulator?.close(), () => host.stop(),
        ];
        let firstError: unknown;
        for (const step of steps) {
          try {
            await step();
          } catch (error) {
            firstError ??= error;
            logger.error({ err: error }, 'shutdown step failed');
          }
        }
        if (firstError !== undefined) throw firstError;
        logger.info('stopped');
      })()),
    };
  } catch (error) {
    stopping = true;
    if (error instanceof StartupAbortedError) logger.info('startup interrupted; stopping what was started');
    for (const close of cleanup) await close().catch((err: unknown) => logger.error({ err }, 'cleanup after a failed startup failed'));
    throw error;
  }
}
