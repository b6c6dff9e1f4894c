/**
 * Correlation of operation resources by our own `operationId` (PROTOCOL.md §9, §0.1 rule 5): events can beat
 * the 201 that created the operation, so an operation is registered BEFORE its POST. Also remembers which
 * outgoing messages the event channel confirmed, so the retry layer can prove delivery (`confirmDelivery`)
 * instead of resending after an uncertain failure.
 */
import { DeliveryOrder } from '../retry/delivery-order.js';
import { EventLag } from '../retry/event-lag.js';
import { UcwaError } from './errors.js';
import type { ErrorBody } from './wire-types.js';

/** What the tracker needs to know about an invitation we started (startMessaging / addMessaging). */
export interface PendingInvitation {
  operationId: string;
  resource: 'startMessaging' | 'addMessaging';
  /** Durable conversation key to give the new conversation (re-opening an existing key). */
  key?: string;
  /** The SIP URI invited (startMessaging). */
  to?: string;
  /** The invitation href, once the 201 Location or the started event told us. */
  href?: string;
}

interface Waiter<T> {
  info: PendingInvitation;
  resolve(value: T): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const MAX_REMEMBERED = 2000;

/** Build the UcwaError for a failed operation from its event `reason` (source 'event'). */
export function reasonToError(resource: string, reason: ErrorBody | undefined, status: string | undefined, operationId?: string): UcwaError {
  const code = typeof reason?.code === 'string' && reason.code ? reason.code : 'RemoteFailure';
  const subcode = typeof reason?.subcode === 'string' && reason.subcode ? reason.subcode : undefined;
  const what = subcode ? `${code}/${subcode}` : code;
  const text = typeof reason?.message === 'string' && reason.message ? `: ${reason.message}` : '';
  return new UcwaError(`${resource} failed: ${what}${text} (event status ${status ?? 'none'})`, 0, code, subcode, {
    source: 'event', resource, operationId, debugInfo: reason?.debugInfo, parameters: reason?.parameters,
  });
}

export class OperationRegistry<TResult> {
  private readonly invitations = new Map<string, Waiter<TResult>>();
  /** operationIds the event channel proved: delivered message, or an invitation that started. */
  private readonly proven = new Map<string, { href?: string; ok: boolean }>();
  private readonly proofWaiters = new Map<string, Set<(ok: boolean) => void>>();
  /** Issue order of sends and the order their events arrive in: the early "not delivered" proof (delivery-order.ts). */
  readonly order = new DeliveryOrder();
  /** Lags between a send's 201 and its delivery event: the measured first wait of `confirm` (event-lag.ts). */
  readonly lag = new EventLag();
  /** When each send still waiting for its event was answered 2xx. */
  private readonly answeredAt = new Map<string, number>();

