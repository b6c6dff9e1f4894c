/**
 * Scripted failures (issue #2 "Faults"): next-N or seeded-probability faults per resource, answering with a
 * documented error (optionally `Retry-After`, or an HTML body as a proxy would send), added latency, a reset
 * connection before or after the request took effect, or a dropped event channel.
 */
import type { FaultApi, FaultHandle, FaultResource, FaultSpec } from './types.js';

const RESOURCES: readonly string[] = [
  'discovery', 'user', 'token', 'applications', 'application', 'makeMeAvailable', 'reportMyActivity', 'events', 'startMessaging',
  'sendMessage', 'setIsTyping', 'stopMessaging', 'accept', 'decline', 'conversation', 'messaging', 'message', 'participant', 'addMessaging', '*',
];

const MAX_LATENCY_MS = 2_147_483_647;

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  hits: number;
  remaining: number;
}

/** mulberry32: small, fast, seedable (soak runs must be reproducible). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a FaultSpec; throws a TypeError naming the bad member (also used for the HTTP fault route). */
export function validateFaultSpec(spec: unknown): FaultSpec {
  if (!spec || typeof spec !== 'object') throw new TypeError('A fault spec must be an object such as { resource: "sendMessage", times: 1, error: { status: 503 } }');
  const s = spec as FaultSpec;
  if (!RESOURCES.includes(s.resource)) throw new TypeError(`Unknown fault resource "${String(s.resource)}": expected one of ${RESOURCES.join(', ')}`);
  if (s.times !== undefined && (!Number.isInteger(s.times) || s.times < 1)) throw new TypeError(`Expected times to be a positive integer, got ${String(s.times)}`);
  if (s.probability !== undefined && !(typeof s.probability === 'number' && s.probability >= 0 && s.probability <= 1)) {
    throw new TypeError(`Expected probability to be between 0 and 1, got ${String(s.probability)}`);
  }
  if (s.error !== undefined && (s.error === null || typeof s.error !== 'object')) throw new TypeError('Expected error to be an object such as { status: 503 }');
  if (s.error !== undefined && !(Number.isInteger(s.error.status) && s.error.status >= 400 && s.error.status <= 599)) {
    throw new TypeError(`Expected error.status to be an HTTP error status (400-599), got ${String(s.error?.status)}`);
  }
  if (s.error?.retryAfterSeconds !== undefined && !(Number.isInteger(s.error.retryAfterSeconds) && s.error.retryAfterSeconds >= 0)) {
    throw new TypeError(`Expected error.retryAfterSeconds to be a non-negative integer, got ${String(s.error.retryAfterSeconds)}`);
  }
  // setTimeout cannot wait longer than 2^31-1 ms (it would fire at once instead).
  if (s.latencyMs !== undefined && !(typeof s.latencyMs === 'number' && s.latencyMs >= 0 && s.latencyMs <= MAX_LATENCY_MS)) {
    throw new TypeError(`Expected latencyMs between 0 and ${MAX_LATENCY_MS}, got ${String(s.latencyMs)}`);
  }
  if (s.reset !== undefined && s.reset !== 'before' && s.reset !== 'after') throw new TypeError(`Expected reset to be "before" or "after", got ${String(s.reset)}`);
  if (s.dropEventChannel && s.resource !== 'events') throw new TypeError('dropEventChannel applies to resource "events" only');
  if (!s.error && s.latencyMs === undefined && !s.reset && !s.dropEventChannel) throw new TypeError('A fault needs error, latencyMs, reset or dropEventChannel');
  return s;
}

export class FaultRegistry implements FaultApi {
  private faults: ActiveFault[] = [];
  private seq = 0;
  private random = rng(1);

  /** Called with a new events fault so a parked P-GET can be dropped at once. */
  onInject: ((f: ActiveFault) => void) | undefined;

  inject(spec: FaultSpec): FaultHandle & { id: number } {
    const f: ActiveFault = { id: ++this.seq, spec: validateFaultSpec(spec), hits: 0, remaining: spec.probability !== undefined ? Infinity : spec.times ?? 1 };
    this.faults.push(f);
    this.onInject?.(f);
    const remove = (): void => {
      this.faults = this.faults.filter((x) => x !== f);
    };
    return {
      id: f.id,
      spec: f.spec,
      get hits() {
        return f.hits;
      },
      remove,
    };
  }

  clear(): void {
    this.faults = [];
  }

  seed(value: number): void {
    this.random = rng(value);
  }

  /** The fault that applies to this request of `resource`, consuming one of its `times`. */
  take(resource: string | undefined): FaultSpec | undefined {
    for (const f of this.faults) {
      if (f.spec.resource !== '*' && f.spec.resource !== resource) continue;
      if (f.spec.resource === '*' && resource === undefined) continue;
      if (f.spec.probability !== undefined ? this.random() >= f.spec.probability : f.remaining <= 0) continue;
      this.consume(f);
      return f.spec;
    }
    return undefined;
  }

  /** Uses one hit of `f` (dropEventChannel applied to an already parked P-GET). */
  consume(f: ActiveFault): void {
    f.hits++;
    f.remaining--;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
  }
}

export type { ActiveFault, FaultResource };
