import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, retry, sleep } from './backoff.ts';

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

describe('retry', () => {
  const quick = { baseMs: 1, maxMs: 2, maxAttempts: 4, random: () => 0 };

  it('tries again after a failure and returns the first success', async () => {
    const seen: number[] = [];
    const result = await retry(async (n) => {
      seen.push(n);
      if (n < 3) throw new Error(`attempt ${n} failed`);
      return 'done';
    }, quick);
    expect(result).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after maxAttempts with the last error, and at once on a failure that is not retriable', async () => {
    let attempts = 0;
    await expect(retry(async (n) => { attempts = n; throw new Error(`failed ${n}`); }, quick)).rejects.toThrow('failed 4');
    expect(attempts).toBe(4);
    await expect(retry(async (n) => { attempts = n; throw new Error('final'); }, { ...quick, retriable: () => false })).rejects.toThrow('final');
    expect(attempts).toBe(1);
  });

  it('stops waiting when its signal aborts', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
  });
});
