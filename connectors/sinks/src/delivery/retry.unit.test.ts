import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from './outcome.ts';
import { sleep } from '@hub/runtime';
import { deliverWithRetries, type RetryDeps } from './retry.ts';

function scripted(outcomes: AttemptOutcome[]) {
  const calls: number[] = [];
  return {
    calls,
    attempt: async (n: number) => {
      calls.push(n);
      const outcome = outcomes[n - 1];
      if (!outcome) throw new Error(`no outcome scripted for attempt ${n}`);
      return { outcome, durationMs: 7 };
    },
  };
}

function deps(overrides: Partial<RetryDeps> = {}): RetryDeps & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    policy: { baseMs: 100, maxMs: 1000, maxAttempts: 4 },
    random: () => 0.5,
    now: () => new Date('2025-03-10T00:00:00.000Z'),
    sleep: async (ms) => { waits.push(ms); },
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('deliverWithRetries', () => {
  it('given two 503s then a 200, delivers on the third attempt after two backoffs', async () => {
    const { attempt, calls } = scripted([{ kind: 'response', status: 503 }, { kind: 'response', status: 503 }, { kind: 'response', status: 200 }]);
    const d = deps();
    const result = await deliverWithRetries(attempt, d);
    expect(result.kind).toBe('delivered');
    expect(calls).toEqual([1, 2, 3]);
    expect(d.waits).toEqual([50, 100]);
    expect(result.attempts.map((a) => [a.status, a.verdict])).toEqual([[503, 'transient'], [503, 'transient'], [200, 'delivered']]);
  });

  it('given a 400, dead-letters at once as permanent', async () => {
    const { attempt, calls } = scripted([{ kind: 'response', status: 400 }]);
    const result = await deliverWithRetries(attempt, deps());
    expect(calls).toEqual([1]);
    expect(result).toMatchObject({ kind: 'dead-letter', reason: 'permanent', detail: 'refused by the department system (HTTP 400)' });
  });

  it('given timeouts on every attempt, dead-letters as exhausted with every attempt recorded', async () => {
    const timeout: AttemptOutcome = { kind: 'timeout', timeoutMs: 50 };
    const { attempt } = scripted([timeout, { kind: 'error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' }, timeout, timeout]);
    const result = await deliverWithRetries(attempt, deps());
    expect(result).toMatchObject({ kind: 'dead-letter', reason: 'exhausted', detail: 'gave up after 4 attempts; last: timeout after 50 ms' });
    expect(result.attempts).toEqual([
      { attempt: 1, at: '2025-03-10T00:00:00.000Z', durationMs: 7, error: 'timeout after 50 ms', verdict: 'transient' },
      { attempt: 2, at: '2025-03-10T00:00:00.000Z', durationMs: 7, error: 'ECONNREFUSED: connect ECONNREFUSED', verdict: 'transient' },
      { attempt: 3, at: '2025-03-10T00:00:00.000Z', durationMs: 7, error: 'timeout after 50 ms', verdict: 'transient' },
      { attempt: 4, at: '2025-03-10T00:00:00.000Z', durationMs: 7, error: 'timeout after 50 ms', verdict: 'transient' },
    ]);
  });

  it('waits at least as long as Retry-After asks, up to the max', async () => {
    const { attempt } = scripted([{ kind: 'response', status: 429, retryAfterMs: 700 }, { kind: 'response', status: 503, retryAfterMs: 60_000 }, { kind: 'response', status: 200 }]);
    const d = deps();
    await deliverWithRetries(attempt, d);
    expect(d.waits).toEqual([700, 1000]);
  });

  it('stops on shutdown without a verdict', async () => {
    const controller = new AbortController();
    const { attempt } = scripted([{ kind: 'response', status: 503 }, { kind: 'response', status: 200 }]);
    const run = deliverWithRetries(attempt, deps({ signal: controller.signal, sleep, policy: { baseMs: 60_000, maxMs: 60_000, maxAttempts: 3 } }));
    controller.abort(new Error('stopping'));
    await expect(run).rejects.toThrow('stopping');
  });
});
