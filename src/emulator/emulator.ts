/**
 * UcwaEmulator: a local UCWA 2.0 server (issue #2) serving discovery, OAuth, the UCWA pool, the simulated-user
 * and fault API (programmatic and under `/_emulator/api/`) and the browser chat page, from one `node:http` server.
 *
 * @example
 * const emu = await UcwaEmulator.start({ users: [{ uri: 'sip:bot@contoso.com', name: 'Help Bot', password: 'p' },
 *                                                { uri: 'sip:alice@contoso.com', name: 'Alice' }] });
 * const conv = await emu.user('sip:alice@contoso.com').startConversation('hello');
 * await conv.waitForReceived(1);
 * await emu.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  EmulatorApplicationInfo, EmulatorUserConfig, RecordedRequest, SimulatedUser, UcwaEmulator as UcwaEmulatorContract, UcwaEmulatorOptions,
} from './types.js';
import { Env, type ResolvedOptions } from './env.js';
import { FaultRegistry } from './faults.js';
import { Recorder } from './recorder.js';
import { Router } from './router.js';
import { dispatch, type DispatchDeps } from './dispatch.js';
import { SimUserHandle, assertAckDelay, assertAvailability } from './simulated-users.js';
import { createApiHandler } from './routes/api.js';

/** Options beyond the contract in types.ts (added members). */
export interface UcwaEmulatorExtraOptions {
  /** The user the chat page and `startConversation()` talk to. @default the first user with a password */
  botUri?: string;
  /** How long the bot's setIsTyping shows (setIsTyping_ref.md: "a short server timer"). @default 5000 */
  botTypingMs?: number;
  /** Keep at most this many requests in the log (0 disables recording). @default 10000 */
  maxRecordedRequests?: number;
}

export type StartOptions = UcwaEmulatorOptions & UcwaEmulatorExtraOptions;

function resolve(options: StartOptions): ResolvedOptions & { maxRecordedRequests: number } {
  const users = options.users ?? [];
  const num = (name: string, v: number | undefined, d: number, min = 0): number => {
    if (v === undefined) return d;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new TypeError(`Expected ${name} to be a number >= ${min}, got ${String(v)}`);
    return v;
  };
  const botUri = options.botUri ?? users.find((u) => u.password !== undefined)?.uri;
  return {
    port: num('port', options.port, 0),
    host: options.host ?? '127.0.0.1',
    domain: options.domain ?? 'contoso.com',
    tokenLifetimeSeconds: num('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 28800, 1),
    applicationIdleTimeoutMs: num('applicationIdleTimeoutMs', options.applicationIdleTimeoutMs, 900_000, 1),
    reportMyActivityTimeoutMs: num('reportMyActivityTimeoutMs', options.reportMyActivityTimeoutMs, 600_000, 1),
    invitationTimeoutMs: num('invitationTimeoutMs', options.invitationTimeoutMs, 30_000, 1),
    incomingMessageTimeoutMs: num('incomingMessageTimeoutMs', options.incomingMessageTimeoutMs, 30_000, 1),
    homePoolRedirect: options.homePoolRedirect ?? false,
    replayInvitationMessage: options.replayInvitationMessage ?? true,
    rejectDuplicateOperationIds: options.rejectDuplicateOperationIds ?? false,
    maxBodyBytes: num('maxBodyBytes', options.maxBodyBytes, 65536, 1),
    maxApplicationsPerUser: options.maxApplicationsPerUser === undefined ? Infinity : num('maxApplicationsPerUser', options.maxApplicationsPerUser, 0, 1),
    refusedUserAgents: stringList('refusedUserAgents', options.refusedUserAgents),
    maxMessageBytes: num('maxMessageBytes', options.maxMessageBytes, 16384, 1),
    htmlMessaging: options.htmlMessaging ?? true,
    eventsBeforeCreated: options.eventsBeforeCreated ?? false,
    collapseOperationEvents: options.collapseOperationEvents ?? false,
    urlStyle: options.urlStyle ?? 'walkthrough',
    incomingMessageEvent: options.incomingMessageEvent ?? 'completed',
    botUri,
    botTypingMs: num('botTypingMs', options.botTypingMs, 5000, 1),
    maxRecordedRequests: num('maxRecordedRequests', options.maxRecordedRequests, 10_000),
  };
}

function stringList(name: string, v: string[] | undefined): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.length === 0)) throw new TypeError(`Expected ${name} to be an array of non-empty strings`);
  return v.map((s) => s.toLowerCase());
}

function validateUser(u: EmulatorUserConfig, i: number): void {
  if (!u || typeof u.uri !== 'string' || !/^sip:[^@\s]+@[^@\s]+$/i.test(u.uri)) throw new TypeError(`users[${i}].uri must be a SIP URI like sip:alice@contoso.com, got ${String(u?.uri)}`);
  if (typeof u.name !== 'string') throw new TypeError(`users[${i}].name must be a string`);
  if (u.password !== undefined && typeof u.password !== 'string') throw new TypeError(`users[${i}].password must be a string`);
  if (u.availability !== undefined) assertAvailability(u.availability);
  if (u.ackDelayMs !== undefined) assertAckDelay(u.ackDelayMs, `users[${i}].ackDelayMs`);
}

export class UcwaEmulator implements UcwaEmulatorContract {
  readonly faults = new FaultRegistry();
  private readonly recorder: Recorder;
  private readonly router: Router;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly sweepTimer: ReturnType<typeof setInterval>;
  private readonly handles = new Map<string, SimUserHandle>();
  private closed = false;

