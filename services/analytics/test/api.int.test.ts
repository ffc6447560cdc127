import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCalendar } from '@hub/calendar';
import { createLogger, readToEnd, type HubEvent } from '@hub/runtime';
import { samples } from '@hub/schemas/samples';
import type { ExchangeMonitoring, SupervisionAlert } from '@hub/schemas';
import { eventually, uniqueName } from '@hub/test-support';
import type { FastifyInstance } from 'fastify';
import { caseScript, testItem } from '../src/cases/testing/script.ts';
import { startAnalytics, startTestHub, type TestHub } from './support/hub.ts';

/**
 * The figures API over real events on Kafka: supervision alerts, the
 * exchange matrix, throughput, the drill-down, the HTTP contract (filters,
 * CSV, /docs, /health, /metrics) and the dead letters of what cannot be read.
 */
const calendar = officialCalendar();
const run = uniqueName('api').replace(/\W/g, '');
const centre = `ZWZX-${run}`;
const item = testItem(`ITEM-${run}`, { stages: [{ departments: ['tax', 'ps'], dueDays: 2 }] });
const caseId = `GW-${run}-1`;
const caseEvents = caseScript({ caseId, item, calendar, centreId: centre, divisionCode: '450102001', submittedAt: '2026-03-02 09:00', steps: [
  { at: '2026-03-02 09:10', do: 'accept' }, { at: '2026-03-03 10:00', do: 'grant', by: 'tax' }, { at: '2026-03-06 10:00', do: 'grant', by: 'ps' }, { at: '2026-03-09 10:00', do: 'decide', approved: true },
] });
const alert = (level: SupervisionAlert['level'], department: string, at: string, n: number): SupervisionAlert => ({
  eventId: `${caseId}:alert:${level}:${n}`, occurredAt: new Date(at), level, caseId, requestId: null, responsibleDepartment: department, deadline: '2026-03-04', limitDays: 2, workingDaysUsed: 2, workingDaysRemaining: level === 'WARNING' ? 0 : -1,
});
const exchange = (n: number, requester: string, provider: string, latencyMs: number, succeeded: boolean, kind: ExchangeMonitoring['kind']): ExchangeMonitoring => ({
  ...samples.ExchangeMonitoring,
  eventId: `${run}:x:${n}`, exchangeId: `${run}:x:${n}`, kind, requester, provider, resourceCode: `ps.resident-identity-${run}`,
  occurredAt: new Date('2026-03-03T02:00:00Z'), requestInAt: new Date('2026-03-03T02:00:00Z'), responseOutAt: new Date(Date.parse('2026-03-03T02:00:00Z') + latencyMs),
  requestSize: 100, responseSize: 400, succeeded, faultCode: succeeded ? null : 'no-agreement', faultString: null,
});
const exchanges = [exchange(1, 'tax', 'ps', 10, true, 'DELIVERY'), exchange(2, 'tax', 'ps', 30, true, 'ANSWER'), exchange(3, 'tax', 'ps', 20, false, 'REFUSAL'), exchange(4, 'ps', 'ps', 5, true, 'DELIVERY')];

let hub: TestHub;
let app: FastifyInstance;
const meta = { source: '/hub/router', correlationId: caseId };

