import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from './backoff.ts';

const policy = { baseMs: 500, maxMs: 10_000, maxAttempts: 8 };

describe('exponential backoff with full jitter', () => {
  it('doubles the ceiling with each retry up to the max', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffCeiling(policy, n))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffCeiling(policy, 2000)).toBe(10_000);
  });

  it('draws the wait uniformly between 0 and the ceiling', () => {
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(1000);
    expect(backoffDelay(policy, 3, () => 0.999999)).toBe(2000);
  });

  it('refuses a retry number below 1', () => {
    expect(() => backoffCeiling(policy, 0)).toThrow(RangeError);
  });
});
