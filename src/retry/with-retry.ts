/**
 * `withRetry()`: runs one logical UCWA operation under the retry table, executed by p-retry. p-retry's own delays
 * are set to 0: the wait happens here, through the injected `sleep`, so `Retry-After` and each row's backoff apply
 * and tests can observe every delay.
 */
import pRetry, { AbortError } from 'p-retry';
import { isUcwaError, type UcwaError } from '../ucwa/errors.js';
import { decide } from './decide.js';
import { sleep as defaultSleep } from './sleep.js';
import type { RetryDecision, RetryRule, WithRetryOptions } from './types.js';

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Runs `task(attempt)` until it resolves, a row says stop, or a budget runs out. The task throws `UcwaError`;
 * the caller reuses one operationId across every attempt (pass it as `operationId`).
 *
 * Per failed attempt:
 * 1. `decide()` picks the most specific row. 'succeeded' (409 AlreadyExists answering a retry of this
 *    operationId) resolves with `onAlreadyDone(error)`.
 * 2. Uncertain outcome (`details.uncertain`: written, no answer): before any resend, and before giving up,
 *    `hooks.confirmDelivery(operationId, error)` — true resolves with `onAlreadyDone` (delivered: never resend),
 *    false lets the row decide. Without the hook or an operationId the row decides alone. The hook may instead
 *    reject with a `UcwaError` when the outcome can no longer be known (e.g. the application that would have
 *    carried the delivery event was lost): the operation then ends with that error, unsent again — the caller
 *    chooses at-most-once for that case; resolving false chooses at-least-once.
 * 3. 'fail', an exhausted budget (`policy.maxAttempts` attempts in all; a row's `maxAttempts` failures under that
 *    row; elapsed time plus the next delay over `policy.maxElapsedMs`), or a second 401 / second application loss in the same
 *    operation: the same `UcwaError` is rethrown with `details.attempts`, `details.elapsedMs`, `resource` and
 *    `operationId` filled and the message extended with why it stopped.
 * 4. Otherwise `onRetry` (metrics), sleep the decided delay, run `hooks.refreshToken` / `hooks.recreateApplication`
 *    for those actions (each at most once per operation, and no refresh at all when `hooks.alreadyRefreshed(error)`
 *    says the layer below already refreshed and replayed for this 401; the client must make them single-flight, because every
 *    concurrent operation hits the same expiry), then the next attempt.
 *
 * `maxElapsedMs` decides whether another attempt may start; a single attempt is bounded by the caller (the client's
 * `requestTimeoutMs`), and the task should pass `signal` on to its request so `stop()` also ends an attempt in flight.
 *
 * `signal` aborts a pending sleep or the next attempt: the promise rejects with `signal.reason` (an 'AbortError'
 * DOMException by default). An error that is not a `UcwaError` is a bug, not a UCWA failure: rethrown unretried.
 *
 * @example
 * const result = await withRetry((attempt) => client.postMessage(href, body, operationId), {
 *   resource: 'sendMessage', operationId, policy, signal, hooks,
 *   onAlreadyDone: () => ({ operationId }),
 * });
 */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: WithRetryOptions<T>): Promise<T> {
  const { policy, resource, operationId, hooks = {}, signal } = options;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const started = now();
  let refreshed = false;
  let recreated = false;
  const rowFailures = new Map<RetryRule, number>();

  const giveUp = (error: UcwaError, attempt: number, why: string): AbortError => {
    const elapsedMs = Math.max(0, now() - started);
    error.details.attempts = attempt;
    error.details.elapsedMs = elapsedMs;
    error.message = `${error.message} — ${why} (${attempt} attempt${attempt === 1 ? '' : 's'} in ${elapsedMs} ms)`;
    return new AbortError(error);
  };

  const alreadyDone = async (error: UcwaError, attempt: number, proof: string): Promise<{ value: T }> => {
    if (!options.onAlreadyDone) throw giveUp(error, attempt, `${proof}, but the caller gave no onAlreadyDone to resolve with`);
    return { value: await options.onAlreadyDone(error) };
  };

  const runHook = async (hook: () => Promise<void>, error: UcwaError, attempt: number, name: string): Promise<void> => {
    try {
      await hook();
    } catch (hookError) {
      if (signal?.aborted) throw hookError;
      if (!isUcwaError(hookError)) throw new AbortError(toError(hookError));
      throw giveUp(hookError, attempt, `${name} failed while handling ${error.status} ${error.code}${error.subcode ? `/${error.subcode}` : ''}`);
    }
  };

  /** Returns the value to resolve with, or undefined to attempt again; throws AbortError to stop. */
  const onFailure = async (error: UcwaError, attempt: number): Promise<{ value: T } | undefined> => {
    error.details.resource ??= resource;
    if (operationId !== undefined) error.details.operationId ??= operationId;
    // Only an attempt carrying the same operationId can have "already landed" (PROTOCOL.md §9).
    const decision: RetryDecision = decide(error, { attempt, isRetry: attempt > 1 && operationId !== undefined, random }, policy.rules);
    if (decision.action === 'succeeded') return alreadyDone(error, attempt, '409 AlreadyExists answered a retry of this operationId');

    if (error.details.uncertain && operationId !== undefined && hooks.confirmDelivery) {
      // Settle before resending: the outgoing message event with this operationId is the proof (issue #4).
      let delivered = false;
      await runHook(async () => { delivered = await hooks.confirmDelivery!(operationId, error); }, error, attempt, 'confirmDelivery');
      if (delivered) return alreadyDone(error, attempt, 'delivery confirmed by event');
    }

    if (decision.action === 'fail') {
      throw giveUp(error, attempt, decision.rule ? `not retried: ${decision.rule.reason}` : 'not retried: no retry rule matches this error');
    }
    if (decision.action === 'refreshToken') {
      const alreadyRefreshed = refreshed || hooks.alreadyRefreshed?.(error) === true;
      if (alreadyRefreshed || !hooks.refreshToken) throw giveUp(error, attempt, alreadyRefreshed ? 'still unauthorized after a token refresh' : 'no refreshToken hook to recover with');
    }
    if (decision.action === 'recreateApplication' && (recreated || !hooks.recreateApplication)) {
      throw giveUp(error, attempt, recreated ? 'application lost again after re-creating it' : 'no recreateApplication hook to recover with');
    }
    if (attempt >= policy.maxAttempts) throw giveUp(error, attempt, `gave up: maxAttempts ${policy.maxAttempts} reached`);
    // A row's maxAttempts counts the attempts that failed under that row, so an earlier 503 does not use up
    // the CallbackChannelError budget.
    const rule = decision.rule;
    const underRow = rule ? (rowFailures.get(rule) ?? 0) + 1 : 0;
    if (rule) rowFailures.set(rule, underRow);
    if (rule?.maxAttempts !== undefined && underRow >= rule.maxAttempts) {
      throw giveUp(error, attempt, `gave up: ${underRow} attempts failed with this error (its row allows ${rule.maxAttempts})`);
    }
    const elapsed = now() - started;
    if (elapsed + decision.delayMs > policy.maxElapsedMs) {
      throw giveUp(error, attempt, `gave up: waiting ${decision.delayMs} ms more would exceed maxElapsedMs ${policy.maxElapsedMs}`);
    }

    options.onRetry?.({ error, decision, attempt });
    if (decision.delayMs > 0) await sleep(decision.delayMs, signal);
    if (decision.action === 'refreshToken' && hooks.refreshToken) {
      refreshed = true;
      await runHook(() => hooks.refreshToken!(), error, attempt, 'refreshToken');
    } else if (decision.action === 'recreateApplication' && hooks.recreateApplication) {
      recreated = true;
      await runHook(() => hooks.recreateApplication!(), error, attempt, 'recreateApplication');
    }
    return undefined;
  };

  return pRetry(
    async (attempt: number): Promise<T> => {
      try {
        return await task(attempt);
      } catch (raw) {
        if (signal?.aborted) throw new AbortError(toError(signal.reason));
        if (!isUcwaError(raw)) throw new AbortError(toError(raw));
        let settled: { value: T } | undefined;
        try {
          settled = await onFailure(raw, attempt);
        } catch (stop) {
          if (signal?.aborted) throw new AbortError(toError(signal.reason));
          // Anything thrown while deciding (a hook, onAlreadyDone) ends the operation: never a silent extra attempt.
          throw stop instanceof AbortError ? stop : new AbortError(toError(stop));
        }
        if (settled) return settled.value;
        throw raw;
      }
    },
    {
      // Our own checks above always stop first; p-retry's limit is a backstop one attempt further out.
      retries: policy.maxAttempts,
      minTimeout: 0,
      maxTimeout: 0,
      factor: 1,
      signal,
      shouldRetry: ({ error }) => isUcwaError(error),
    },
  );
}
