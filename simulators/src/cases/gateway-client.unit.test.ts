import { describe, expect, it } from 'vitest';
import { gatewayTokens } from '../config.ts';
import { ManualClock } from '../manual-clock.ts';
import { GatewayClient } from './gateway-client.ts';
import { gatewayCall } from './steps.ts';
import { recordingLogger } from './testing/drive.ts';

const signal = new AbortController().signal;

describe('the gateway client of the case routes', () => {
  it('sends each step with its principal\'s token, the idempotency key and the step\'s own time', async () => {
    const seen: Array<{ url: string; headers: Headers; body: unknown }> = [];
    const fake: typeof fetch = async (url, init) => {
      seen.push({ url: String(url), headers: new Headers(init?.headers), body: JSON.parse(String(init?.body)) });
      return new Response('{"caseId":"GW-1","eventId":"GW-1:1"}', { status: 201 });
    };
    const tokens = gatewayTokens({ SIMULATORS_TOKENS: 'land=secret-land' });
    const client = new GatewayClient({ gatewayUrl: 'http://gw.test/', tokens, logger: recordingLogger(), fetch: fake, clock: new ManualClock() });
    const at = new Date('2026-03-02T02:00:00Z');
    await client.send(gatewayCall({ type: 'decide', department: 'land', approved: false, reason: '不符合条件' }, 'GW 1', at), signal);
    await client.send(gatewayCall({ type: 'accept' }, 'GW-1'), signal);
    expect(seen[0]).toMatchObject({ url: 'http://gw.test/v1/cases/GW%201/decision', body: { approved: false, reason: '不符合条件', occurredAt: '2026-03-02T02:00:00.000Z' } });
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer secret-land');
    expect(seen[1]?.headers.get('authorization')).toBe('Bearer dev-window-token');
    expect(seen[1]?.body).toEqual({ accepted: true });
    const submission = gatewayCall({ type: 'submit', key: 'sim-7-1', submission: { itemCode: 'X' } as never }, '', at);
    expect(submission).toMatchObject({ path: '/v1/cases', as: 'window', idempotencyKey: 'sim-7-1', body: { itemCode: 'X', submittedAt: '2026-03-02T02:00:00.000Z' } });
  });

  it('waits out a Retry-After longer than its backoff, up to its ceiling, and retries network errors', async () => {
    let calls = 0;
    const fake: typeof fetch = async () => {
      calls += 1;
      if (calls === 1) return new Response('{}', { status: 503, headers: { 'retry-after': '3' } });
      if (calls === 2) return new Response('{}', { status: 503, headers: { 'retry-after': '120' } });
      if (calls === 3) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
      return new Response('{"case":{}}', { status: 200 });
    };
    const clock = new ManualClock();
    const logger = recordingLogger();
    const client = new GatewayClient({ gatewayUrl: 'http://gw.test', tokens: new Map(), logger, fetch: fake, clock, backoff: { initialMs: 500, maxMs: 10_000 } });
    const reply = client.send(gatewayCall({ type: 'deliver' }, 'GW-1'), signal);
    for (let n = 1; n <= 3; n += 1) {
      await clock.slept(n);
      clock.advance(clock.sleeps[n - 1]!);
    }
    expect(await reply).toMatchObject({ kind: 'answered', status: 200 });
    expect(clock.sleeps).toEqual([3_000, 10_000, 2_000]);
    expect(logger.warnings[2]).toMatchObject({ problem: 'fetch failed: connect ECONNREFUSED' });
  });

  it('gives up after maxAttempts, and returns a 4xx as refused with the problem\'s detail', async () => {
    const down: typeof fetch = async () => new Response('', { status: 502 });
    const clock = new ManualClock();
    const giving = new GatewayClient({ gatewayUrl: 'http://gw.test', tokens: new Map(), logger: recordingLogger(), fetch: down, clock, backoff: { initialMs: 1, maxMs: 1 }, maxAttempts: 2 });
    const reply = giving.send(gatewayCall({ type: 'deliver' }, 'GW-1'), signal);
    await clock.slept(1);
    clock.advance(1);
    expect(await reply).toEqual({ kind: 'gave-up', attempts: 2, problem: 'HTTP 502' });

    const problem = JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'case GW-1 is suspended' });
    const refusing: typeof fetch = async () => new Response(problem, { status: 409, headers: { 'content-type': 'application/problem+json' } });
    const client = new GatewayClient({ gatewayUrl: 'http://gw.test', tokens: new Map(), logger: recordingLogger(), fetch: refusing, clock });
    expect(await client.send(gatewayCall({ type: 'deliver' }, 'GW-1'), signal)).toMatchObject({ kind: 'refused', status: 409, detail: 'case GW-1 is suspended' });
    expect(client.stats).toMatchObject({ refused: 1, retries: 0 });
  });
});
