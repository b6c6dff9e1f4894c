/**
 * The default `sleep` of `withRetry()`: a timer that an AbortSignal cancels. Rejects with `signal.reason`
 * (a DOMException named 'AbortError' unless the caller gave a reason) so `stop()` ends pending retries at once.
 */

/**
 * Pending sleeps per signal. A client passes one stop signal to every operation, and when the front end hiccups all
 * 50 conversations back off together: one 'abort' listener each would trip Node's MaxListenersExceededWarning
 * (limit 10). So each signal gets a single listener that wakes every sleep registered on it.
 */
const pending = new WeakMap<AbortSignal, Set<() => void>>();

function onAbort(signal: AbortSignal, wake: () => void): () => void {
  let sleepers = pending.get(signal);
  if (!sleepers) {
    const registered = new Set<() => void>();
    sleepers = registered;
    pending.set(signal, registered);
    signal.addEventListener('abort', () => {
      for (const fn of [...registered]) fn();
      registered.clear();
    }, { once: true });
  }
  const set = sleepers;
  set.add(wake);
  return () => set.delete(wake);
}

/** Waits `ms`; rejects with `signal.reason` as soon as the signal aborts (or at once if it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let forget = (): void => undefined;
    const timer = setTimeout(() => {
      forget();
      resolve();
    }, ms);
    if (signal) {
      forget = onAbort(signal, () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    }
  });
}
