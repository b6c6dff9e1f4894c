/**
 * The default `sleep` of `withRetry()`: a timer that an AbortSignal cancels. Rejects with `signal.reason`
 * (a DOMException named 'AbortError' unless the caller gave a reason) so `stop()` ends pending retries at once.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
