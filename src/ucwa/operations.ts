/**
 * Correlation of operation resources by our own `operationId` (PROTOCOL.md §9, §0.1 rule 5): events can beat
 * the 201 that created the operation, so an operation is registered BEFORE its POST. Also remembers which
 * outgoing messages the event channel confirmed, so the retry layer can prove delivery (`confirmDelivery`)
 * instead of resending after an uncertain failure.
 */
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

  /** Fail every pending invitation (stop, application lost). */
  failAll(error: Error): void {
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
  }

  /** The href the event channel reported for this operationId, if any. */
  provenHref(operationId: string): string | undefined {
    return this.proven.get(operationId)?.href;
  }

  /**
   * Resolves true as soon as an event proves the operation landed, false on a failure event or after
   * `timeoutMs` without one (the retry layer then lets its table decide whether to resend).
   */
  confirm(operationId: string, timeoutMs: number): Promise<boolean> {
    const known = this.proven.get(operationId);
    if (known) return Promise.resolve(known.ok);
    return new Promise<boolean>((resolve) => {
      const set = this.proofWaiters.get(operationId) ?? new Set();
      const done = (ok: boolean) => {
        clearTimeout(timer);
        set.delete(done);
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref?.();
      set.add(done);
      this.proofWaiters.set(operationId, set);
    });
  }
}
