/**
 * The application resource (PROTOCOL.md §4, §5): created with a stable endpointId, made available for
 * Messaging, kept alive with reportMyActivity, deleted on stop. Holds the capability hrefs the rest of the
 * client follows (never builds, §0.1 rule 1).
 */
import { UcwaError, isUcwaError } from './errors.js';
import { getEmbedded, getHref, getString, resolveHref } from './links.js';
import type { RetryRunner } from './retrying.js';
import type { UcwaHttp } from './ucwa-http.js';
import type { Logger, ParticipantInfo } from './types.js';
import type { Resource } from './wire-types.js';

export interface ApplicationLinks {
  self: string;
  events: string;
  startMessaging?: string;
  conversations?: string;
  makeMeAvailable?: string;
  reportMyActivity?: string;
}

export interface ApplicationSessionOptions {
  http: UcwaHttp;
  retry: RetryRunner;
  applicationsUrl: string;
  userAgent: string;
  endpointId: string;
  culture: string;
  logger: Logger;
  reportMyActivityIntervalMs: number;
  /** Called when reportMyActivity learns that the application is gone (404/410). */
  onLost(error: UcwaError): void;
}

export class ApplicationSession {
  links?: ApplicationLinks;
  me?: ParticipantInfo;
  /** Applications created by this session (1 + re-creations). */
  created = 0;
  private timer?: NodeJS.Timeout;
  /** delete() was called: this session is over. */
  private deleted = false;
  /** The POST applications in flight, if any (see `create`). */
  private posting?: Promise<void>;

  constructor(private readonly options: ApplicationSessionOptions) {}

  /** The base for relative UCWA hrefs: the origin of the applications URL (PROTOCOL.md §0.1 rule 1). */
  get base(): string {
    return new URL(this.options.applicationsUrl).origin + '/';
  }

  resolve(href: string): string {
    return resolveHref(href, this.base);
  }

  /** POST applications, makeMeAvailable, re-read the application, start reportMyActivity. */
  async create(): Promise<void> {
    this.stopActivityTimer();
    const body = { userAgent: this.options.userAgent, endpointId: this.options.endpointId, culture: this.options.culture };
    await this.options.retry('applications', () => {
      // The links are taken inside the attempt: when stop() abandons the retry while the POST is in flight, the
      // application it creates is still known, and delete() (which waits for the POST) removes it.
      const attempt = this.options.http.request({ method: 'POST', url: this.options.applicationsUrl, resource: 'applications', json: body }).then((response) => {
        // 201 normally; 200 when the same endpointId/instance already has one (MultiTabSupport.md, §15 item 28).
        this.apply(response.body);
        return response;
      });
      this.posting = attempt.then(() => undefined, () => undefined);
      return attempt;
    });
    this.created++;
    await this.makeMeAvailable();
    this.startActivityTimer();
  }

  private apply(app: Resource | undefined): void {
    const self = getHref(app, 'self');
    const events = getHref(app, 'events');
    if (!app || !self || !events) {
      throw new UcwaError('POST applications returned no application resource with `self` and `events` links', 0, 'ServiceFailure', 'MalformedBody', { source: 'http', resource: 'applications', uncertain: false });
    }
    const me = getEmbedded(app, 'me');
    const communication = getEmbedded(app, 'communication');
    const opt = (r: Resource | undefined, rel: string) => {
      const h = getHref(r, rel);
      return h ? this.resolve(h) : undefined;
    };
    this.links = {
      self: this.resolve(self),
      events: this.resolve(events),
      startMessaging: opt(communication, 'startMessaging'),
      conversations: opt(communication, 'conversations'),
      makeMeAvailable: opt(me, 'makeMeAvailable'),
      reportMyActivity: opt(me, 'reportMyActivity'),
    };
    if (me) this.me = { uri: getString(me, 'uri') ?? this.me?.uri ?? '', name: getString(me, 'name') ?? this.me?.name, href: opt(me, 'self') };
  }

  /** GET the application again (fresh capability links, e.g. reportMyActivity after makeMeAvailable). */
  async refresh(): Promise<void> {
    const self = this.links!.self;
    const events = this.links!.events;
    const response = await this.options.retry('application', () => this.options.http.request({ method: 'GET', url: self, resource: 'application' }));
    this.apply(response.body);
    // The events link of a GET is the channel's starting point, not where it is now: keep the current one.
    this.links!.events = events;
  }

  /** makeMeAvailable once (no incoming IM without it, §0.1 rule 3); 409 AlreadyExists means it was done. */
  async makeMeAvailable(): Promise<void> {
    const href = this.links?.makeMeAvailable;
    if (!href) return;
    const body = { supportedModalities: ['Messaging'], supportedMessageFormats: ['Plain', 'Html'] };
    try {
      await this.options.retry('makeMeAvailable', () => this.options.http.request({ method: 'POST', url: href, resource: 'makeMeAvailable', json: body, idempotent: true }));
    } catch (err) {
      if (!(isUcwaError(err) && err.status === 409 && err.subcode === 'AlreadyExists')) throw err;
    }
    await this.refresh();
  }

  /** reportMyActivity (at least every 4 minutes after makeMeAvailable, §5.3). */
  async reportMyActivity(): Promise<void> {
    const href = this.links?.reportMyActivity;
    if (!href) return;
    await this.options.http.request({ method: 'POST', url: href, resource: 'reportMyActivity', idempotent: true });
  }

  private startActivityTimer(): void {
    this.stopActivityTimer();
    // A create() that finished after delete() (stop() during start) must not keep a deleted application alive.
    if (this.deleted) return;
    this.timer = setInterval(() => {
      this.reportMyActivity().catch((err: unknown) => {
        if (isUcwaError(err) && err.status === 409 && err.subcode === 'MakeMeAvailableRequired') {
          // §10.6 "fix state then retry": the server forgot our availability; offer it again.
          this.makeMeAvailable().catch((e: unknown) => this.options.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'ucwa:client makeMeAvailable after MakeMeAvailableRequired failed'));
        } else if (isUcwaError(err) && (err.status === 404 || err.status === 410)) this.options.onLost(err);
        else this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'ucwa:client reportMyActivity failed; will try again on the next tick');
      });
    }, this.options.reportMyActivityIntervalMs);
    this.timer.unref?.();
  }

  stopActivityTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Is the application really gone? A 404 ApplicationNotFound from a sub-resource can mean an expired
   * sub-resource (§15 item 36), so GET application self first; only a 404/410 there confirms it.
   */
  async isGone(): Promise<boolean> {
    if (!this.links) return true;
    try {
      await this.options.http.request({ method: 'GET', url: this.links.self, resource: 'application' });
      return false;
    } catch (err) {
      if (isUcwaError(err) && (err.status === 404 || err.status === 410)) return true;
      throw err;
    }
  }

  /** DELETE the application (a client must, on exit, `ApplicationDashboard.md`). Best effort. */
  async delete(timeoutMs = 5000): Promise<void> {
    this.deleted = true;
    this.stopActivityTimer();
    // Bounded: stop() must stay quick when the server hangs (the transport is destroyed right after).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.posting, new Promise((resolve) => (timer = setTimeout(resolve, Math.min(timeoutMs, 3000))))]);
    clearTimeout(timer);
    const self = this.links?.self;
    this.links = undefined;
    if (!self) return;
    try {
      await this.options.http.request({ method: 'DELETE', url: self, resource: 'application', timeoutMs });
    } catch (err) {
      this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'ucwa:client DELETE application failed');
    }
  }
}
