import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCalendar } from '@hub/calendar';
import { groundTruth, planHistory, type GroundTruth } from '@hub/simulators';
import { eventually, uniqueName } from '@hub/test-support';
import type { FastifyInstance } from 'fastify';
import { historyEvents, shippedCatalogue } from './support/history.ts';
import { startAnalytics, startTestHub, type TestHub } from './support/hub.ts';

/**
 * Months of cases from the simulators' history planner, decided by the
 * router's case aggregate, published to Kafka as the hub writes them; the
 * figures the API answers equal, figure by figure, the ground truth the
 * planner works out on its own from the plan and the calendar.
 */
const calendar = officialCalendar();
const run = uniqueName('truth').replace(/\W/g, '');
const centre = `ZWZX-${run}`;
const plan = planHistory({ from: '2026-03-02', to: '2026-05-29', seed: 7, perDay: 30, items: shippedCatalogue, calendar });
const { events, outcomes } = historyEvents(plan, calendar, { caseIdOf: (i) => `GW-${run}-${i}`, centreId: centre });
const truth: GroundTruth = groundTruth(plan, calendar, outcomes);

let hub: TestHub;
let app: FastifyInstance;

const get = async (path: string, query: Record<string, string>) => {
  const response = await app.inject({ method: 'GET', url: path, query });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { rows: Array<Record<string, unknown>> }).rows;
};
const withoutKeys = (row: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

beforeAll(async () => {
  expect(truth.sent.failures, 'the router refused a planned step').toBe(0);
  hub = await startTestHub();
  await hub.publish(events.map((event) => ({ ...event, metadata: { source: '/hub/router', correlationId: event.data.caseId } }) as never));
  ({ app } = await startAnalytics(hub));
  await eventually(async () => {
    const [row] = await app.store.query<{ n: number }>(`SELECT count() AS n FROM ${app.store.table('case_events')} FINAL WHERE startsWith(caseId, {prefix:String})`, { prefix: `GW-${run}-` });
    return row && Number(row.n) === events.length ? true : undefined;
  }, 120_000, `the ${events.length} case events to be projected`);
}, 240_000);

afterAll(async () => {
  await app?.close();
  await hub?.close();
});

describe('the case figures against the ground truth of a history run', () => {
  it(`overall (${plan.cases.length} cases, ${events.length} events)`, async () => {
    const [overall] = await get('/api/v1/figures/cases', { centre, from: plan.from, to: plan.to });
    expect(overall).toEqual(truth.overall);
    console.info(`ground truth: ${truth.overall.submitted} cases, on-time ${truth.overall.onTimeRate}, handling speed-up ${truth.overall.handlingSpeedUp}, promised ${truth.overall.promisedSpeedUp}, same-day ${truth.overall.sameDayRate}, satisfaction ${truth.overall.satisfaction}`);
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
