import type { DepartmentCode } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../manual-clock.ts';
import { simulatedRegion } from '../places.ts';
import { mulberry32 } from '../random.ts';
import { CoApprovalAnswerer } from './answerer.ts';
import { GatewayClient } from './gateway-client.ts';
import { nextWindowStep } from './next-step.ts';
import { FakeGateway } from './testing/fake-gateway.ts';
import { catalogueItem } from './testing/items.ts';
import { recordingLogger, runFor } from './testing/drive.ts';
import { WindowDriver, type WindowDriverOptions } from './window-driver.ts';

const region = simulatedRegion(mulberry32(3), { counties: 3 });
// 09:00 on Monday 2026-03-02 in Beijing, when the manual clock reads 0.
const START = Date.parse('2026-03-02T01:00:00Z');

function world(overrides: Partial<WindowDriverOptions> = {}) {
  const clock = new ManualClock();
  const now = () => new Date(START + clock.nowMs());
  const gateway = new FakeGateway(now);
  const logger = recordingLogger();
  const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: new Map(), logger, fetch: gateway.fetch, clock, backoff: { initialMs: 100, maxMs: 1_000 } });
  const window = (more: Partial<WindowDriverOptions> = {}) =>
    new WindowDriver({
      gateway: client,
      random: mulberry32(5),
      region,
      logger,
      now,
      clock,
      // No department simulated: only the items the lead decides alone get cases.
      departments: [],
      seed: 7,
      ratePerMinute: 6,
      pollMs: 1_000,
      stepMs: 500,
      supplementMs: 5_000,
      staleMs: 600_000,
      intakeRefusalShare: 0,
      leadRefusalShare: 0,
      reviewShare: 1,
      itemsRetryMs: 2_000,
      ...overrides,
      ...more,
    });
  return { clock, gateway, logger, client, window, driver: window() };
}

const byCase = (gateway: FakeGateway, caseId: string) => gateway.requests.filter((r) => r.path.startsWith(`/v1/cases/${caseId}/`)).map((r) => `${r.as} ${r.path.split('/').at(-1)} ${r.status}`);

