import { createLogger } from '@hub/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimulatorsApp } from './app.ts';
import { loadSimulatorsConfig } from './config.ts';
import { ManualClock } from './manual-clock.ts';
import { mulberry32 } from './random.ts';
import { signature } from './signature.ts';

const body = JSON.stringify({ deliveryId: 'D-1', recipient: 'tax', resourceCode: 'ps.resident-identity', payload: { name: '韦建国' } });

function delivery(department: string, eventId: string, options: { secret?: string; payload?: string } = {}) {
  const payload = options.payload ?? body;
  return {
    method: 'POST' as const,
    url: `/webhooks/${department}`,
    payload,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-hub-signature-256': signature(payload, options.secret ?? `dev-${department}-secret`),
      'x-hub-event-id': eventId,
      'x-hub-delivery-id': 'D-1',
    },
  };
}

async function build(env: Record<string, string>, clock = new ManualClock()): Promise<FastifyInstance> {
  const config = loadSimulatorsConfig({ SIMULATORS_RATE: '0', SIMULATORS_CASE_RATE: '0', SIMULATORS_SUBSCRIBE: 'false', SIMULATORS_QUESTION_RATE: '0', ...env });
  return buildSimulatorsApp({ config, random: mulberry32(1), logger: createLogger('simulators-test', 'silent'), clock });
}

describe('department webhooks (POST /webhooks/{dept})', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await build({});
  });
  afterAll(() => app.close());

  it('takes a delivery signed with the department secret and records it', async () => {
    const response = await app.inject(delivery('tax', 'evt-1'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'received', eventId: 'evt-1' });
    const log = app.deliveryLogs.get('tax');
    expect(log?.received).toBe(1);
    expect(log?.recent[0]).toMatchObject({ eventId: 'evt-1', deliveryId: 'D-1', body: JSON.parse(body) });
  });

  it('drops a repeat of an event id, answering 200 so the hub stops retrying', async () => {
    await app.inject(delivery('ps', 'evt-2'));
    const repeat = await app.inject(delivery('ps', 'evt-2'));
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toEqual({ status: 'duplicate', eventId: 'evt-2' });
    expect(app.deliveryLogs.get('ps')?.summary()).toMatchObject({ received: 1, duplicates: 1 });
  });

  it.each([
    ['another department\'s secret', delivery('land', 'evt-3', { secret: 'dev-tax-secret' })],
    ['a body changed after signing', { ...delivery('land', 'evt-4'), payload: body.replace('韦建国', '黄丽娟') }],
    ['no signature', { ...delivery('land', 'evt-5'), headers: { 'content-type': 'application/json', 'x-hub-event-id': 'evt-5' } }],
  ])('refuses 401 with %s, recording nothing', async (_case, request) => {
    const response = await app.inject(request);
    expect(response.statusCode).toBe(401);
    expect(app.deliveryLogs.get('land')?.received).toBe(0);
  });

  it('needs an event id, and knows only the simulated departments', async () => {
    const noId = delivery('market', '');
    expect((await app.inject(noId)).statusCode).toBe(400);
    expect((await app.inject(delivery('hrss', 'evt-6'))).statusCode).toBe(404);
  });

  it('shows what a department received', async () => {
    const response = await app.inject({ method: 'GET', url: '/webhooks/tax' });
    expect(response.json()).toMatchObject({ department: 'tax', received: 1, duplicates: 0 });
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('injects 503s for the configured share, without recording them', async () => {
    const failing = await build({ SIMULATORS_FAILURE_SHARE: '1', SIMULATORS_SECRETS: 'civil=s3cret-civil', SIMULATORS_DEPARTMENTS: 'civil' });
    const response = await failing.inject(delivery('civil', 'evt-7', { secret: 's3cret-civil' }));
    expect(response.statusCode).toBe(503);
    expect(failing.deliveryLogs.get('civil')?.summary()).toMatchObject({ received: 0, injectedFailures: 1 });
    await failing.close();
  });

  it('answers slowly for the configured share', async () => {
    const clock = new ManualClock();
    const slow = await build({ SIMULATORS_SLOW_SHARE: '1', SIMULATORS_SLOW_MS: '200' }, clock);
    const answer = slow.inject(delivery('tax', 'evt-8'));
    await clock.slept(1);
    expect(clock.sleeps).toEqual([200]);
    // Held until the delay is over: nothing recorded yet.
    expect(slow.deliveryLogs.get('tax')?.summary()).toMatchObject({ received: 0 });
    clock.advance(200);
    expect((await answer).statusCode).toBe(200);
    expect(slow.deliveryLogs.get('tax')?.summary()).toMatchObject({ received: 1 });
    await slow.close();
  });
});
