import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCalendar } from '@hub/calendar';
import { groundTruth, historyProfiles, planHistory, type HistoryProfileName } from '@hub/simulators';
import { eventually, uniqueName } from '@hub/test-support';
import type { FastifyInstance } from 'fastify';
import { historyEvents, shippedCatalogue } from './support/history.ts';
import { startAnalytics, startTestHub, type TestHub } from './support/hub.ts';

/**
 * Months of cases from the simulators' history planner, decided by the
 * router's case aggregate, published to Kafka as the hub writes them; the
 * figures the API answers equal, figure by figure, the ground truth the
 * planner works out on its own from the plan and the calendar. Two runs at two
 * centres: the `varied` profile (every kind of case often) and the `guangxi`
 * one (the region's reported figures).
 */
const calendar = officialCalendar();
const runs = (['varied', 'guangxi'] as const satisfies readonly HistoryProfileName[]).map((profile) => {
  const run = uniqueName(`truth-${profile}`).replace(/\W/g, '');
  const centre = `ZWZX-${run}`;
  const plan = planHistory({ from: '2026-03-02', to: '2026-05-29', seed: 7, perDay: 30, items: shippedCatalogue, calendar, profile: historyProfiles[profile] });
  const { events, outcomes } = historyEvents(plan, calendar, { caseIdOf: (i) => `GW-${run}-${i}`, centreId: centre });
  return { profile, run, centre, plan, events, truth: groundTruth(plan, calendar, outcomes) };
});

let hub: TestHub;
let app: FastifyInstance;

const get = async (path: string, query: Record<string, string>) => {
  const response = await app.inject({ method: 'GET', url: path, query });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { rows: Array<Record<string, unknown>> }).rows;
};
const withoutKeys = (row: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

beforeAll(async () => {
  for (const { profile, truth } of runs) expect(truth.sent.failures, `the router refused a planned step of the ${profile} run`).toBe(0);
  hub = await startTestHub();
  const events = runs.flatMap((r) => r.events);
  await hub.publish(events.map((event) => ({ ...event, metadata: { source: '/hub/router', correlationId: event.data.caseId } }) as never));
  ({ app } = await startAnalytics(hub));
  for (const { run, events: expected } of runs) {
    await eventually(async () => {
      const [row] = await app.store.query<{ n: number }>(`SELECT count() AS n FROM ${app.store.table('case_events')} FINAL WHERE startsWith(caseId, {prefix:String})`, { prefix: `GW-${run}-` });
      return row && Number(row.n) === expected.length ? true : undefined;
    }, 120_000, `the ${expected.length} case events of ${run} to be projected`);
  }
}, 240_000);

afterAll(async () => {
  await app?.close();
  await hub?.close();
});

describe.each(runs)('the $profile run', ({ centre, plan, events, truth }) => {
  describe('the case figures against the ground truth of a history run', () => {
    it(`overall (${plan.cases.length} cases, ${events.length} events)`, async () => {
      const [overall] = await get('/api/v1/figures/cases', { centre, from: plan.from, to: plan.to });
      expect(overall).toEqual(truth.overall);
      console.info(`ground truth (${centre}): ${truth.overall.submitted} cases, on-time ${truth.overall.onTimeRate}, handling speed-up ${truth.overall.handlingSpeedUp}, promised ${truth.overall.promisedSpeedUp}, same-day ${truth.overall.sameDayRate}, satisfaction ${truth.overall.satisfaction}`);
    });

    it('by item', async () => {
      const rows = await get('/api/v1/figures/cases', { centre, groupBy: 'item' });
      expect(Object.fromEntries(rows.map((r) => [r.item, { name: r.itemName, ...withoutKeys(r, 'item', 'itemName') }]))).toEqual(truth.byItem);
    });

    it('by lead department', async () => {
      const rows = await get('/api/v1/figures/cases', { centre, groupBy: 'department' });
      expect(Object.fromEntries(rows.map((r) => [r.department, withoutKeys(r, 'department')]))).toEqual(truth.byLeadDepartment);
    });

    it('by day (of acceptance, or of refusal at intake)', async () => {
      const rows = await get('/api/v1/figures/cases', { centre, groupBy: 'day' });
      expect(Object.fromEntries(rows.map((r) => [r.day, withoutKeys(r, 'day')]))).toEqual(truth.byDay);
    });

    it('by month and by division add up to the whole', async () => {
      const months = await get('/api/v1/figures/cases', { centre, groupBy: 'month' });
      expect(months.map((r) => r.month)).toEqual(['2026-03', '2026-04', '2026-05']);
      expect(months.reduce((n, r) => n + Number(r.submitted), 0)).toBe(truth.overall.submitted);
      const counties = await get('/api/v1/figures/cases', { centre, division: '45', groupBy: 'division' });
      expect(counties.every((r) => r.level === 'city')).toBe(true);
      expect(counties.reduce((n, r) => n + Number(r.completed), 0)).toBe(truth.overall.completed);
    });
  });

  describe('the co-approval figures against the ground truth', () => {
    it('by co-approving department, overdue as of the last day of the run', async () => {
      const rows = await get('/api/v1/figures/co-approval', { centre, to: plan.to, groupBy: 'department' });
      expect(Object.fromEntries(rows.map((r) => [r.department, withoutKeys(r, 'department', 'slowestDepartment', 'slowestMedianWorkingDays')]))).toEqual(truth.coApprovers);
    });

    it('names the slowest department of each item', async () => {
      const rows = await get('/api/v1/figures/co-approval', { centre, to: plan.to, groupBy: 'item' });
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) if (row.answered !== 0) expect(row.slowestDepartment).toMatch(/^[a-z]+$/);
    });
  });

  describe('the drill-down', () => {
    it('gives a case\'s events in order and its facts as the truth has them', async () => {
      const sample = truth.cases.find((c) => c.status === 'reviewed' && c.workingDaysUsed !== null)!;
      const response = await app.inject({ method: 'GET', url: `/api/v1/cases/${sample.caseId}/events` });
      expect(response.statusCode).toBe(200);
      const body = response.json() as { case: Record<string, unknown>; rows: Array<{ version: number; type: string }> };
      expect(body.rows.map((e) => e.version)).toEqual(body.rows.map((_, i) => i + 1));
      expect(body.rows[0]!.type).toBe('CaseSubmitted');
      expect(body.case).toMatchObject({ status: sample.status, acceptedOn: sample.acceptedOn, decidedOn: sample.decidedOn, promisedDueDate: sample.promisedDueDate, legalDueDate: sample.legalDueDate, workingDaysUsed: sample.workingDaysUsed, onTime: sample.onTime ? 1 : 0 });
    });
  });
});

describe('the guangxi run', () => {
  it('reads as the Guangxi region\'s report: on-time 99.7%, speed-up 82.8%, satisfaction 99.9%', async () => {
    const [overall] = await get('/api/v1/figures/cases', { centre: runs.find((r) => r.profile === 'guangxi')!.centre });
    expect(Math.abs(Number(overall!.onTimeRate) - 0.997)).toBeLessThan(0.002);
    expect(Math.abs(Number(overall!.handlingSpeedUp) - 0.828)).toBeLessThan(0.01);
    expect(Math.abs(Number(overall!.satisfaction) - 0.999)).toBeLessThan(0.001);
  });
});
