/**
 * How long to wait for the delivery event of an uncertain send before calling it "not delivered": measured, not
 * guessed (issue #4). The timed bound of `confirmDelivery` used to be a fixed 3 s, and a quiet bot (one user, so no
 * later send can give the order proof of delivery-order.ts) paid all of it on every reset. The question is the one
 * TCP answers with its retransmission timeout (RFC 6298): how late can the answer to something already sent still
 * come? Here the answer is the delivery event, and the samples are the lags between a send's 201 and its event.
 *
 * The bound is `factor × the largest lag among the last `window` sends`, kept within [floorMs, ceilingMs], and the
 * ceiling itself until `minSamples` lags were seen. The maximum, not a mean: one slow remote endpoint (the event
 * comes when the far end acknowledged the IM, PROTOCOL.md §8.4) must lengthen the wait at once. It only shortens the
 * FIRST wait: the lag-aware extension in `OperationRegistry.confirm` still waits on while sends answered before the
 * failure have no event yet, so a stream that falls behind is never read as "not delivered".
 */

export interface EventLagOptions {
  /** Lags remembered (a ring). @default 128 */
  window?: number;
  /** Lags needed before the measurement is trusted; until then the bound is the ceiling. @default 16 */
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
    this.window = options.window ?? 128;
    this.minSamples = Math.min(options.minSamples ?? 16, this.window);
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