describe('the window driver (live case traffic)', () => {
  it('given a gateway not up yet, when started, then it asks for the items until they come and submits a case every 60/rate seconds', async () => {
    const { clock, gateway, driver } = world();
    gateway.fail(/^\/v1\/items$/, 503, 2);
    driver.start();
    await runFor(clock, 60_000);
    await driver.stop();
    const items = gateway.requests.filter((r) => r.path === '/v1/items');
    expect(items.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(driver.items.map((i) => i.name).sort()).toEqual(['内地居民结婚登记', '失业保险金申领', '居民身份证换领', '户口迁移（准予迁入）'].sort());
    // Backoff 100 ms then 200 ms, then a submission every 10 s: at 0.3 s, 10.3 s, … 50.3 s.
    const submissions = gateway.requests.filter((r) => r.path === '/v1/cases');
    expect(submissions).toHaveLength(6);
    expect(submissions.every((r) => r.as === 'window' && r.status === 201)).toBe(true);
    expect(new Set(submissions.map((r) => JSON.stringify(r.body?.itemCode))).size).toBeGreaterThan(1);
    expect(driver.stats.submitted).toBe(6);
  });

  it('moves a case it submitted through intake, the lead\'s decision, fee, certificate, delivery and review', async () => {
    const { clock, gateway, driver } = world({ ratePerMinute: 1 });
    driver.start();
    await runFor(clock, 40_000);
    await driver.stop();
    const [first] = [...gateway.states.keys()];
    const state = gateway.states.get(first!)!;
    const item = catalogueItem(state.itemName);
    const lead = item.leadDepartment;
    const expected = [
      'window acceptance 200',
      `${lead} decision 200`,
      ...(item.fee ? ['window fee 200', 'window payment 200'] : []),
      ...(item.certificateType ? ['window certificate 200'] : []),
      'window delivery 200',
      'window review 200',
    ];
    expect(byCase(gateway, first!)).toEqual(expected);
    expect(state.status).toBe('reviewed');
    // Done with, so forgotten.
    expect(driver.follows(first!)).toBe(false);
    expect(driver.stats.completed).toBeGreaterThanOrEqual(1);
  });

  it('with the departments answering through their webhooks: a supplement suspends the case, the applicant brings the material, the department answers again', async () => {
    const { clock, gateway, logger, client, window: makeWindow } = world();
    const answerer = new CoApprovalAnswerer({
      gateway: client,
      random: mulberry32(1),
      logger,
      clock,
      config: { refuseShare: 0, supplementShare: 1, delay: { kind: 'fixed', ms: 2_000 } },
    });
    const window = makeWindow({ departments: ['tax'] satisfies DepartmentCode[], ratePerMinute: 12, onResumed: (caseId) => answerer.caseResumed(caseId) });
    gateway.onDelivery = (department, body) => answerer.receive(department, body);
    window.start();
    await runFor(clock, 90_000);
    await window.stop();
    await answerer.stop();
    // Tax alone co-approves 不动产转移登记; the items the lead decides alone qualify too.
    const names = new Set([...gateway.states.values()].map((state) => state.itemName));
    expect([...names].every((name) => ['不动产转移登记', '内地居民结婚登记', '失业保险金申领', '居民身份证换领', '户口迁移（准予迁入）'].includes(name))).toBe(true);
    const first = [...gateway.states.values()].find((state) => state.itemName === '不动产转移登记')?.caseId;
    expect(byCase(gateway, first!)).toEqual([
      'window acceptance 200',
      'tax answers 200', // supplement
      'window supplements 200',
      'tax answers 200', // grant, now that the material is in
      'land decision 200',
      'window fee 200',
      'window payment 200',
      'window certificate 200',
      'window delivery 200',
      'window review 200',
    ]);
    const answers = gateway.requests.filter((r) => r.path === `/v1/cases/${first}/answers`).map((r) => r.body?.answer);
    expect(answers).toEqual(['supplement', 'grant']);
    const supplementRequest = gateway.requests.find((r) => r.body?.answer === 'supplement');
    expect(supplementRequest?.body).toMatchObject({ materials: expect.arrayContaining([expect.any(String)]), reason: expect.stringContaining('补正') });
    // The applicant took the configured five seconds, give or take a poll.
    const times = gateway.states.get(first!)!.history.map((h) => [h.type, h.occurredAt.getTime() - START] as const);
    const suspended = times.find(([type]) => type === 'CaseSuspended')![1];
    const resumed = times.find(([type]) => type === 'CaseResumed')![1];
    expect(resumed - suspended).toBeGreaterThanOrEqual(5_000);
    expect(resumed - suspended).toBeLessThanOrEqual(6_500);
    expect(gateway.states.get(first!)?.status).toBe('reviewed');
  });

  it('given a step answered 503, then it is sent again after a backoff; given one refused 4xx, then it is logged and the case dropped, and the others go on', async () => {
    const { clock, gateway, logger, driver } = world({ ratePerMinute: 12 });
    gateway.fail(/\/acceptance$/, 503, 1);
    gateway.fail(/\/decision$/, 409, 1);
    driver.start();
    await runFor(clock, 60_000);
    await driver.stop();
    const [first, second] = [...gateway.states.keys()];
    expect(byCase(gateway, first!).slice(0, 3)).toEqual(['window acceptance 503', 'window acceptance 200', expect.stringMatching(/decision 409$/)]);
    expect(byCase(gateway, first!)).toHaveLength(3);
    expect(driver.follows(first!)).toBe(false);
    expect(gateway.states.get(first!)?.status).toBe('awaiting-decision');
    expect(logger.errors).toContainEqual(expect.objectContaining({ status: 409, detail: 'injected 409' }));
    expect(driver.stats).toMatchObject({ refusedSteps: 1 });
    expect(gateway.states.get(second!)?.status).toBe('reviewed');
  });

  it('keeps memory bounded: beyond maxTracked cases, the oldest is forgotten', async () => {
    // No answerer: co-approval never ends.
    const { clock, driver } = world({ departments: ['tax', 'ps', 'land', 'market', 'civil', 'hrss', 'housing'], ratePerMinute: 60, maxTracked: 5 });
    driver.start();
    await runFor(clock, 30_000);
    await driver.stop();
    expect(driver.stats.submitted).toBe(31); // at 0 s, 1 s, … 30 s
    expect(driver.tracked).toBeLessThanOrEqual(5);
    expect(driver.stats.forgotten).toBeGreaterThanOrEqual(20);
  });

  it('forgets a case that has not moved for staleMs (its co-approver is not answering)', async () => {
    const { clock, driver, logger, gateway } = world({ departments: ['tax', 'ps', 'land', 'market', 'civil', 'hrss', 'housing'], ratePerMinute: 1, staleMs: 20_000 });
    driver.start();
    await runFor(clock, 59_000);
    await driver.stop();
    const [first] = [...gateway.states.values()];
    if (first?.status === 'co-approval') {
      expect(driver.follows(first.caseId)).toBe(false);
      expect(logger.warnings).toContainEqual(expect.objectContaining({ caseId: first.caseId, status: 'co-approval' }));
    } else {
      // An item the lead decides alone: it went through to the end instead.
      expect(first?.status).toBe('reviewed');
    }
    expect(driver.tracked).toBe(0);
  });

  it('stops promptly while the gateway is down', async () => {
    const { clock, driver, gateway } = world();
    gateway.fail(/^\/v1\/items$/, 503, 1_000);
    driver.start();
    await runFor(clock, 5_000);
    await driver.stop();
    expect(driver.stats.submitted).toBe(0);
  });
});

describe('the window\'s next step (nextWindowStep)', () => {
  const transfer = catalogueItem('不动产转移登记');
  const shares = { intakeRefusalShare: 0, leadRefusalShare: 0, reviewShare: 1 };
  const never = () => 0.99;

  it.each([
    ['submitted', { type: 'accept' }],
    ['suspended', { type: 'bring-supplement' }],
    ['awaiting-decision', { type: 'decide', department: 'land', approved: true }],
    ['approved', { type: 'assess-fee' }],
    ['fee-assessed', { type: 'pay-fee' }],
    ['paid', { type: 'issue-certificate' }],
    ['certificate-issued', { type: 'deliver' }],
    ['refused', { type: 'deliver' }],
  ] as const)('when %s, then %o', (status, step) => {
    expect(nextWindowStep({ status }, transfer, never, shares)).toEqual({ kind: 'step', step });
  });

  it('waits during co-approval, forgets a case refused at intake or reviewed, reviews a delivered one', () => {
    expect(nextWindowStep({ status: 'co-approval' }, transfer, never, shares)).toEqual({ kind: 'wait' });
    expect(nextWindowStep({ status: 'refused-at-intake' }, transfer, never, shares)).toEqual({ kind: 'done' });
    expect(nextWindowStep({ status: 'reviewed' }, transfer, never, shares)).toEqual({ kind: 'done' });
    expect(nextWindowStep({ status: 'delivered' }, transfer, () => 0, shares)).toMatchObject({ kind: 'step', step: { type: 'review', grade: 5 } });
    expect(nextWindowStep({ status: 'delivered' }, transfer, never, { ...shares, reviewShare: 0.5 })).toEqual({ kind: 'done' });
  });

  it('after a co-approver refused, the lead can only refuse, giving the refusal as its reason', () => {
    const refusal = { department: 'tax', stage: 1, reason: '欠缴税款' };
    expect(nextWindowStep({ status: 'awaiting-decision', coApprovalRefusal: refusal }, transfer, never, shares)).toEqual({
      kind: 'step',
      step: { type: 'decide', department: 'land', approved: false, reason: '协办部门（tax）不同意：欠缴税款' },
    });
  });

  it('skips the fee of a free item and the certificate of an item without one', () => {
    const insurance = catalogueItem('社会保险登记（单位参保）');
    expect(nextWindowStep({ status: 'approved' }, insurance, never, shares)).toEqual({ kind: 'step', step: { type: 'deliver' } });
    const marriage = catalogueItem('内地居民结婚登记');
    expect(nextWindowStep({ status: 'approved' }, marriage, never, shares)).toEqual({ kind: 'step', step: { type: 'issue-certificate' } });
  });
});