beforeAll(async () => {
  hub = await startTestHub();
  const events: HubEvent[] = [
    ...caseEvents.map((event) => ({ ...event, metadata: meta }) as HubEvent),
    { type: 'SupervisionAlert', data: alert('WARNING', 'ps', '2026-03-05T01:00:00Z', 1), metadata: meta },
    { type: 'SupervisionAlert', data: alert('OVERDUE', 'ps', '2026-03-06T01:00:00Z', 2), metadata: meta },
    // The same alert again (a producer retry): counts once.
    { type: 'SupervisionAlert', data: alert('OVERDUE', 'ps', '2026-03-06T01:00:00Z', 2), metadata: meta },
    ...exchanges.map((data) => ({ type: 'ExchangeMonitoring', data, metadata: { source: '/hub/router' } }) as HubEvent),
    { type: 'ResidentIdentity', data: { ...samples.ResidentIdentity, eventId: `${run}:resident` }, metadata: { source: '/connectors/ps' } },
  ];
  await hub.publish(events);
  // Not a hub event: no CloudEvents headers (on a topic that the other suites on the shared broker read leniently).
  const producer = hub.kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'exchange.responses', messages: [{ key: run, value: `garbage of ${run}` }] });
  await producer.disconnect();
  ({ app } = await startAnalytics(hub));
  await eventually(async () => {
    const [row] = await app.store.query<{ n: number }>(`SELECT count() AS n FROM ${app.store.table('exchanges')} FINAL WHERE startsWith(eventId, {run:String})`, { run });
    const [cases] = await app.store.query<{ n: number }>(`SELECT count() AS n FROM ${app.store.table('cases')} FINAL WHERE caseId = {caseId:String} AND decidedOn IS NOT NULL`, { caseId });
    return Number(row?.n) === exchanges.length && Number(cases?.n) === 1 ? true : undefined;
  }, 120_000, 'the events to be projected');
}, 240_000);

