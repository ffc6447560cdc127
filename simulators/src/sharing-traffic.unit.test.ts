import { createLogger } from '@hub/runtime';
import { describe, expect, it } from 'vitest';
import { buildSimulatorsApp } from './app.ts';
import { FakeGateway } from './cases/testing/fake-gateway.ts';
import { runFor } from './cases/testing/drive.ts';
import { loadSimulatorsConfig } from './config.ts';
import { ManualClock } from './manual-clock.ts';
import { mulberry32 } from './random.ts';
import { signature } from './signature.ts';

const START = Date.parse('2026-03-02T01:00:00Z');

describe('data sharing in the simulators service', () => {
  it('the departments subscribe, the owners approve through their webhooks, and the windows ask verification questions about the records they published', async () => {
    const clock = new ManualClock();
    const now = () => new Date(START + clock.nowMs());
    const gateway = new FakeGateway(now);
    const config = loadSimulatorsConfig({
      SIMULATORS_RATE: '1',
      SIMULATORS_BATCH_SIZE: '5',
      SIMULATORS_BAD_SHARE: '0.2',
      SIMULATORS_CASE_RATE: '0',
      SIMULATORS_QUESTION_RATE: '30',
      SIMULATORS_ANSWER_MEDIAN_MS: '1000',
      SIMULATORS_ANSWER_MAX_MS: '3000',
      GATEWAY_URL: 'http://gateway.test',
    });
    const app = await buildSimulatorsApp({ config, random: mulberry32(8), logger: createLogger('simulators-test', 'silent'), clock, now, fetch: gateway.fetch, seed: 8 });
    let eventNo = 0;
    // The sinks: each notice to the department's webhook, signed with its secret.
    gateway.onDelivery = (department, body) => {
      const payload = JSON.stringify(body);
      void app.inject({
        method: 'POST',
        url: `/webhooks/${department}`,
        payload,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature(payload, `dev-${department}-secret`), 'x-hub-event-id': `evt-${(eventNo += 1)}` },
      });
    };
    await app.ready();
    await runFor(clock, 180_000, 500);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    await app.close();

    const sharing = app.sharingTraffic;
    expect(sharing).toBeDefined();
    // Every planned agreement granted, the conditional ones by their owners on the notice their webhook got (before any poll).
    expect(sharing?.agreements.statuses()).toEqual({ granted: 10 });
    const approvals = gateway.requests.filter((r) => r.path.endsWith('/approval'));
    expect(approvals).toHaveLength(8);
    expect(app.deliveryLogs.get('ps')?.received).toBeGreaterThan(0);

    const stats = sharing?.questions?.stats;
    expect(stats?.asked).toBeGreaterThan(60);
    expect(stats?.byStatus.answered).toBeGreaterThan(30);
    expect(stats?.byStatus['not-found']).toBeGreaterThan(0);
    expect(stats?.surprises).toBe(0);
    const asked = gateway.requests.filter((r) => r.path === '/v1/exchange/requests');
    expect(asked.some((r) => r.body?.verify !== undefined)).toBe(true);
    expect(asked.some((r) => r.body?.verify === undefined)).toBe(true);
    expect(new Set(asked.map((r) => r.as)).size).toBeGreaterThan(2);
    expect(gateway.requests.filter((r) => r.status >= 400)).toEqual([]);

    expect(metrics).toMatch(/simulators_data_requests_total\{requester="[a-z]+",resource="[a-z.-]+",kind="verify",status="answered",service="simulators"\} \d+/);
    expect(metrics).toMatch(/simulators_sharing_steps_total\{step="approve-agreement",outcome="answered",service="simulators"\} 8/);
    expect(metrics).toMatch(/simulators_agreements\{status="granted",service="simulators"\} 10/);
  });

  it('has no sharing traffic with SIMULATORS_SUBSCRIBE=false and SIMULATORS_QUESTION_RATE=0', async () => {
    const config = loadSimulatorsConfig({ SIMULATORS_RATE: '0', SIMULATORS_CASE_RATE: '0', SIMULATORS_SUBSCRIBE: 'false', SIMULATORS_QUESTION_RATE: '0' });
    const app = await buildSimulatorsApp({ config, random: mulberry32(2), logger: createLogger('simulators-test', 'silent'), clock: new ManualClock() });
    await app.ready();
    expect(app.sharingTraffic).toBeUndefined();
    await app.close();
  });
});
