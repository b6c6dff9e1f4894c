/**
 * The event channel (PROTOCOL.md §6, `EventChannelDetails.md`): exactly one P-GET parked at all times, the next
 * one issued BEFORE the current response is processed, responses processed strictly in order (§0.1 rule 2).
 * `loop()` → `fetchEvents()` → on failure `handlePollError()`; special answers: resync/resume links,
 * 409 PGetReplaced, 404 ApplicationNotFound, 410 InactiveApplicationExpired (§6.7); every other failure is decided
 * by the retry table (`decide()`): 'fail' rows end the channel, retry rows reconnect with capped, jittered
 * exponential backoff, never a hot loop.
 */
import { sleep } from '../retry/sleep.js';
import { decide } from '../retry/decide.js';
import type { ResolvedRetryOptions } from '../retry/types.js';
import { UcwaError, isUcwaError } from './errors.js';
import { resolveHref } from './links.js';
import { refreshedFor401 } from './ucwa-http.js';
import type { Logger } from './types.js';
import type { EventsResponse } from './wire-types.js';

export interface EventChannelOptions {
  /** One P-GET (adds `timeout` with a URL builder); throws UcwaError. Resolves to the parsed body. */
  fetchEvents(url: string, signal: AbortSignal): Promise<EventsResponse>;
  /** Handle one response's events, in order. Per-event failures are the callee's to log. */
  processResponse(response: EventsResponse, kind: 'next' | 'resync' | 'resume'): Promise<void>;
  /** 404 ApplicationNotFound / 410 InactiveApplicationExpired: the owner re-creates the application and calls start() again. */
  onApplicationLost(error: UcwaError): void;
  /** The channel cannot go on (PGetReplaced by another process, 410 Gone, 403...). */
  onFatal(error: Error): void;
  onReconnecting?(reason: string, delayMs: number): void;
  onRecovered?(): void;
  /** Base for relative next/resume/resync hrefs (origin of the applications URL). */
  base(): string;
  policy: ResolvedRetryOptions;
  logger: Logger;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  random?(): number;
  /**
   * A re-issued P-GET still parked after this long was accepted by the server: the channel counts as live again,
   * so readiness recovers on a quiet bot too instead of waiting for the next event or the whole timeout (180 s+).
   * @default 2000
   */
  parkedRecoveryMs?: number;
  /**
   * Backoff bounds for reconnects. The first reconnect is quick (50–100 ms) because while no P-GET is parked the
   * server holds every event, so no delivery can be proven, and fails our sends with 500 CallbackChannelError; a
   * failing server still sees the waits double to 30 s within a few attempts. @default 100 / 30_000
   */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** Message of the fatal error when another process took over the event channel. */
export const PGET_REPLACED_MESSAGE = 'Event channel stopped: another process signed in as the same bot (409 Conflict/PGetReplaced). Run one instance per bot account, or give each instance its own account.';

type PollAction = { kind: 'retry'; delayMs: number; reason: string } | { kind: 'exit' };

/** The retry layer's abortable wait; the loop checks `signal.aborted` after it, so an abort simply ends the wait. */
function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, signal).catch(() => undefined);
}

export class EventChannel {
  /** Responses processed, P-GETs issued, reconnects and malformed bodies, for tests and /metrics. */
  readonly stats = { responses: 0, pgets: 0, reconnects: 0, malformed: 0 };
  private generation = 0;
  private controller?: AbortController;
  private loopPromise?: Promise<void>;

  constructor(private readonly options: EventChannelOptions) {}

  get running(): boolean {
    return this.controller !== undefined && !this.controller.signal.aborted;
  }

  /** Start polling at `href` (the application's events link, or a later next link). Resolves once the first P-GET is issued. */
  async start(href: string): Promise<void> {
    await this.stop();
    const generation = ++this.generation;
    const controller = new AbortController();
    this.controller = controller;
    const first = this.issue(href, controller.signal);
    this.loopPromise = this.loop(generation, href, first, controller.signal).catch((err: unknown) => {
      this.options.logger.error({ err: String(err) }, 'ucwa:events loop crashed');
      this.options.onFatal(err instanceof Error ? err : new Error(String(err)));
    });
  }

  /** Stop polling: aborts the parked P-GET and waits for the loop to end. */
  async stop(): Promise<void> {
    this.generation++;
    this.controller?.abort();
    this.controller = undefined;
    const loop = this.loopPromise;
    this.loopPromise = undefined;
    await loop;
  }

  private issue(url: string, signal: AbortSignal): Promise<EventsResponse> {
    this.stats.pgets++;
    const pending = this.options.fetchEvents(url, signal);
    pending.catch(() => undefined); // observed by the loop; never an unhandled rejection after stop()
    return pending;
  }

  private reportRecoveryWhenParked(pending: Promise<EventsResponse>, generation: number, signal: AbortSignal): void {
    let settled = false;
    const timer = setTimeout(() => {
      if (!settled && generation === this.generation && !signal.aborted) this.options.onRecovered?.();
    }, this.options.parkedRecoveryMs ?? 2000);
    timer.unref?.();
    pending.then(
      () => { settled = true; clearTimeout(timer); },
      () => { settled = true; clearTimeout(timer); },
    );
  }

