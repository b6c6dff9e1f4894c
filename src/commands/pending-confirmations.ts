/** A command waiting for the user's `yes`. */
export interface PendingConfirmation<T> {
  value: T;
  expiresAt: number;
}

/**
 * Confirmations waiting for an answer, keyed by conversation + user. Bounded: when full, expired entries
 * go first, then the oldest. An evicted confirmation simply never runs (the safe outcome).
 */
export class PendingConfirmations<T> {
  private readonly entries = new Map<string, PendingConfirmation<T>>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries = 1000,
  ) {}

  /** Stores (or replaces) the confirmation for `key`. */
  set(key: string, value: T, timeoutMs: number): PendingConfirmation<T> {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const now = this.now();
      for (const [k, entry] of this.entries) if (entry.expiresAt < now) this.entries.delete(k);
      while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    const entry = { value, expiresAt: this.now() + timeoutMs };
    this.entries.set(key, entry);
    return entry;
  }

  /** Removes and returns the confirmation for `key`, expired or not. */
  take(key: string): PendingConfirmation<T> | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) this.entries.delete(key);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
