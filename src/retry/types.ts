/**
 * Retry policy as data (issue #4). The table is keyed on the documented UCWA error (HTTP status, code, subcode);
 * `withRetry` runs it with p-retry. Network failures (no response) use status 0, code 'LocalFailure' or 'Timeout',
 * and the network error code (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, `UND_ERR_SOCKET`, ...) as subcode.
 */
import type { UcwaError } from '../ucwa/errors.js';

export type RetryAction = 'retry' | 'refreshToken' | 'recreateApplication' | 'succeeded' | 'fail';

export interface RetryRule {
  /** HTTP status, 0 for no response, or '*' */
  status: number | '*';
  /** UCWA ErrorCode, or '*' */
  code: string | '*';
  /** UCWA ErrorSubcode; null matches "no subcode"; '*' matches any */
  subcode: string | null | '*';
  action: RetryAction;
  /** One line: why this row does what it does (shown in the README table). */
  reason: string;
  /** Backoff for 'retry'. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  honorRetryAfter?: boolean;
  /** Attempts this row allows for one logical operation (including the first). */
  maxAttempts?: number;
}

export interface RetryOptions {
  /** Rows to add or override, merged by (status, code, subcode) key; validated. */
  rules?: RetryRule[];
  /** @default 6 */
  maxAttempts?: number;
  /** @default 60_000 */
  maxElapsedMs?: number;
}

export interface RetryDecision {
  action: RetryAction;
  rule?: RetryRule;
  delayMs: number;
}

/** Hooks the client gives the retry runner for the actions that need the protocol. */
export interface RetryHooks {
  refreshToken?(): Promise<void>;
  /**
   * Added contract: true when the layer below already refreshed the token and replayed the request for this 401,
   * so a refreshToken row would be a second refresh for one 401: `withRetry` then gives up instead.
   */
  alreadyRefreshed?(error: UcwaError): boolean;
  recreateApplication?(): Promise<void>;
  /**
   * Settles an uncertain outcome (request written, no response) before any resend: resolves true when the
   * outgoing message event carrying this operationId proved delivery, false after a short bounded wait.
   * Rejecting with a `UcwaError` (added contract): the outcome cannot be known any more (the application that
   * would carry the event is gone); `withRetry` then ends the operation with that error instead of resending.
   */
  confirmDelivery?(operationId: string, error: UcwaError): Promise<boolean>;
}

/**
 * Options of `withRetry(task, options)` in `src/retry/with-retry.ts`:
 * `withRetry<T>(task: (attempt: number) => Promise<T>, options: WithRetryOptions<T>): Promise<T>`.
 * The task throws `UcwaError`; the same operationId is reused by the caller across every attempt.
 * `resolveRetryRules(options?: RetryOptions): ResolvedRetryOptions` in `src/retry/rules.ts` validates and merges.
 */
export interface WithRetryOptions<T> {
  /** UCWA resource name for errors and metrics (`sendMessage`, `events`, ...). */
  resource: string;
  operationId?: string;
  policy: ResolvedRetryOptions;
  hooks?: RetryHooks;
  /** `stop()` aborts pending retries. */
  signal?: AbortSignal;
  onRetry?(info: { error: UcwaError; decision: RetryDecision; attempt: number }): void;
  /** The value to resolve with when a row says 'succeeded' (409 AlreadyExists answering a retry). */
  onAlreadyDone?(error: UcwaError): T | Promise<T>;
  /** Injected for tests. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  now?(): number;
  /** Injected for tests: uniform [0, 1) source for backoff jitter. @default Math.random */
  random?(): number;
}

export interface ResolvedRetryOptions {
  rules: readonly RetryRule[];
  maxAttempts: number;
  maxElapsedMs: number;
}
