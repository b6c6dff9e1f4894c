/** One limit: at most `max` hits within `windowMs`. */
export interface WindowLimit {
  max: number;
  windowMs: number;
}

interface Entry {
  windowMs: number;
  /** Hit times, ascending; never longer than the limit's `max`. */
  stamps: number[];
}

/**
 * Sliding-window log limiter with an injected clock. Memory is bounded: each key keeps at most `max`
 * timestamps, idle keys are pruned, and past `maxKeys` the least recently used keys are dropped
 * (which can only make the limiter more lenient, never lock anyone out).
 */
export class SlidingWindowLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until one more hit would be allowed for `key`; 0 when allowed now. Does not record. */
  retryAfterMs(key: string, limit: WindowLimit): number {
    const entry = this.entries.get(key);
    if (entry === undefined) return 0;
    const now = this.now();
    this.expire(entry, now);
    if (entry.stamps.length < limit.max) return 0;
    return Math.max(1, entry.stamps[entry.stamps.length - limit.max]! + limit.windowMs - now);
  }

  /** Records one hit for `key`. */
  record(key: string, limit: WindowLimit): void {
    const now = this.now();
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.maxKeys) this.prune(now);
      entry = { windowMs: limit.windowMs, stamps: [] };
    } else {
      this.entries.delete(key);
      this.expire(entry, now);
    }
    entry.windowMs = limit.windowMs;
    entry.stamps.push(now);
    if (entry.stamps.length > limit.max) entry.stamps.splice(0, entry.stamps.length - limit.max);
    this.entries.set(key, entry);
  }

  /** Number of keys held (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private expire(entry: Entry, now: number): void {
    let drop = 0;
    while (drop < entry.stamps.length && entry.stamps[drop]! <= now - entry.windowMs) drop++;
    if (drop > 0) entry.stamps.splice(0, drop);
  }

  /** Drops idle keys, then the least recently used until 90% full, so pruning is amortised. */
  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      this.expire(entry, now);
      if (entry.stamps.length === 0) this.entries.delete(key);
    }
    const target = Math.floor(this.maxKeys * 0.9);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
    }
  }
}
