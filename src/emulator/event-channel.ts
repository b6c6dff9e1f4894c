/**
 * The event channel of one application (PROTOCOL.md §6, §14.4; EventsInUCWA.md, EventChannelDetails.md,
 * events_ref.md): numbered responses, one parked P-GET, re-delivery of the unacknowledged response on a
 * repeated ack, `resync` for an ack out of range, `resume` after a long absence, 409 PGetReplaced for the
 * older of two P-GETs, High events release at once, Medium/Low after their aggregation time, idle release
 * after `timeout` seconds.
 */
import type { EventsResponse, UcwaEvent } from '../ucwa/wire-types.js';
import type { Context } from './context.js';
import { HttpError } from './http-error.js';
import { collapseOperations, toSenderBlocks, type EventTtl, type Queued } from './event-batch.js';

export type { EventTtl } from './event-batch.js';

/** 0 = Low, 1 = Medium, 2 = High (the reference pages' event tables). */
export type Priority = 0 | 1 | 2;
export const HIGH: Priority = 2;
export const MEDIUM: Priority = 1;

interface Parked {
  ctx: Context;
  ack: number;
  priority: number;
}

/** `events_ref.md` limits: timeout 180–1800 (default 180), low 5–1800 (15), medium 5–1800 (5). */
const LIMITS = { timeout: [180, 1800, 180], low: [5, 1800, 15], medium: [5, 1800, 5] } as const;
type Param = keyof typeof LIMITS;

export class EventChannel {
  private queue: Queued[] = [];
  /** The ack the next new response will carry. */
  private expect = 1;
  /** The last response delivered and not yet acknowledged. */
  private last: { n: number; body: string } | undefined;
  private parked: Parked | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstLowAt = 0;
  private firstMediumAt = 0;
  private hasHigh = false;
  private params: Partial<Record<Param, number>> = {};
  private resumePending = false;
  private parkWaiters: (() => void)[] = [];
  private flushQueued = false;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last P-GET was answered: the 15-minute gap rule counts from here (MeDashboard.md). */
  releasedAt = Date.now();
  /** True once the application has used its event channel (then only P-GETs keep it alive, §14.2 (a)). */
  polled = false;

  /**
   * `collapseOperations`: a response that carries an operation's `completed` event leaves out that operation's
   * earlier `started`/`updated` events (Caching.md, PROTOCOL.md §6.6, §9: "an operation that finishes quickly may
   * produce only completed"; §14.4 optional mode), so clients prove they do not require `started`.
   */
  constructor(private readonly eventsHref: (ack: number) => string, private readonly options: { collapseOperations?: boolean } = {}) {}

  get pendingPGet(): boolean {
    return this.parked !== undefined;
  }

