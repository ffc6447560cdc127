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

describe('live case traffic in the simulators service', () => {
  it('given SIMULATORS_CASE_RATE, the window submits cases and moves them along, and the departments answer the requests their webhooks get', async () => {
    const clock = new ManualClock();
    const now = () => new Date(START + clock.nowMs());
    const gateway = new FakeGateway(now);
    const config = loadSimulatorsConfig({
      SIMULATORS_RATE: '0',
      SIMULATORS_CASE_RATE: '12',
      SIMULATORS_CASE_POLL_MS: '1000',
      SIMULATORS_CASE_STEP_MS: '500',
      SIMULATORS_REFUSE_SHARE: '0',
      SIMULATORS_SUPPLEMENT_SHARE: '0',
      SIMULATORS_INTAKE_REFUSAL_SHARE: '0',
      SIMULATORS_ANSWER_MEDIAN_MS: '1000',
      SIMULATORS_ANSWER_MAX_MS: '3000',
      GATEWAY_URL: 'http://gateway.test',
    });
    const app = await buildSimulatorsApp({ config, random: mulberry32(4), logger: createLogger('simulators-test', 'silent'), clock, now, fetch: gateway.fetch, seed: 4 });
    let eventNo = 0;
    // The sinks: each CoApprovalRequested to the co-approver's webhook, signed with its secret.
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
    await runFor(clock, 120_000, 250);
    await app.close();

    expect(app.caseTraffic).toBeDefined();
    const states = [...gateway.states.values()];
    expect(states.length).toBeGreaterThanOrEqual(20);
    const coApproved = states.filter((s) => s.tasks.length > 0);
    expect(coApproved.length).toBeGreaterThan(0);
    expect(coApproved.some((s) => s.status === 'reviewed')).toBe(true);
    // Answers came with the simulated departments' own tokens (the lead needs none simulated: housing leads 商品房预售许可, land co-approves); nothing was refused.
    const answers = gateway.requests.filter((r) => r.path.endsWith('/answers'));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((r) => ['tax', 'ps', 'land', 'market', 'civil'].includes(r.as) && r.status === 200)).toBe(true);
    expect(gateway.requests.filter((r) => r.status >= 400)).toEqual([]);
    expect(app.deliveryLogs.get('tax')?.received).toBeGreaterThan(0);
  });

  it('counts submitted cases and answered steps in /metrics', async () => {
    const clock = new ManualClock();
    const now = () => new Date(START + clock.nowMs());
    const gateway = new FakeGateway(now);
    const config = loadSimulatorsConfig({ SIMULATORS_RATE: '0', SIMULATORS_CASE_RATE: '30', SIMULATORS_CASE_STEP_MS: '100', SIMULATORS_CASE_POLL_MS: '500', GATEWAY_URL: 'http://gateway.test' });
    const app = await buildSimulatorsApp({ config, random: mulberry32(2), logger: createLogger('simulators-test', 'silent'), clock, now, fetch: gateway.fetch });
    await app.ready();
    await runFor(clock, 10_000);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    await app.close();
    expect(metrics).toMatch(/simulators_cases_submitted_total\{lead_department="[a-z]+",service="simulators"\} \d+/);
    expect(metrics).toMatch(/simulators_case_steps_total\{step="accept",outcome="answered",service="simulators"\} \d+/);
    expect(metrics).toMatch(/simulators_cases_followed\{service="simulators"\} \d+/);
  });

  it('has no case traffic with SIMULATORS_CASE_RATE=0', async () => {
    const config = loadSimulatorsConfig({ SIMULATORS_RATE: '0', SIMULATORS_CASE_RATE: '0', SIMULATORS_SUBSCRIBE: 'false', SIMULATORS_QUESTION_RATE: '0' });
    const app = await buildSimulatorsApp({ config, random: mulberry32(2), logger: createLogger('simulators-test', 'silent'), clock: new ManualClock() });
    await app.ready();
    expect(app.caseTraffic).toBeUndefined();
    await app.close();
  });
});
