/**
 * Early "not delivered" proof for an uncertain send, from the order of delivery events (issue #4).
 *
 * Why it is sound: UCWA delivers the events of one application in order and exactly once (EventsInUCWA.md,
 * PROTOCOL.md §6.6): one ordered stream, across every conversation of the application. A send whose request was
 * written but whose answer never came (a reset) was either processed by the server before the connection failed
 * — then its outgoing-message event is already in the stream — or never. Any send *issued after* that failure was
 * observed reaches the server later, so if it is processed at all its event is queued after ours. Hence: once the
 * event of such a later send has been handled while ours has not, ours was never processed, and resending it
 * cannot duplicate.
 *
 * Assumptions, each enforced by the caller: (1) a request whose connection failed is not processed later — true for
 * a reset observed on the connection, NOT for our own timeout (the server may still be working on it), so timeouts
 * never use this proof; (2) both events come from the same uninterrupted stream: an application re-creation, a
 * `resync`/`resume` (events may have been missed) or an event we could not read breaks the evidence (`breakOrder`),
 * after which only the timed bound settles the send; (3) events are handled in arrival order
 * across responses (`processResponse` runs one response after another); WITHIN one response the order of sender
 * blocks is not relied on: a proof counts only once its whole response was handled (`flush`), by which time our
 * own event, had it been in the same response, has proven delivery first.
 *
 * The same bookkeeping makes the timed fallback lag-aware (`isBehind`): while a send that was issued before the
 * failure and answered 2xx still has no event, the stream has visibly not caught up with our failure yet, so the
 * fallback keeps waiting instead of guessing "not delivered" from a stream that is merely slow (under load the
 * events of a busy application can trail the 201s by seconds).
 */
import type { UcwaError } from '../ucwa/errors.js';

/** Connection failures after which the server cannot still be working on the request (assumption 1). */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** True for an uncertain failure the order proof may settle: a reset seen on the connection, never our own timeout. */
export function settlesByOrder(error: UcwaError): boolean {
  return error.status === 0 && error.details.uncertain === true && error.subcode !== undefined && RESET_CODES.has(error.subcode);
}

interface Issued {
  seq: number;
  epoch: number;
  /** Its event was handled (it can beat the 201, PROTOCOL.md §0.1 rule 5). */
  proven?: boolean;
}

interface Waiter {
  failSeq: number;
  epoch: number;
  wake(): void;
}

/** How many issued sends are remembered (FIFO); far more than can be in flight at once. */
const MAX_ISSUED = 10_000;

export class DeliveryOrder {
  private seq = 0;
  private epoch = 0;
  private readonly issued = new Map<string, Issued>();
  private readonly failures = new Map<string, Issued>();
  /** Sends answered 2xx whose event has not been handled yet (first issue seq). */
  private readonly unproven = new Map<string, Issued>();
  /** Highest issue sequence among sends proven in the current epoch, as of the last complete response. */
  private highestProven = 0;
  /** The same for the response being handled (applied by `flush`). */
  private highestInResponse = 0;
  private readonly waiters = new Set<Waiter>();

  /**
   * A send with this operationId is about to be written (call right before each POST). Only the FIRST issue is
   * kept: an event can come from any attempt, so it proves processing no earlier than the first one.
   */
  issue(operationId: string): void {
    this.seq += 1;
    if (this.issued.has(operationId)) return;
    this.issued.set(operationId, { seq: this.seq, epoch: this.epoch });
    if (this.issued.size > MAX_ISSUED) this.issued.delete(this.issued.keys().next().value as string);
  }

  /** The send with this operationId failed without an answer (a reset): later sends are those issued from now on. */
  failed(operationId: string): void {
    this.failures.set(operationId, { seq: this.seq, epoch: this.epoch });
  }

  /** This send was answered 2xx: its event is due in the stream. */
  answered(operationId: string): void {
    const issued = this.issued.get(operationId);
    if (!issued || issued.epoch !== this.epoch || issued.proven) return;
    this.unproven.set(operationId, issued);
    if (this.unproven.size > MAX_ISSUED) this.unproven.delete(this.unproven.keys().next().value as string);
  }

  /** A point in the issue order (taken when a send's outcome became uncertain). */
  mark(): { seq: number; epoch: number } {
    return { seq: this.seq, epoch: this.epoch };
  }

  /** True while a send issued before `mark` was answered 2xx but its event is still missing (the stream lags). */
  isBehind(mark: { seq: number; epoch: number }): boolean {
    if (mark.epoch !== this.epoch) return false;
    for (const issued of this.unproven.values()) if (issued.seq <= mark.seq) return true;
    return false;
  }

  /** The delivery event of this send was handled (in stream order). */
  proven(operationId: string): void {
    this.unproven.delete(operationId);
    const issued = this.issued.get(operationId);
    if (!issued || issued.epoch !== this.epoch) return;
    issued.proven = true;
    if (issued.seq > this.highestInResponse) this.highestInResponse = issued.seq;
  }

  /** One event-channel response was handled completely: its proofs now count (see assumption 3). */
  flush(): void {
    if (this.highestInResponse <= this.highestProven) return;
    this.highestProven = this.highestInResponse;
    for (const w of [...this.waiters]) {
      if (w.epoch === this.epoch && this.highestProven > w.failSeq) {
        this.waiters.delete(w);
        w.wake();
      }
    }
  }

  /** The stream can no longer vouch for order (application re-created, resync/resume, unreadable event). */
  breakOrder(): void {
    this.epoch += 1;
    this.highestProven = 0;
    this.highestInResponse = 0;
    this.waiters.clear();
    this.unproven.clear();
  }

  /**
   * Resolves when a send issued after this one's failure has been proven in the same stream (ours, unproven by
   * then, was never processed). Returns undefined when there is no recorded failure in the current epoch: the
   * caller then relies on the timed bound alone. `cancel()` forgets the wait.
   */
  whenOvertaken(operationId: string): { overtaken: Promise<void>; cancel(): void } | undefined {
    const failure = this.failures.get(operationId);
    this.failures.delete(operationId);
    if (!failure || failure.epoch !== this.epoch) return undefined;
    let waiter: Waiter | undefined;
    const overtaken = new Promise<void>((resolve) => {
      if (this.highestProven > failure.seq) return resolve();
      waiter = { failSeq: failure.seq, epoch: failure.epoch, wake: resolve };
      this.waiters.add(waiter);
    });
    return { overtaken, cancel: () => { if (waiter) this.waiters.delete(waiter); } };
  }

  /** Pending waits (tests). */
  get waiting(): number {
    return this.waiters.size;
  }
}