  private async loop(generation: number, startUrl: string, first: Promise<EventsResponse>, signal: AbortSignal): Promise<void> {
    let url = startUrl;
    let pending = first;
    let failures = 0;
    const sleep = this.options.sleep ?? defaultSleep;
    while (generation === this.generation) {
      let response: EventsResponse;
      try {
        response = await pending;
      } catch (error) {
        if (generation !== this.generation || signal.aborted) return;
        const action = this.handlePollError(error, ++failures);
        if (action.kind === 'exit') return;
        this.stats.reconnects++;
        this.options.onReconnecting?.(action.reason, action.delayMs);
        await sleep(action.delayMs, signal);
        if (generation !== this.generation || signal.aborted) return;
        pending = this.issue(url, signal);
        this.reportRecoveryWhenParked(pending, generation, signal);
        continue;
      }
      if (generation !== this.generation) return;
      const links = response._links ?? {};
      const kind = links.resync ? 'resync' : links.resume ? 'resume' : 'next';
      const nextHref = links.resync?.href ?? links.resume?.href ?? links.next?.href;
      if (typeof nextHref !== 'string' || nextHref.length === 0) {
        const error = new UcwaError('GET events returned no next, resume or resync link', 200, 'ServiceFailure', 'MalformedBody', { source: 'http', resource: 'events', uncertain: false });
        const action = this.handlePollError(error, ++failures);
        if (action.kind === 'exit') return;
        await sleep(action.delayMs, signal);
        if (generation !== this.generation || signal.aborted) return;
        pending = this.issue(url, signal);
        continue;
      }
      if (failures > 0) this.options.onRecovered?.();
      failures = 0;
      url = resolveHref(nextHref, this.options.base());
      // Next P-GET first, then the events (EventChannelDetails.md): the server is never without a parked request.
      pending = this.issue(url, signal);
      this.stats.responses++;
      if (kind !== 'next') this.options.logger.info({ kind }, `ucwa:events ${kind} link received`);
      try {
        await this.options.processResponse(response, kind);
      } catch (err) {
        this.options.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'ucwa:events processing a response failed; continuing with the next');
      }
    }
  }

  /** Decide what a failed P-GET means (§6.2, §6.7), using the retry table for everything not special here. */
  handlePollError(error: unknown, attempt: number): PollAction {
    const log = this.options.logger;
    if (!isUcwaError(error)) {
      log.error({ err: String(error) }, 'ucwa:events unexpected error; reconnecting');
      return { kind: 'retry', delayMs: this.backoff(attempt), reason: 'error' };
    }
    const reason = `${error.status} ${error.code}${error.subcode ? '/' + error.subcode : ''}`;
    if (error.status === 200 && error.subcode === 'MalformedBody') {
      this.stats.malformed++;
      // Re-request the same ack: the server re-sends the unacknowledged batch (§6.6, §15 item 2).
      log.warn({ reason }, 'ucwa:events malformed event-channel body skipped; polling the same link again');
      return { kind: 'retry', delayMs: this.backoff(1), reason: 'malformed' };
    }
    if (error.status === 409 && error.subcode === 'PGetReplaced') {
      // The server releases the OLDER request with 409 (§6.7). This client only re-polls after its previous
      // P-GET failed or was aborted (stop, timeout), so a 409 it sees on its current P-GET was caused by
      // someone else polling the same application: never fight back (each extra P-GET kicks the other).
      const fatal = new UcwaError(PGET_REPLACED_MESSAGE, 409, 'Conflict', 'PGetReplaced', { ...error.details, source: 'http', resource: 'events' }, { cause: error });
      log.error({ reason }, 'ucwa:events P-GET replaced by another process');
      this.options.onFatal(fatal);
      return { kind: 'exit' };
    }
    if ((error.status === 404 && (error.subcode === 'ApplicationNotFound' || error.subcode === undefined)) || (error.status === 410 && error.subcode === 'InactiveApplicationExpired')) {
      log.warn({ reason }, 'ucwa:events application lost; re-creating it');
      this.options.onApplicationLost(error);
      return { kind: 'exit' };
    }
    // Everything else is the retry table's call (STYLE.md §5: the same table, not a hand-written if chain).
    const decision = decide(error, { attempt, isRetry: false, random: this.options.random }, this.options.policy.rules);
    // 401: UcwaHttp already refreshed and replayed once for this P-GET; a 401 that survived a fresh token means the
    // credentials are refused (the refreshToken row's reason). Otherwise the next P-GET refreshes.
    const refused = decision.action === 'refreshToken' && refreshedFor401(error);
    if (decision.action === 'fail' || decision.action === 'succeeded' || refused) {
      log.error({ reason, rule: decision.rule?.reason }, 'ucwa:events event channel cannot continue');
      this.options.onFatal(error);
      return { kind: 'exit' };
    }
    // 'retry' / 'refreshToken': re-poll the same link. The channel never gives up on a transient row (a P-GET must
    // always be parked, EventChannelDetails.md), so row and operation budgets do not apply; the row's delay
    // (Retry-After when it honours it) is a lower bound, the channel's own backoff the floor (never a hot loop) and
    // its maxDelayMs the cap.
    const cap = this.options.maxDelayMs ?? 30_000;
    const delayMs = Math.max(this.backoff(attempt), Math.min(decision.delayMs, cap));
    log.warn({ reason, attempt, delayMs }, 'ucwa:events P-GET failed; reconnecting');
    return { kind: 'retry', delayMs, reason };
  }

  /** Capped exponential backoff with equal jitter: [d/2, d), d = min(max, min·2^(n−1)); never below min/2. */
  private backoff(attempt: number): number {
    const min = this.options.minDelayMs ?? 100;
    const max = this.options.maxDelayMs ?? 30_000;
    const ceiling = Math.min(max, min * 2 ** Math.max(0, attempt - 1));
    const random = this.options.random ?? Math.random;
    return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random(), 0), 0.999));
  }
}
