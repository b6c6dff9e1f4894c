/**
 * A Set that keeps at most `max` entries, forgetting the least recently added or touched first. The adapter's
 * per-conversation bookkeeping uses it so a bot that runs for months talking to thousands of users does not
 * grow without bound.
 */
export class BoundedSet<T> {
  private readonly entries = new Set<T>();

  /** @throws RangeError when `max` is not a positive integer. */
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`BoundedSet: max must be a positive integer, got ${max}`);
  }

  get size(): number {
    return this.entries.size;
  }

  has(value: T): boolean {
    return this.entries.has(value);
  }

  /** Adds (or refreshes) `value`, evicting the oldest entries beyond `max`. */
  add(value: T): this {
    this.entries.delete(value);
    this.entries.add(value);
    while (this.entries.size > this.max) this.entries.delete(this.entries.values().next().value as T);
    return this;
  }

  delete(value: T): boolean {
    return this.entries.delete(value);
  }
}

/** A Map with the same bound and eviction order as `BoundedSet`. */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  /** @throws RangeError when `max` is not a positive integer. */
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`BoundedMap: max must be a positive integer, got ${max}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Sets (or refreshes) `key`, evicting the oldest entries beyond `max`. */
  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }
}