  private constructor(readonly env: Env, private readonly server: Server, recordLimit: number) {
    this.recorder = new Recorder(recordLimit);
    this.router = new Router(env.style, env.opts.homePoolRedirect ? [2] : [1]);
    this.faults.onInject = (f) => {
      if (!f.spec.dropEventChannel) return;
      for (const app of env.apps.values()) if (f.remaining > 0 && app.channel.releaseNow(true)) this.faults.consume(f);
    };
    this.sweepTimer = setInterval(() => env.sweep(), 1000);
    this.sweepTimer.unref?.();
  }

  /** Starts an emulator and resolves once it listens. */
  static async start(options: StartOptions = {}): Promise<UcwaEmulator> {
    const opts = resolve(options);
    (options.users ?? []).forEach(validateUser);
    const env = new Env(opts);
    for (const u of options.users ?? []) {
      const key = u.uri.toLowerCase();
      if (env.users.has(key)) throw new TypeError(`Duplicate user ${u.uri}`);
      env.users.set(key, { uri: u.uri, name: u.name, password: u.password, availability: u.availability ?? 'online', ackDelayMs: u.ackDelayMs ?? 0, convs: [] });
    }
    if (opts.botUri && !env.findUser(opts.botUri)) throw new TypeError(`botUri ${opts.botUri} is not one of the configured users`);
    const server = createServer({ keepAliveTimeout: 65_000 });
    const emu = new UcwaEmulator(env, server, opts.maxRecordedRequests);
    const deps: DispatchDeps = { env, router: emu.router, faults: emu.faults, recorder: emu.recorder, api: createApiHandler(emu), timers: emu.timers };
    server.on('request', (req, res) => void dispatch(deps, req, res));
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(opts.port, opts.host, () => ok());
    });
    const addr = server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    env.origin = `http://${host}:${addr.port}`;
    return emu;
  }

  get port(): number { return (this.server.address() as AddressInfo).port; }
  get domain(): string { return this.env.opts.domain; }
  get baseUrl(): string { return this.env.origin; }
  /** The autodiscovery root (what `https://lyncdiscover.<domain>/` answers). */
  get discoveryUrl(): string { return `${this.env.origin}/`; }
  get chatUrl(): string { return `${this.env.origin}/_emulator/chat`; }
  /** The user the chat page talks to (option `botUri`, else the first user with a password). */
  get botUri(): string | undefined { return this.env.opts.botUri; }

  requests(): RecordedRequest[] { return this.recorder.all(); }
  clearRequests(): void { this.recorder.clear(); }

  user(uri: string): SimulatedUser {
    const rec = this.env.findUser(uri);
    if (!rec) throw new TypeError(`Unknown user ${uri}; configure it in UcwaEmulator.start({ users })`);
    let h = this.handles.get(rec.uri);
    if (!h) this.handles.set(rec.uri, (h = new SimUserHandle(this.env, rec)));
    return h;
  }

  users(): SimulatedUser[] {
    return [...this.env.users.values()].map((u) => this.user(u.uri));
  }

  applications(): EmulatorApplicationInfo[] {
    this.env.sweep();
    return [...this.env.apps.values()].filter((a) => !a.dead).map((a) => ({
      id: a.id, user: a.user.uri, endpointId: a.endpointId, href: a.urls.self(), madeAvailable: a.available, pendingPGet: a.channel.pendingPGet,
    }));
  }

  expireApplication(id?: string, options: { gone?: boolean } = {}): void {
    for (const app of this.env.apps.values()) if (!id || app.id === id) this.env.kill(app, options.gone ? 'gone' : 'notFound');
  }

  expireTokens(): void { this.env.tokens.expireAll(); }

  /**
   * Resolves once the application (default: the newest) has a P-GET parked, so a test can act on a pending
   * request without sleeping. Rejects after `timeoutMs`.
   */
  waitForPendingPGet(applicationId?: string, timeoutMs = 10_000): Promise<void> {
    const apps = [...this.env.apps.values()].filter((a) => !a.dead && (!applicationId || a.id === applicationId));
    const app = apps.at(-1);
    if (!app) return Promise.reject(new Error(`No live application${applicationId ? ` ${applicationId}` : ''}`));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`No P-GET parked on application ${app.id} within ${timeoutMs} ms`)), timeoutMs);
      app.channel.whenParked().then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  simulateLongAbsence(applicationId?: string): void {
    for (const app of this.env.apps.values()) {
      if (app.dead || (applicationId && app.id !== applicationId)) continue;
      this.env.engine.dropAll(app, 'ApplicationAbsent');
      app.channel.absence();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    for (const t of this.timers) clearTimeout(t);
    // Each step on its own: one failing cleanup must not leave the port listening (a test run would never exit).
    const steps: (() => void)[] = [
      ...[...this.env.apps.values()].map((app) => () => app.channel.close()),
      () => this.env.engine.close(),
      () => this.env.hub.close(),
      ...[...this.apiClosers].map((f) => f),
    ];
    for (const step of steps) {
      try {
        step();
      } catch {
        /* keep closing */
      }
    }
    await new Promise<void>((ok) => {
      this.server.close(() => ok());
      this.server.closeAllConnections();
    });
  }

  /** Cleanup hooks of pending `/_emulator/api` long polls. */
  readonly apiClosers = new Set<() => void>();
}