  /** Register an invitation before POSTing it; the promise settles on its completed event (or the timeout). */
  registerInvitation(info: PendingInvitation, timeoutMs: number): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.invitations.delete(info.operationId);
        reject(new UcwaError(`${info.resource} failed: no invitation outcome within ${timeoutMs} ms`, 0, 'Timeout', 'InvitationTimeout', { source: 'event', resource: info.resource, operationId: info.operationId }));
      }, timeoutMs);
      timer.unref?.();
      this.invitations.set(info.operationId, { info, resolve, reject, timer });
    });
  }

  /** The pending invitation with this operationId or href. */
  findInvitation(operationId: string | undefined, href?: string): PendingInvitation | undefined {
    if (operationId && this.invitations.has(operationId)) return this.invitations.get(operationId)!.info;
    if (href) for (const w of this.invitations.values()) if (w.info.href === href) return w.info;
    return undefined;
  }

  attachHref(operationId: string, href: string): void {
    const w = this.invitations.get(operationId);
    if (w) w.info.href ??= href;
  }

  settleInvitation(operationId: string, outcome: { value: TResult } | { error: Error }): void {
    const w = this.invitations.get(operationId);
    if (!w) return;
    this.invitations.delete(operationId);
    clearTimeout(w.timer);
    if ('value' in outcome) w.resolve(outcome.value);
    else w.reject(outcome.error);
  }

  /** Drop a registration whose POST failed (the promise is rejected with that error). */
  cancelInvitation(operationId: string, error: Error): void {
    this.settleInvitation(operationId, { error });
  }

  /**
   * Fail every pending invitation (stop, application lost). The old application's event stream is over, so its
   * order can no longer prove anything about a send (delivery-order.ts assumption 2).
   */
  failAll(error: Error): void {
    this.order.breakOrder();
    for (const id of [...this.invitations.keys()]) this.settleInvitation(id, { error });
  }

  /** Record an event about an operation we started: `ok` for a delivered message / started invitation. */
  recordProof(operationId: string, ok: boolean, href?: string): void {
    if (this.proven.size >= MAX_REMEMBERED) this.proven.delete(this.proven.keys().next().value as string);
    this.proven.set(operationId, { ok, href });
    const waiters = this.proofWaiters.get(operationId);
    if (waiters) {
      this.proofWaiters.delete(operationId);
      for (const w of waiters) w(ok);
    }
    // Success or failure, the event says the send was processed at this point of the stream.
    this.order.proven(operationId);
    const answeredAt = this.answeredAt.get(operationId);
    if (answeredAt !== undefined) {
      this.answeredAt.delete(operationId);
      this.lag.record(Date.now() - answeredAt);
    }
  }

  /** A send was answered 2xx: its event is due (order proof), and its lag is measured when the event comes. */
  answered(operationId: string): void {
    this.order.answered(operationId);
    // The event may beat the 201 (PROTOCOL.md §0.1 rule 5): a lag of 0.
    if (this.proven.has(operationId)) return this.lag.record(0);
    if (this.answeredAt.size >= MAX_REMEMBERED) this.answeredAt.delete(this.answeredAt.keys().next().value as string);
    this.answeredAt.set(operationId, Date.now());
  }

  /** The href the event channel reported for this operationId, if any. */
  provenHref(operationId: string): string | undefined {
    return this.proven.get(operationId)?.href;
  }

  /**
   * Resolves true as soon as an event proves the operation landed, false on a failure event or after
   * `timeoutMs` without one (the retry layer then lets its table decide whether to resend).
   *
   * `ordered: true` (only for a send that failed with a reset after `order.failed()`, never for a timeout) adds the
   * early proof of delivery-order.ts: false as soon as the event of a send issued after the failure was handled
   * while this one's was not. The timed bound is the fallback, and it is lag-aware: when it runs out while the
   * stream has visibly not caught up (`order.isBehind`), it waits on, re-checking every quarter bound, up to
   * `maxWaitMs` (@default 10 × timeoutMs). `floorMs` makes the first wait the measured one (event-lag.ts: twice the
   * largest recent 201-to-event lag, at least `floorMs`), with `timeoutMs` as its ceiling.
   */
  confirm(operationId: string, timeoutMs: number, options: { ordered?: boolean; maxWaitMs?: number; floorMs?: number } = {}): Promise<boolean> {
    const known = this.proven.get(operationId);
    const wait = options.ordered ? this.order.whenOvertaken(operationId) : undefined;
    if (known) {
      wait?.cancel();
      return Promise.resolve(known.ok);
    }
    const mark = this.order.mark();
    const started = Date.now();
    const maxWaitMs = options.maxWaitMs ?? timeoutMs * 10;
    // With a floor, the first wait is the measured one (event-lag.ts), timeoutMs its ceiling.
    const firstWaitMs = options.floorMs === undefined ? timeoutMs : this.lag.bound(options.floorMs, timeoutMs);
    return new Promise<boolean>((resolve) => {
      const set = this.proofWaiters.get(operationId) ?? new Set();
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        wait?.cancel();
        set.delete(done);
        if (set.size === 0 && this.proofWaiters.get(operationId) === set) this.proofWaiters.delete(operationId);
        resolve(ok);
      };
      const arm = (ms: number) => {
        timer = setTimeout(() => {
          const waited = Date.now() - started;
          if (this.order.isBehind(mark) && waited < maxWaitMs) arm(Math.min(Math.max(1, Math.ceil(firstWaitMs / 4)), maxWaitMs - waited));
          else done(false);
        }, ms);
        timer.unref?.();
      };
      arm(firstWaitMs);
      set.add(done);
      this.proofWaiters.set(operationId, set);
      void wait?.overtaken.then(() => done(false));
    });
  }
}
