/**
 * Pure delay arithmetic for the retry runner: exponential backoff with full jitter, and `Retry-After` parsing.
 * Nothing here sleeps; `withRetry()` is the only code that waits.
 */
import type { RetryRule } from './types.js';

/** Backoff used when a 'retry' row names no parameters. */
export const DEFAULT_BACKOFF = { baseDelayMs: 500, maxDelayMs: 8_000, factor: 2 } as const;

/**
 * Delay before the attempt after `attempt` (1-based: the attempt that just failed), in ms.
 *
 * "Full jitter": a uniform draw in [0, min(maxDelayMs, baseDelayMs · factor^(attempt−1))). It spreads the retries
 * of many conversations that failed together (one front-end hiccup hits all of them), which is exactly the
 * situation a bot with 50 open conversations meets; capped exponential without jitter would retry them in lockstep.
 * `random` returns a number in [0, 1) (`Math.random`; tests inject a constant).
 */
export function backoffDelay(attempt: number, rule: Pick<RetryRule, 'baseDelayMs' | 'maxDelayMs' | 'factor'>, random: () => number): number {
  const base = rule.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs;
  const cap = rule.maxDelayMs ?? Math.max(base, DEFAULT_BACKOFF.maxDelayMs);
  const factor = rule.factor ?? DEFAULT_BACKOFF.factor;
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(cap, base * factor ** exponent);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling * draw);
}

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns ms to wait from `now`
 * (never negative), or undefined when the header is absent or unparseable (then the row's backoff applies).
 */
export function retryAfterMs(headerValue: string | null | undefined, now: number): number | undefined {
  if (headerValue === null || headerValue === undefined) return undefined;
  const value = headerValue.trim();
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date always names a weekday and a month; require letters so "1.5" or "-3" is not read as a date.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