  /** Queue events of one sender; consecutive events of the same sender share a block when delivered. */
  push(rel: string, href: string, events: UcwaEvent[], priority: Priority = HIGH, ttl?: EventTtl): void {
    const now = Date.now();
    for (const event of events) {
      if (priority !== HIGH && event.type === 'updated') {
        // Aggregation (EventsInUCWA.md): queued lower-priority updates of one resource collapse to the latest.
        const i = this.queue.findIndex((q) => q.href === href && q.event.type === 'updated' && q.event.link.href === event.link.href);
        if (i >= 0) this.queue.splice(i, 1);
      }
      const q: Queued = { rel, href, event, priority };
      if (ttl) ((q.expiresAt = now + ttl.ms), (q.onExpire = ttl.onExpire));
      this.queue.push(q);
    }
    if (ttl) this.armExpiry();
    if (priority === HIGH) this.hasHigh = true;
    else if (priority === MEDIUM) this.firstMediumAt ||= now;
    else this.firstLowAt ||= now;
    // Everything one server step emits (e.g. invitation + conversation + participants) leaves in one response.
    if (this.parked && !this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        if (this.parked) this.schedule();
      });
    }
  }

  /** Handles `GET events?ack=N` (already authenticated and routed). */
  poll(ctx: Context): void {
    this.polled = true;
    const ack = Number(ctx.query.get('ack'));
    for (const name of Object.keys(LIMITS) as Param[]) {
      const raw = ctx.query.get(name);
      if (raw === undefined) continue;
      const [min, max] = LIMITS[name];
      const n = Number(raw);
      // Out-of-range values are clamped rather than refused: events_ref.md gives limits but no error.
      if (Number.isFinite(n)) this.params[name] = Math.min(max, Math.max(min, Math.round(n)));
    }
    const priority = Number(ctx.query.get('priority') ?? 0) || 0;
    const old = this.parked;
    if (old) {
      // events_ref.md: among requests with the same ack a higher-or-equal priority replaces the pending one;
      // a lower one does not, so the newcomer is the one released (§15 item 9, inferred).
      if (old.ack === ack && priority < old.priority) {
        ctx.error(pGetReplaced());
        return;
      }
      this.parked = undefined;
      this.clearTimer();
      old.ctx.error(pGetReplaced());
    }
    if (this.last && ack === this.last.n) {
      ctx.reply(200, { 'Content-Type': 'application/json; charset=utf-8' }, this.last.body);
      return;
    }
    if (!Number.isInteger(ack) || ack !== this.expect) {
      const target = this.last ? this.last.n : this.expect;
      ctx.json(200, { _links: { resync: { href: this.eventsHref(target) } } } satisfies EventsResponse);
      return;
    }
    this.last = undefined; // acknowledged by asking for the next one
    this.parked = { ctx, ack, priority };
    ctx.onAbort(() => {
      if (this.parked?.ctx === ctx) {
        this.parked = undefined;
        this.releasedAt = Date.now(); // the gap rule counts from the end of the last P-GET, however it ended
        this.clearTimer();
      }
    });
    this.schedule();
    if (this.parked && this.parkWaiters.length) {
      const waiters = this.parkWaiters;
      this.parkWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves when a P-GET is parked (tests use it instead of sleeping before they act on a pending request). */
  whenParked(): Promise<void> {
    if (this.parked) return Promise.resolve();
    return new Promise((resolve) => this.parkWaiters.push(resolve));
  }

  /**
   * Answers the parked P-GET now. `empty`: a dropped/recycled channel — an idle release that leaves queued
   * events for the next response. Returns false if no P-GET was parked.
   */
  releaseNow(empty = false): boolean {
    if (!this.parked) return false;
    this.deliver(empty);
    return true;
  }

  /** Fails the parked P-GET (application deleted or expired). */
  fail(err: HttpError): void {
    const p = this.parked;
    this.parked = undefined;
    this.clearTimer();
    p?.ctx.error(err);
  }

  /** simulateLongAbsence: drop queued events, forget parameters, answer next with `resume` (§6.7). */
  absence(): void {
    this.queue = [];
    this.clearExpiry();
    this.hasHigh = false;
    this.firstLowAt = this.firstMediumAt = 0;
    this.params = {};
    this.resumePending = true;
    if (this.parked) this.deliver();
  }

  close(): void {
    this.clearTimer();
    this.clearExpiry();
    const p = this.parked;
    this.parked = undefined;
    p?.ctx.req.socket.destroy();
  }

  private param(name: Param): number {
    return this.params[name] ?? LIMITS[name][2];
  }

  private schedule(): void {
    this.clearTimer();
    if (!this.parked) return;
    if (this.hasHigh || this.resumePending) {
      this.deliver();
      return;
    }
    const now = Date.now();
    let due = now + this.param('timeout') * 1000;
    if (this.firstMediumAt) due = Math.min(due, this.firstMediumAt + this.param('medium') * 1000);
    if (this.firstLowAt) due = Math.min(due, this.firstLowAt + this.param('low') * 1000);
    if (due <= now) {
      this.deliver();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.deliver();
    }, due - now);
    this.timer.unref?.();
  }

  /** One timer per channel, only while events with a deadline wait; fake timers drive it. */
  private armExpiry(): void {
    if (this.expiryTimer !== undefined) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    let next = Infinity;
    for (const q of this.queue) if (q.expiresAt !== undefined && q.expiresAt < next) next = q.expiresAt;
    if (next === Infinity) return;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      this.expire();
    }, Math.max(0, next - Date.now()));
    this.expiryTimer.unref?.();
  }

  /**
   * message_ref.md: an incoming message not fetched within 30 s times out and the sender is told. The event
   * is withdrawn (the bot never sees it) and the owner is notified once per push.
   */
  private expire(): void {
    const now = Date.now();
    const due = new Set<() => void>();
    this.queue = this.queue.filter((q) => {
      if (q.expiresAt === undefined || q.expiresAt > now) return true;
      if (q.onExpire) due.add(q.onExpire);
      return false;
    });
    this.hasHigh = this.queue.some((q) => q.priority === HIGH);
    if (this.queue.length === 0) this.firstLowAt = this.firstMediumAt = 0;
    this.armExpiry();
    for (const fn of due) fn();
  }

  private clearExpiry(): void {
    if (this.expiryTimer !== undefined) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private deliver(empty = false): void {
    const p = this.parked;
    if (!p) return;
    this.parked = undefined;
    this.releasedAt = Date.now();
    this.clearTimer();
    const n = this.expect;
    const links: EventsResponse['_links'] = { self: { href: this.eventsHref(n) } };
    if (this.resumePending) links.resume = { href: this.eventsHref(n + 1) };
    else links.next = { href: this.eventsHref(n + 1) };
    const body: EventsResponse = { _links: links };
    if (!empty) {
      const queue = this.options.collapseOperations ? collapseOperations(this.queue) : this.queue;
      if (queue.length > 0) body.sender = toSenderBlocks(queue);
      this.queue = [];
      this.clearExpiry();
      this.hasHigh = false;
      this.firstLowAt = this.firstMediumAt = 0;
    }
    this.resumePending = false;
    const text = JSON.stringify(body);
    this.last = { n, body: text };
    this.expect = n + 1;
    p.ctx.reply(200, { 'Content-Type': 'application/json; charset=utf-8' }, text);
  }
}

const pGetReplaced = (): HttpError =>
  new HttpError(409, 'Conflict', 'PGetReplaced', 'This pending GET was replaced by a newer one on the same event channel.');
