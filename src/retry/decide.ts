/**
 * `decide()`: what to do about one failed attempt. Pure: the same error, context and table give the same answer.
 */
import type { UcwaError } from '../ucwa/errors.js';
import { backoffDelay } from './backoff.js';
import { findRule } from './match.js';
import type { RetryDecision, RetryRule } from './types.js';

export interface DecideContext {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  /**
   * True when an earlier attempt of the same logical operation, with the same operationId, may have reached the
   * server. Only then can `409 Conflict/AlreadyExists` mean "the earlier attempt landed".
   */
  isRetry: boolean;
  /** Uniform [0, 1) source for jitter. Without it the delay is the un-jittered ceiling (deterministic). */
  random?: () => number;
}

/**
 * Looks the error up in the table (most specific row wins, see `specificity` in `match.ts`) and returns the action
 * and the delay before the next attempt.
 *
 * - No matching row → 'fail' (unknown errors are not retried blindly).
 * - A 'succeeded' row on a first attempt (`isRetry: false`) → 'fail': a 409 AlreadyExists that answers a first
 *   attempt is a real conflict, not proof of an earlier delivery (PROTOCOL.md §8.4, §15 item 43).
 * - Delay: `Retry-After` (already parsed into `details.retryAfterMs`) when the row honours it, else the row's
 *   backoff; 0 for 'fail' and 'succeeded'.
 */
export function decide(error: UcwaError, ctx: DecideContext, rules: readonly RetryRule[]): RetryDecision {
  const rule = findRule(rules, { status: error.status, code: error.code, subcode: error.subcode });
  if (!rule) return { action: 'fail', delayMs: 0 };
  if (rule.action === 'succeeded' && !ctx.isRetry) return { action: 'fail', rule, delayMs: 0 };
  if (rule.action === 'fail' || rule.action === 'succeeded') return { action: rule.action, rule, delayMs: 0 };
  const retryAfter = error.details.retryAfterMs;
  if (rule.honorRetryAfter && retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return { action: rule.action, rule, delayMs: retryAfter };
  }
  const hasBackoff = rule.action === 'retry' || rule.baseDelayMs !== undefined;
  const delayMs = hasBackoff ? backoffDelay(ctx.attempt, rule, ctx.random ?? (() => 1)) : 0;
  return { action: rule.action, rule, delayMs };
}
