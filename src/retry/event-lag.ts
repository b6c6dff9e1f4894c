/**
 * How long to wait for the delivery event of an uncertain send before calling it "not delivered": measured, not
 * guessed (issue #4). The timed bound of `confirmDelivery` used to be a fixed 3 s, paid in full on every reset. The
 * question is the one TCP answers with its retransmission timeout (RFC 6298): how late can the answer to something
 * already sent still come? Here the answer is the delivery event, and the samples are the lags between a send's 201
 * and its event.
 *
 * Measured PER CONVERSATION: the event is the delivery result, generated when the far end acknowledged the IM
 * (PROTOCOL.md §8.4), so its lag belongs to that far end (a federated user or a WAN site answers in hundreds of ms
 * where a desktop on the LAN answers in a few); lags of other conversations say nothing about it.
 *
 * The bound is `factor × the largest lag among the conversation's last `window` sends`, kept within [floorMs,
 * ceilingMs], and the ceiling itself until `minSamples` lags were seen. The maximum, not a mean: one slow
 * acknowledgement must lengthen the wait at once. It only shortens the FIRST wait: `OperationRegistry.confirm`
 * still waits on while sends answered before the failure have no event yet (stream-lag.ts).
 *
 * Only after a reset seen on the connection (`measuredWaitApplies`): when the front end reset it, the request was
 * processed before the connection failed or never will be. After OUR timeout it may still be working on it
 * (PROTOCOL.md §8.4: "a blind retry after a timeout can deliver the message twice"), so a timeout waits the full
 * confirmDeliveryTimeoutMs. A reverse proxy or load balancer that resets us while the front end is still working
 * looks like a reset too; the floor (confirmDeliveryMinMs, 1 s) is the margin for that, far above the milliseconds
 * a front end takes to process a send.
 */
import { CONNECTION_RESET_CODES, type UcwaError } from '../ucwa/errors.js';

/** True for an uncertain failure the measured wait may settle: a reset seen on the connection, never a timeout. */
export function measuredWaitApplies(error: UcwaError): boolean {
  return error.status === 0 && error.details.uncertain === true && error.subcode !== undefined && CONNECTION_RESET_CODES.has(error.subcode);
}

export interface EventLagOptions {
  /** Lags remembered (a ring). @default 16 */
  window?: number;
  /** Lags needed before the measurement is trusted; until then the bound is the ceiling. @default 4 */
  minSamples?: number;
  /** Multiplier on the largest recent lag. @default 2 */
  factor?: number;
}

export class EventLag {
  private readonly lags: number[] = [];
  private next = 0;
  private seen = 0;
  private readonly window: number;
  private readonly minSamples: number;
  private readonly factor: number;

  constructor(options: EventLagOptions = {}) {
    this.window = options.window ?? 16;
    this.minSamples = Math.min(options.minSamples ?? 4, this.window);
    this.factor = options.factor ?? 2;
  }

  /** One send's lag from its 201 to its delivery event, in ms (0 when the event beat the 201, §0.1 rule 5). */
  record(lagMs: number): void {
    const lag = Number.isFinite(lagMs) ? Math.max(0, lagMs) : 0;
    if (this.lags.length < this.window) this.lags.push(lag);
    else this.lags[this.next] = lag;
    this.next = (this.next + 1) % this.window;
    this.seen += 1;
  }

  /** Number of lags recorded so far (all time). */
  get samples(): number {
    return this.seen;
  }

  /** The wait, in ms, for an event that has not come: see the file comment. `floorMs` is capped by `ceilingMs`. */
  bound(floorMs: number, ceilingMs: number): number {
    if (this.seen < this.minSamples) return ceilingMs;
    const largest = this.lags.reduce((a, b) => (b > a ? b : a), 0);
    return Math.min(ceilingMs, Math.max(Math.min(floorMs, ceilingMs), Math.ceil(largest * this.factor)));
  }
}

/** Conversations whose lags are kept (least recently sending forgotten first). */
const MAX_CONVERSATIONS = 10_000;
/** Sends awaiting their event whose answer time is kept. */
const MAX_PENDING = 10_000;

/** Lags per conversation key, fed by "answered 2xx" and "its event came" (see the file comment). */
export class ConversationLags {
  private readonly byKey = new Map<string, EventLag>();
  private readonly pending = new Map<string, { key: string; at: number }>();

  constructor(private readonly options: EventLagOptions = {}, private readonly now: () => number = Date.now) {}

  /** The send `operationId` of conversation `key` was answered 2xx; `eventCame` when its event beat the 201 (lag 0). */
  answered(operationId: string, key: string, eventCame: boolean): void {
    if (eventCame) return this.lagOf(key).record(0);
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
    this.pending.set(operationId, { key, at: this.now() });
  }

  /** The event of `operationId` came: its lag is recorded if its 201 was seen. */
  evented(operationId: string): void {
    const p = this.pending.get(operationId);
    if (!p) return;
    this.pending.delete(operationId);
    this.lagOf(p.key).record(this.now() - p.at);
  }

  /** The first wait for an uncertain send of conversation `key` (the ceiling while it has too few lags). */
  bound(key: string, floorMs: number, ceilingMs: number): number {
    return this.byKey.get(key)?.bound(floorMs, ceilingMs) ?? ceilingMs;
  }

  /** Lags recorded for `key` (tests, diagnostics). */
  samples(key: string): number {
    return this.byKey.get(key)?.samples ?? 0;
  }

  private lagOf(key: string): EventLag {
    let lag = this.byKey.get(key);
    if (lag) this.byKey.delete(key);
    else lag = new EventLag(this.options);
    this.byKey.set(key, lag);
    if (this.byKey.size > MAX_CONVERSATIONS) this.byKey.delete(this.byKey.keys().next().value as string);
    return lag;
  }
}
