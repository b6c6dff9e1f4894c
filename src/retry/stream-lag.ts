/**
 * Whether the event stream has caught up with a moment (issue #4): a send whose outcome is uncertain (written, no
 * answer) is only called "not delivered" once its conversation's measured wait ran out (event-lag.ts) AND the stream
 * visibly holds nothing older: no send answered 2xx before that moment still lacks its delivery event. Under load
 * the events of a busy application trail the 201s by seconds; a wait measured while the stream was quick must not
 * read such a backlog as "not delivered".
 *
 * Deliberately NOT a proof of non-delivery by order. UCWA delivers one application's events in order
 * (EventsInUCWA.md), but the outgoing message's `completed` event is the delivery RESULT (PROTOCOL.md §8.4): it is
 * generated when the far end acknowledged, so a later send to a quick far end can report before an earlier one to
 * a slow far end (federation, a WAN link) that was processed first. Reading "a later send reported, ours did not"
 * as "ours was never processed" delivered messages twice (test/integration/retry/slow-far-end.test.ts).
 *
 * An application re-creation, a `resync`/`resume` (events may have been missed) or an event we could not read
 * ends what the stream can vouch for (`restart`): sends answered before it will never report here.
 */

interface Issued {
  seq: number;
  epoch: number;
  /** Its event was handled (it can beat the 201, PROTOCOL.md §0.1 rule 5). */
  proven?: boolean;
}

/** How many issued sends are remembered (FIFO); far more than can be in flight at once. */
const MAX_ISSUED = 10_000;

export class StreamLag {
  private seq = 0;
  private epoch = 0;
  private readonly issued = new Map<string, Issued>();
  /** Sends answered 2xx whose event has not been handled yet (first issue seq). */
  private readonly unproven = new Map<string, Issued>();

  /**
   * A send with this operationId is about to be written (call right before each POST). Only the FIRST issue is
   * kept: an event can come from any attempt, so it proves processing no earlier than the first one.
   */
  issue(operationId: string): void {
    this.seq += 1;
    // A resend into a new stream (application re-created) is a first issue there.
    if (this.issued.get(operationId)?.epoch === this.epoch) return;
    this.issued.delete(operationId);
    this.issued.set(operationId, { seq: this.seq, epoch: this.epoch });
    if (this.issued.size > MAX_ISSUED) this.issued.delete(this.issued.keys().next().value as string);
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

  /** The delivery event of this send was handled. */
  proven(operationId: string): void {
    this.unproven.delete(operationId);
    const issued = this.issued.get(operationId);
    if (issued && issued.epoch === this.epoch) issued.proven = true;
  }

  /** The stream can no longer vouch for what it holds (application re-created, resync/resume, unreadable event). */
  restart(): void {
    this.epoch += 1;
    this.unproven.clear();
  }
}
