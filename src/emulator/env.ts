/**
 * Shared state and helpers the route handlers use: accounts, applications, tokens, the IM engine and
 * the expiry engine (application idle time, reportMyActivity timeout; PROTOCOL.md §4.4, §14.2).
 * Expiry is evaluated from `Date.now()` when an application is touched and by a periodic sweep, so sinon
 * fake timers drive it.
 */
import type { UcwaEmulatorOptions } from './types.js';
import type { AppRecord, Conversation, UserRecord } from './state.js';
import { TokenStore } from './auth.js';
import { ConversationHub } from './conversation-hub.js';
import { ImEngine } from './im-engine.js';
import { HttpError, applicationNotFound, inactiveApplicationExpired } from './http-error.js';
import { applicationsPath, discoveryPaths, type UrlStyle } from './urls.js';

export type ResolvedOptions = Required<Omit<UcwaEmulatorOptions, 'users' | 'botUri'>> & { botUri: string | undefined; botTypingMs: number };

export class Env {
  readonly users = new Map<string, UserRecord>();
  readonly apps = new Map<string, AppRecord>();
  readonly tokens: TokenStore;
  readonly hub = new ConversationHub();
  readonly engine: ImEngine;
  origin = '';
  private appSeq = 100;

  constructor(readonly opts: ResolvedOptions) {
    this.tokens = new TokenStore(opts.tokenLifetimeSeconds);
    this.engine = new ImEngine(opts, this.hub);
  }

  get style(): UrlStyle {
    return this.opts.urlStyle;
  }

  get fqdn(): string {
    return `emu-fe1.${this.opts.domain}`;
  }

  nextAppId(): string {
    return String(++this.appSeq);
  }

  poolPrefix(pool: 1 | 2): string {
    return pool === 2 ? '/pool2' : '';
  }

  /** The pool that hosts UCWA: pool 2 when the home-pool redirect is on. */
  get homePool(): 1 | 2 {
    return this.opts.homePoolRedirect ? 2 : 1;
  }

  applicationsUrl(pool: 1 | 2): string {
    return this.origin + applicationsPath(this.style, this.poolPrefix(pool));
  }

  discovery(pool: 1 | 2): { root: string; user: string; xframe: string; token: string } {
    return discoveryPaths(this.style, this.poolPrefix(pool));
  }

  /** `WWW-Authenticate` values of the 401 challenge (CreateAnApplication.md step 4). */
  challenge(pool: 1 | 2): string[] {
    const token = this.origin + this.discovery(pool).token;
    return [
      `Bearer trusted_issuers="00000002-0000-0ff1-ce00-000000000000@${this.opts.domain}", client_id="00000004-0000-0ff1-ce00-000000000000"`,
      `MsRtcOAuth href="${token}",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"`,
    ];
  }

  findUser(uri: string): UserRecord | undefined {
    const key = uri.trim().toLowerCase();
    return this.users.get(key.startsWith('sip:') ? key : `sip:${key}`);
  }

  /** The application a request addresses, after the expiry rules; marks it as seen. */
  liveApp(id: string, pool: 1 | 2, user: UserRecord): AppRecord {
    const app = this.apps.get(id);
    if (!app || app.pool !== pool || app.user !== user) throw applicationNotFound();
    this.checkExpiry(app);
    if (app.dead) throw app.dead === 'gone' ? inactiveApplicationExpired() : applicationNotFound();
    app.lastSeen = Date.now();
    return app;
  }

  /** Applies the idle and reportMyActivity rules to one application. */
  checkExpiry(app: AppRecord, now = Date.now()): void {
    if (app.dead) return;
    if (app.available && now - app.lastActivity > this.opts.reportMyActivityTimeoutMs) this.kill(app, 'gone');
    else if (!app.channel.pendingPGet && now - this.lastSign(app) > this.opts.applicationIdleTimeoutMs) this.kill(app, 'notFound');
  }

  /**
   * MeDashboard.md: once an application uses its event channel, a gap of more than 15 minutes between P-GETs kills
   * it, whatever else it sends (PROTOCOL.md §14.2 (a)); before that, any request counts (application_ref.md:
   * deleted after "a certain amount of time" without requests, §14.2 (c)).
   */
  private lastSign(app: AppRecord): number {
    return app.channel.polled ? app.channel.releasedAt : app.lastSeen;
  }

  sweep(): void {
    const now = Date.now();
    for (const app of this.apps.values()) this.checkExpiry(app, now);
  }

  /** Server-side end of an application: conversations end silently, a parked P-GET gets the error. */
  kill(app: AppRecord, why: 'deleted' | 'notFound' | 'gone'): void {
    if (app.dead) return;
    app.dead = why;
    this.engine.dropAll(app, why === 'deleted' ? 'Ended' : 'ApplicationExpired');
    app.channel.fail(why === 'gone' ? inactiveApplicationExpired() : applicationNotFound());
    app.channel.close();
    // A deleted/expired application keeps a tombstone so later requests get the documented subcode.
    app.convs.clear();
    app.invitations.clear();
  }

  /** The application that receives incoming invitations for `user`: the newest one that called makeMeAvailable. */
  availableApp(user: UserRecord): AppRecord | undefined {
    let found: AppRecord | undefined;
    for (const app of this.apps.values()) {
      this.checkExpiry(app);
      if (app.user === user && app.available && !app.dead) found = app;
    }
    return found;
  }

  conversation(app: AppRecord, id: string): Conversation {
    const conv = app.convs.get(id);
    if (!conv) throw new HttpError(404, 'NotFound', undefined, `Conversation ${id} does not exist (any more).`);
    return conv;
  }

  allConversations(): Conversation[] {
    const out: Conversation[] = [];
    for (const u of this.users.values()) out.push(...u.convs);
    return out;
  }
}