afterAll(async () => {
  await app?.close();
  await hub?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const rows = async (url: string) => {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { rows: Array<Record<string, unknown>> }).rows;
};

describe('supervision', () => {
  it('counts warnings and overdue by responsible department, each alert once', async () => {
    expect(await rows(`/api/v1/figures/supervision?item=${item.code}&groupBy=department`)).toEqual([{ department: 'ps', alerts: 2, warnings: 1, overdue: 1, legalLimitBreaches: 0, cases: 1, requests: 0 }]);
    expect(await rows(`/api/v1/figures/supervision?item=${item.code}&from=2026-03-06`)).toEqual([{ alerts: 1, warnings: 0, overdue: 1, legalLimitBreaches: 0, cases: 1, requests: 0 }]);
  });
});

describe('the exchange matrix', () => {
  it('gives each cell its count, bytes, latency percentiles, failures and refusals, horizontal or vertical', async () => {
    const cells = (await rows('/api/v1/figures/exchange-matrix?department=tax')).filter((r) => r.resource === `ps.resident-identity-${run}`);
    expect(cells).toEqual([{ fromDepartment: 'ps', toDepartment: 'tax', resource: `ps.resident-identity-${run}`, direction: 'horizontal', exchanges: 3, bytes: 1500, latencyP50Ms: 20, latencyP95Ms: 30, failures: 1, refusals: 1 }]);
    const own = (await rows('/api/v1/figures/exchange-matrix?department=ps&from=2026-03-03&to=2026-03-03')).filter((r) => r.resource === `ps.resident-identity-${run}` && r.toDepartment === 'ps');
    expect(own).toEqual([expect.objectContaining({ direction: 'vertical', exchanges: 1 })]);
  });

  it('refuses a filter it has no column for, naming it', async () => {
    const response = await get('/api/v1/figures/exchange-matrix?item=X');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AN_BAD_FILTER', detail: expect.stringContaining('filter item') });
  });
});

describe('co-approval', () => {
  it('gives the item\'s slowest department', async () => {
    expect(await rows(`/api/v1/figures/co-approval?item=${item.code}&groupBy=item`)).toEqual([
      { item: item.code, itemName: item.name, tasks: 2, answered: 2, cancelled: 0, open: 0, overdue: 1, medianWorkingDays: 2.5, p95WorkingDays: 4, slowestDepartment: 'ps', slowestMedianWorkingDays: 4 },
    ]);
  });
});

describe('throughput', () => {
  it('counts the events per topic by when the hub wrote them, live and by day', async () => {
    const live = await rows('/api/v1/figures/throughput?seconds=3600');
    const ps = live.find((r) => r.topic === 'records.ps.resident-identity');
    expect(ps).toBeDefined();
    expect(Number(ps!.events)).toBeGreaterThanOrEqual(1);
    expect(ps!.eventsPerSecond).toBeCloseTo(Number(ps!.events) / 3600, 3);
    const perMinute = await rows('/api/v1/figures/throughput?seconds=3600&groupBy=minute&department=ps');
    expect(perMinute.every((r) => r.topic === 'records.ps.resident-identity' || r.topic === 'deliveries.ps')).toBe(true);
    expect(String(perMinute[0]?.at)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
  });
});

describe('the HTTP contract', () => {
  it('answers CSV with Accept: text/csv', async () => {
    const response = await get(`/api/v1/figures/cases?item=${item.code}&groupBy=division&division=450102`, { accept: 'text/csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const [header, line] = response.body.split('\r\n');
    expect(header).toBe('division,level,submitted,accepted,refusedAtIntake,completed,inProgress,onTime,onTimeRate,handlingSpeedUp,promisedSpeedUp,sameDay,sameDayRate,reviews,satisfied,satisfaction');
    // Accepted Monday 2 March, decided Monday 9 March: 5 working days of 20, on the promised due date.
    expect(line).toBe('450102001,town,1,1,0,1,0,1,1,0.75,0.75,0,0,0,0,');
  });

  it('groups by the level of the centre\'s division, and rolls a division up by its prefix', async () => {
    expect(await rows(`/api/v1/figures/cases?item=${item.code}&groupBy=level`)).toEqual([expect.objectContaining({ level: 'town', submitted: 1 })]);
    expect(await rows(`/api/v1/figures/cases?item=${item.code}&division=450100&groupBy=division`)).toEqual([expect.objectContaining({ division: '450102', level: 'county', completed: 1 })]);
    expect(await rows(`/api/v1/figures/cases?item=${item.code}&division=450103`)).toEqual([expect.objectContaining({ submitted: 0 })]);
  });

  it.each([
    ['from=2026-3-1', 'querystring.from'],
    ['groupBy=week', 'querystring.groupBy'],
    ['division=45010', 'querystring.division'],
    ['colour=red', 'querystring'],
  ])('refuses %s with a 400 naming the filter', async (query, field) => {
    const response = await get(`/api/v1/figures/cases?${query}`);
    expect(response.statusCode).toBe(400);
    const problem = response.json() as { code: string; errors: Array<{ field: string }> };
    expect(problem.code).toBe('VALIDATION');
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it.each([
    ['from=2026-02-30', 'filter from'],
    ['from=2026-03-05&to=2026-03-01', 'filter to'],
  ])('refuses %s, a date that does not exist or a period backwards, naming it', async (query, detail) => {
    const response = await get(`/api/v1/figures/cases?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AN_BAD_FILTER', detail: expect.stringContaining(detail) });
  });

  it('answers one row of zeros for an empty selection, and 404 for a case it has not seen', async () => {
    expect(await rows('/api/v1/figures/cases?centre=nowhere')).toEqual([expect.objectContaining({ submitted: 0, onTimeRate: null })]);
    expect((await get('/api/v1/cases/GW-nobody/events')).statusCode).toBe(404);
  });

  it('documents every route at /docs, and answers /health and /metrics', async () => {
    const spec = (await get('/docs/json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/figures/cases', '/api/v1/figures/co-approval', '/api/v1/figures/supervision', '/api/v1/figures/exchange-matrix', '/api/v1/figures/throughput', '/api/v1/cases/{caseId}/events']));
    const health = await get('/health');
    expect(health.json()).toMatchObject({ status: 'ok', checks: { clickhouse: 'ok', projection: 'ok' } });
    expect((await get('/metrics')).body).toContain('analytics_events_projected_total');
  });
});

describe('what cannot be read', () => {
  it('goes to dlq.analytics with its reason, and the rest is projected', async () => {
    const logger = createLogger('analytics-test', 'warn');
    const letter = await eventually(async () => {
      const records = await readToEnd(hub.kafka, 'dlq.analytics', { logger });
      const found = records.find((r) => r.key?.toString() === run);
      return found ? (JSON.parse(String(found.value)) as Record<string, unknown>) : undefined;
    }, 60_000, 'the dead letter');
    expect(letter).toMatchObject({ component: 'analytics', reason: 'not-a-cloud-event', source: { topic: 'exchange.responses', key: run }, originalBytes: `garbage of ${run}`.length, originalTruncated: false });
    expect(Buffer.from(String(letter.originalValueBase64), 'base64').toString()).toBe(`garbage of ${run}`);
  });
});
