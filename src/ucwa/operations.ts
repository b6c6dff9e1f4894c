/**
 * Correlation of operation resources by our own `operationId` (PROTOCOL.md §9, §0.1 rule 5): events can beat
 * the 201 that created the operation, so an operation is registered BEFORE its POST. Also remembers which
 * outgoing messages the event channel confirmed, so the retry layer can prove delivery (`confirmDelivery`)
 * instead of resending after an uncertain failure.
 */
import { ConversationLags } from '../retry/event-lag.js';
import { StreamLag } from '../retry/stream-lag.js';
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
/** The stream-lag re-check never runs more often than this, whatever the first wait was (it may be 0). */
const RECHECK_MIN_MS = 50;

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
  /** Sends answered but not yet reported: whether the stream has caught up with a moment (stream-lag.ts). */
  readonly stream = new StreamLag();
  /** Lags between a send's 201 and its delivery event, per conversation: the measured first wait of `confirm`. */
  readonly lags = new ConversationLags();

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
   * Fail every pending invitation (stop, application lost). The old application's event stream is over: sends
   * answered in it will never report (stream-lag.ts).
   */
  failAll(error: Error): void {
    this.stream.restart();
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
    // Success or failure, the send was processed and reported.
    this.stream.proven(operationId);
    this.lags.evented(operationId);
  }

  /** The send `operationId` of conversation `key` was answered 2xx: its event is due, and its lag measured. */
  answered(operationId: string, key: string): void {
    this.stream.answered(operationId);
    // The event may beat the 201 (PROTOCOL.md §0.1 rule 5): a lag of 0.
    this.lags.answered(operationId, key, this.proven.has(operationId));
  }

  /** The href the event channel reported for this operationId, if any. */
  provenHref(operationId: string): string | undefined {
    return this.proven.get(operationId)?.href;
  }

  /**
   * Resolves true as soon as an event proves the operation landed, false on a failure event or after a timed bound
   * without one (the retry layer then lets its table decide whether to resend). The bound is `timeoutMs`, or with
   * `key` and `floorMs` the conversation's measured wait (event-lag.ts: twice its largest recent 201-to-event lag,
   * at least `floorMs`, at most `timeoutMs`). When it runs out while the stream has visibly not caught up
   * (`stream.isBehind`), it waits on, re-checking every quarter bound (at least 50 ms apart), up to `maxWaitMs`
   * (@default 10 × timeoutMs).
   */
  confirm(operationId: string, timeoutMs: number, options: { key?: string; floorMs?: number; maxWaitMs?: number } = {}): Promise<boolean> {
    const known = this.proven.get(operationId);
    if (known) return Promise.resolve(known.ok);
    const mark = this.stream.mark();
    const started = Date.now();
    const maxWaitMs = options.maxWaitMs ?? timeoutMs * 10;
    const firstWaitMs = options.key === undefined || options.floorMs === undefined ? timeoutMs : this.lags.bound(options.key, options.floorMs, timeoutMs);
    return new Promise<boolean>((resolve) => {
      const set = this.proofWaiters.get(operationId) ?? new Set();
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.proofWaiters.get(operationId) === set) this.proofWaiters.delete(operationId);
        resolve(ok);
      };
      const arm = (ms: number) => {
        timer = setTimeout(() => {
          const waited = Date.now() - started;
          if (this.stream.isBehind(mark) && waited < maxWaitMs) arm(Math.min(Math.max(RECHECK_MIN_MS, Math.ceil(firstWaitMs / 4)), maxWaitMs - waited));
          else done(false);
        }, ms);
        timer.unref?.();
      };
      arm(firstWaitMs);
      set.add(done);
      this.proofWaiters.set(operationId, set);
    });
  }
}
