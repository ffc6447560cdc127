/**
 * Exponential backoff with full jitter: before retry n (n = 1 after the first
 * failed attempt) wait a uniformly random time in [0, min(max, base·2^(n−1))].
 * Full jitter spreads the retries of many failed callers over the window
 * instead of having them hit a recovering system in waves.
 */
export interface RetryPolicy {
  /** Ceiling of the wait before the first retry, in ms. */
  baseMs: number;
  /** Largest ceiling, in ms. */
  maxMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
}

export function backoffCeiling(policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, retry: number): number {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError(`retry must be a positive integer, got ${retry}`);
  // 2^(retry-1) overflows to Infinity long after it passes any sensible max; min() keeps it finite.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
}

/** The wait before retry `retry`; `random` is uniform in [0, 1), passed in so tests are reproducible. */
export function backoffDelay(policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * (backoffCeiling(policy, retry) + 1));
}

/** Waits `ms`; rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
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

export interface RetryOptions extends RetryPolicy {
  /** Whether a failure is worth another attempt; by default every one is. */
  retriable?: (error: unknown) => boolean;
  random?: () => number;
  signal?: AbortSignal;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `attempt` until it succeeds, fails for good, or has used `maxAttempts`; the last error is thrown. */
export async function retry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= options.maxAttempts || !(options.retriable?.(error) ?? true)) throw error;
      const delayMs = backoffDelay(options, n, options.random);
      options.onRetry?.(error, n, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}
