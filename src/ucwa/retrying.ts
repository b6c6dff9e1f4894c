/**
 * The one place the client calls the retry layer (`src/retry/`, issue #4): every retryable UCWA request runs
 * through `withRetry` with the client's hooks, and each retry is reported to the metrics sink.
 */
import { withRetry } from '../retry/with-retry.js';
import type { ResolvedRetryOptions, RetryHooks } from '../retry/types.js';
import type { UcwaError } from './errors.js';
import { refreshedFor401 } from './ucwa-http.js';
import type { Logger, UcwaMetricsSink } from './types.js';

export interface RetryRunner {
  <T>(resource: string, task: (attempt: number) => Promise<T>, options?: {
    operationId?: string;
    onAlreadyDone?: (error: UcwaError) => T | Promise<T>;
    hooks?: RetryHooks;
    signal?: AbortSignal;
  }): Promise<T>;
}

/** Build the runner bound to the client's policy, default hooks, metrics and stop signal. */
export function createRetryRunner(deps: { policy: ResolvedRetryOptions; hooks: RetryHooks; metrics: UcwaMetricsSink; logger: Logger; signal: () => AbortSignal }): RetryRunner {
  return (resource, task, options = {}) =>
    withRetry(task, {
      resource,
      operationId: options.operationId,
      policy: deps.policy,
      // UcwaHttp refreshes once per 401 itself; the table's refreshToken row must not add a second refresh.
      hooks: { alreadyRefreshed: refreshedFor401, ...deps.hooks, ...options.hooks },
      signal: options.signal ? AbortSignal.any([options.signal, deps.signal()]) : deps.signal(),
      onAlreadyDone: options.onAlreadyDone,
      onRetry: ({ error, decision, attempt }) => {
        deps.logger.info({ resource, attempt, status: error.status, code: error.code, subcode: error.subcode, action: decision.action, delayMs: decision.delayMs }, 'ucwa:client retrying');
        deps.metrics.retry?.({ resource, status: error.status, code: error.code, subcode: error.subcode, action: decision.action });
      },
    });
}
