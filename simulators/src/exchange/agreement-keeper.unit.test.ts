import { describe, expect, it } from 'vitest';
import { GatewayClient } from '../cases/gateway-client.ts';
import { FakeGateway } from '../cases/testing/fake-gateway.ts';
import { recordingLogger, runFor } from '../cases/testing/drive.ts';
import { gatewayTokens } from '../config.ts';
import { ManualClock } from '../manual-clock.ts';
import { mulberry32 } from '../random.ts';
import { AgreementKeeper } from './agreement-keeper.ts';
import { plannedSubscriptions, subscriptionKey } from './subscriptions.ts';

const START = Date.parse('2026-03-02T01:00:00Z');
const { planned } = plannedSubscriptions(['tax', 'ps', 'land', 'market', 'civil']);

function setUp(options: { deliver?: boolean; subscribe?: boolean } = {}) {
  const clock = new ManualClock();
  const now = () => new Date(START + clock.nowMs());
  const gateway = new FakeGateway(now);
  const logger = recordingLogger();
  const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: gatewayTokens({ SIMULATORS_TOKENS: '' }), logger, clock, fetch: gateway.fetch });
  const keeper = () => new AgreementKeeper({ gateway: client, random: mulberry32(3), logger, clock, subscriptions: planned, subscribe: options.subscribe ?? true, pollMs: 30_000, delay: { kind: 'fixed', ms: 2_000 } });
  return { clock, gateway, logger, keeper };
}

const asked = (gateway: FakeGateway) => gateway.requests.filter((r) => r.method === 'POST' && r.path === '/v1/agreements');
const approvals = (gateway: FakeGateway) => gateway.requests.filter((r) => r.path.endsWith('/approval'));

describe('AgreementKeeper', () => {
  it('asks for each planned agreement; the owners approve the pending ones when the notice reaches them, letting through the fields asked for', async () => {
    const { clock, gateway, keeper } = setUp();
    const agreements = keeper();
    gateway.onDelivery = (department, body) => agreements.receive(department, body);
    agreements.start();
    await runFor(clock, 1_000);
    expect(asked(gateway).map((r) => `${r.as}>${String(r.body?.resource)}`)).toEqual(planned.map(subscriptionKey));
    // Unconditional resources (business licences) are granted at once; the rest wait for their owners.
    expect(agreements.granted().map((s) => s.resource)).toEqual(['market.business-licence', 'market.business-licence']);
    await runFor(clock, 2_500);
    expect(approvals(gateway).every((r) => r.status === 200)).toBe(true);
    expect(approvals(gateway).map((r) => r.as).sort()).toEqual(['civil', 'land', 'land', 'ps', 'ps', 'ps', 'tax', 'tax']);
    expect(agreements.granted()).toHaveLength(planned.length);
    expect(agreements.statuses()).toEqual({ granted: planned.length });
    const civilOnResidents = gateway.sharing.agreementsOf('civil', 'ps.resident-identity');
    expect(civilOnResidents).toMatchObject([{ status: 'granted', unmaskedFields: ['name'] }]);
    await agreements.stop();
  });

  it('asks for nothing it already has after a restart, and keeps them granted', async () => {
    const { clock, gateway, keeper } = setUp();
    const first = keeper();
    gateway.onDelivery = (department, body) => first.receive(department, body);
    first.start();
    await runFor(clock, 5_000);
    await first.stop();
    const requests = asked(gateway).length;

    const second = keeper();
    gateway.onDelivery = (department, body) => second.receive(department, body);
    second.start();
    await runFor(clock, 65_000, 1_000);
    await second.stop();
    expect(asked(gateway)).toHaveLength(requests);
    expect(second.granted()).toHaveLength(planned.length);
    expect(gateway.requests.filter((r) => r.status >= 400)).toEqual([]);
  });

  it('approves a request whose notice never came once its owner has seen it pending for a whole poll', async () => {
    const { clock, gateway, keeper } = setUp();
    const agreements = keeper();
    gateway.onDelivery = undefined;
    agreements.start();
    await runFor(clock, 29_000, 1_000);
    expect(approvals(gateway)).toEqual([]);
    await runFor(clock, 2_000, 1_000);
    expect(approvals(gateway)).toHaveLength(8);
    expect(agreements.granted()).toHaveLength(planned.length);
    await runFor(clock, 30_000, 1_000);
    expect(approvals(gateway)).toHaveLength(8);
    await agreements.stop();
  });

  it('with subscribe off, only looks at the agreements there are', async () => {
    const { clock, gateway, keeper } = setUp({ subscribe: false });
    const agreements = keeper();
    agreements.start();
    await runFor(clock, 1_000);
    expect(asked(gateway)).toEqual([]);
    expect(agreements.granted()).toEqual([]);
    await agreements.stop();
  });
});
