import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { type EmitterLogger, RecordEmitter } from './emitter.ts';
import { simulatedRegion } from './places.ts';
import { mulberry32 } from './random.ts';
import { departmentSimulators } from './records.ts';

const region = simulatedRegion(mulberry32(3), { counties: 3 });

function recordingLogger(): EmitterLogger & { warnings: object[]; errors: object[] } {
  const warnings: object[] = [];
  const errors: object[] = [];
  return { warnings, errors, info: () => undefined, warn: (o) => warnings.push(o), error: (o) => errors.push(o) };
}

function emitter(options: { gatewayUrl: string; fetch?: typeof fetch; logger?: EmitterLogger; ratePerSecond?: number }) {
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
    const push = emitter({ gatewayUrl: address, ratePerSecond: 100 });
    push.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await push.stop();
    await gateway.close();
    expect(pushes.length).toBeGreaterThan(2);
    expect(pushes[0]).toMatchObject({ url: '/v1/records/ps/resident-identity', authorization: 'Bearer dev-ps-token' });
    expect(pushes[0]?.body).toHaveLength(5);
    expect(push.stats.accepted).toBe(4 * push.stats.batches);
    expect(push.stats.rejected).toBe(push.stats.batches);
  });

  it('paces batches to the configured rate', async () => {
    let calls = 0;
    const fake: typeof fetch = async () => {
      calls += 1;
      return new Response('{"accepted":5}', { status: 202 });
    };
    const push = emitter({ gatewayUrl: 'http://gateway.invalid', fetch: fake, ratePerSecond: 50 });
    push.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await push.stop();
    // 50 records/s in batches of 5: 10 batches a second, so about 5 in half a second.
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(7);
  });

  it('retries the same batch with backoff and a warning while the gateway is down, never throwing', async () => {
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
    const push = emitter({ gatewayUrl: 'http://127.0.0.1:8080', fetch: fake, logger });
    const { simulator, records } = push.nextBatch();
    const controller = new AbortController();
    expect(await push.push(simulator, records, controller.signal)).toBe('taken');
    expect(calls).toBe(4);
    expect(new Set(bodies).size).toBe(1);
    expect(logger.warnings).toHaveLength(3);
    expect(logger.warnings[0]).toMatchObject({ problem: 'fetch failed: connect ECONNREFUSED 127.0.0.1:8080', attempt: 1 });
    expect(push.stats).toMatchObject({ accepted: 5, failedAttempts: 3 });
  });

  it('drops a batch the gateway refuses with 4xx, logging an error', async () => {
    const logger = recordingLogger();
    const fake: typeof fetch = async () => new Response('{"code":"GW_FORBIDDEN_RESOURCE"}', { status: 403 });
    const push = emitter({ gatewayUrl: 'http://127.0.0.1:8080', fetch: fake, logger });
    const { simulator, records } = push.nextBatch();
    expect(await push.push(simulator, records, new AbortController().signal)).toBe('refused');
    expect(push.stats.droppedBatches).toBe(1);
    expect(logger.errors[0]).toMatchObject({ status: 403 });
  });

  it('stops promptly even while backing off against a gateway that is not up', async () => {
    const logger = recordingLogger();
    const push = emitter({ gatewayUrl: 'http://127.0.0.1:9', logger });
    push.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await push.stop();
    expect(push.stats.failedAttempts).toBeGreaterThan(0);
    expect(logger.errors).toEqual([]);
  });
});
