import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.ts';
import { type EmitterLogger, RecordEmitter } from './emitter.ts';
import { ManualClock } from './manual-clock.ts';
import { simulatedRegion } from './places.ts';
import { mulberry32 } from './random.ts';
import { departmentSimulators } from './records.ts';

const region = simulatedRegion(mulberry32(3), { counties: 3 });

function recordingLogger(): EmitterLogger & { warnings: object[]; errors: object[] } {
  const warnings: object[] = [];
  const errors: object[] = [];
  return { warnings, errors, info: () => undefined, warn: (o) => warnings.push(o), error: (o) => errors.push(o) };
}

function emitter(options: { gatewayUrl: string; clock: Clock; fetch?: typeof fetch; logger?: EmitterLogger; ratePerSecond?: number }) {
  return new RecordEmitter({
    department: 'ps',
    simulators: departmentSimulators('ps'),
    token: 'dev-ps-token',
    ratePerSecond: options.ratePerSecond ?? 1_000,
    batchSize: 5,
    badShare: 0.2,
    random: mulberry32(9),
    region,
    logger: options.logger ?? recordingLogger(),
    backoff: { initialMs: 5, maxMs: 20 },
    ...options,
  });
}

describe('record emitter (HTTP push to the gateway)', () => {
  it('pushes JSON arrays of native records with the department token to its own resources', async () => {
    const gateway = Fastify();
    const pushes: { url: string; authorization: string | undefined; body: unknown }[] = [];
    gateway.post('/v1/records/:dept/:resource', async (request, reply) => {
      pushes.push({ url: request.url, authorization: request.headers.authorization, body: request.body });
      const records = Array.isArray(request.body) ? request.body.length : 0;
      return reply.status(202).send({ accepted: records - 1, duplicates: 0, rejected: [{ index: 0, field: 'GMSFHM', reason: 'x' }] });
    });
    const address = await gateway.listen({ host: '127.0.0.1', port: 0 });
    const clock = new ManualClock();
    const push = emitter({ gatewayUrl: address, ratePerSecond: 100, clock });
    push.start();
    // Each push is followed by a wait for the next batch's turn; three pushes, three waits.
    for (let n = 1; n < 3; n++) {
      await clock.slept(n);
      clock.advance(50);
    }
    await clock.slept(3);
    await push.stop();
    await gateway.close();
    expect(pushes).toHaveLength(3);
    expect(pushes[0]).toMatchObject({ url: '/v1/records/ps/resident-identity', authorization: 'Bearer dev-ps-token' });
    expect(pushes[0]?.body).toHaveLength(5);
    expect(push.stats).toMatchObject({ batches: 3, accepted: 4 * 3, rejected: 3 });
  });

  it('paces batches to the configured rate', async () => {
    const clock = new ManualClock();
    const sentAt: number[] = [];
    const fake: typeof fetch = async () => {
      sentAt.push(clock.nowMs());
      return new Response('{"accepted":5}', { status: 202 });
    };
    const push = emitter({ gatewayUrl: 'http://gateway.invalid', fetch: fake, ratePerSecond: 50, clock });
    push.start();
    for (let n = 1; n <= 5; n++) {
      await clock.slept(n);
      clock.advance(clock.sleeps[n - 1]!);
    }
    await clock.slept(6);
    await push.stop();
    // 50 records/s in batches of 5: a batch every 100 ms, so six in the first half second.
    expect(sentAt).toEqual([0, 100, 200, 300, 400, 500]);
    expect(clock.sleeps).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it('counts the time a push takes towards the interval, and after a slow one catches up without a flood', async () => {
    const clock = new ManualClock();
    const took = [30, 1_000, 0, 0];
    const sentAt: number[] = [];
    const fake: typeof fetch = async () => {
      sentAt.push(clock.nowMs());
      clock.advance(took[sentAt.length - 1] ?? 0);
      return new Response('{"accepted":5}', { status: 202 });
    };
    const push = emitter({ gatewayUrl: 'http://gateway.invalid', fetch: fake, ratePerSecond: 50, clock });
    push.start();
    await clock.slept(1);
    expect(clock.sleeps).toEqual([70]); // 100 ms a batch, of which the push took 30
    clock.advance(70);
    await clock.slept(2);
    await push.stop();
    // The second push took ten intervals; the emitter sends two batches at once to
    // stay within one interval of its schedule, then goes back to its pace.
    expect(sentAt).toEqual([0, 100, 1_100, 1_100]);
    expect(clock.sleeps).toEqual([70, 100]);
  });

  it('retries the same batch with doubling backoff and a warning while the gateway is down, never throwing', async () => {
    const bodies: string[] = [];
    let calls = 0;
    const fake: typeof fetch = async (_url, init) => {
      calls += 1;
      bodies.push(String(init?.body));
      if (calls <= 2) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8080') });
      if (calls === 3) return new Response('busy', { status: 503 });
      return new Response('{"accepted":5,"duplicates":0,"rejected":[]}', { status: 202 });
    };
    const logger = recordingLogger();
    const clock = new ManualClock();
    const push = emitter({ gatewayUrl: 'http://127.0.0.1:8080', fetch: fake, logger, clock });
    const { simulator, records } = push.nextBatch();
    const outcome = push.push(simulator, records, new AbortController().signal);
    for (let n = 1; n <= 3; n++) {
      await clock.slept(n);
      clock.advance(clock.sleeps[n - 1]!);
    }
    expect(await outcome).toBe('taken');
    expect(calls).toBe(4);
    expect(clock.sleeps).toEqual([5, 10, 20]); // from 5 ms doubling, at most 20
    expect(new Set(bodies).size).toBe(1);
    expect(logger.warnings).toHaveLength(3);
    expect(logger.warnings[0]).toMatchObject({ problem: 'fetch failed: connect ECONNREFUSED 127.0.0.1:8080', attempt: 1, retryInMs: 5 });
    expect(push.stats).toMatchObject({ accepted: 5, failedAttempts: 3 });
  });

  it('drops a batch the gateway refuses with 4xx, logging an error', async () => {
    const logger = recordingLogger();
    const fake: typeof fetch = async () => new Response('{"code":"GW_FORBIDDEN_RESOURCE"}', { status: 403 });
    const push = emitter({ gatewayUrl: 'http://127.0.0.1:8080', fetch: fake, logger, clock: new ManualClock() });
    const { simulator, records } = push.nextBatch();
    expect(await push.push(simulator, records, new AbortController().signal)).toBe('refused');
    expect(push.stats.droppedBatches).toBe(1);
    expect(logger.errors[0]).toMatchObject({ status: 403 });
  });

  it('stops promptly even while backing off against a gateway that is not up', async () => {
    const logger = recordingLogger();
    const clock = new ManualClock();
    const push = emitter({ gatewayUrl: 'http://127.0.0.1:9', logger, clock });
    push.start();
    await clock.slept(1); // the first attempt failed and it is backing off
    // The clock never moves: stop() returns only because it cuts the backoff short.
    await push.stop();
    expect(push.stats.failedAttempts).toBe(1);
    expect(clock.nowMs()).toBe(0);
    expect(logger.errors).toEqual([]);
  });
});
