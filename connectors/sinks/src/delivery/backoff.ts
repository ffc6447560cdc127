/**
 * Exponential backoff with full jitter: before retry n (n = 1 after the first
 * failed attempt) wait a uniformly random time in [0, min(max, base·2^(n−1))].
 * Full jitter spreads the retries of many failed deliveries over the window
 * instead of having them hit a recovering department system in waves.
 */
export interface RetryPolicy {
  /** Ceiling of the wait before the first retry, in ms. */
  baseMs: number;
  /** Largest ceiling, in ms. */
  maxMs: number;
  /** Attempts in all, the first included; after the last one the delivery is dead-lettered. */
  maxAttempts: number;
}

export function backoffCeiling(policy: RetryPolicy, retry: number): number {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError(`retry must be a positive integer, got ${retry}`);
  // 2^(retry-1) overflows to Infinity long after it passes any sensible max; min() keeps it finite.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
}

/** The wait before retry `retry`; `random` is uniform in [0, 1), passed in so tests are reproducible. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  return Math.floor(random() * (backoffCeiling(policy, retry) + 1));
}
