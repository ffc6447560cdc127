import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCalendar } from '@hub/calendar';
import type { HubEvent } from '@hub/runtime';
import type { ExchangeMonitoring } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { groundTruth, planHistory } from '@hub/simulators';
import { eventually, freePort, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';
import { chdbDataDir } from '../src/store/plugin.ts';
import { openStore } from '../src/store/store.ts';
import { historyEvents, shippedCatalogue } from './support/history.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { startAnalyticsProcess } from './support/process.ts';

/**
 * kill -9 of the analytics service while it projects a history that is still
 * being published; restarted on the same data folder and consumer group, it
 * reads again what it had inserted but not committed. At the end the store
 * holds every event published, none counted twice, and the figures are the
 * ground truth's.
 */
const calendar = officialCalendar();
const run = uniqueName('crash').replace(/\W/g, '');
const centre = `ZWZX-${run}`;
const prefix = `GW-${run}-`;
const plan = planHistory({ from: '2026-01-05', to: '2026-04-30', seed: 11, perDay: 100, items: shippedCatalogue, calendar });
const { events, outcomes } = historyEvents(plan, calendar, { caseIdOf: (i) => `${prefix}${i}`, centreId: centre });
const truth = groundTruth(plan, calendar, outcomes);
const resourceCode = `ps.resident-identity-${run}`;
const monitoringEvent = (n: number): HubEvent => {
  const at = Date.parse('2026-01-05T02:00:00Z') + (n % 100) * 86_400_000;
  const data: ExchangeMonitoring = {
    ...samples.ExchangeMonitoring, eventId: `${run}:x:${n}`, exchangeId: `${run}:x:${n}`, kind: 'DELIVERY', requester: 'tax', provider: 'ps', resourceCode,
    occurredAt: new Date(at), requestInAt: new Date(at), responseOutAt: new Date(at + (n % 97)), requestSize: 100, responseSize: 400, succeeded: true, faultCode: null, faultString: null,
  };
  return { type: 'ExchangeMonitoring', data, metadata: { source: '/hub/router' } } as HubEvent;
};
// An exchange monitoring record after every 17th case event, so that the crash also falls among them: each counted once too.
const hubEvents = events.flatMap((event, i) => {
  const caseEvent = { ...event, metadata: { source: '/hub/router', correlationId: event.data.caseId } } as HubEvent;
  return i % 17 === 0 ? [caseEvent, monitoringEvent(i / 17)] : [caseEvent];
});
const published = hubEvents.filter((event) => event.type === 'ExchangeMonitoring');

let hub: TestHub;
let service: ServiceProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'hub-analytics-crash-'));
let env: Record<string, string>;

beforeAll(async () => {
  hub = await startTestHub();
  env = {
    KAFKA_BROKERS: testBrokers(),
    SCHEMA_REGISTRY_URL: hub.registryUrl,
    HUB_DATA_DIR: dataDir,
    ANALYTICS_GROUP_ID: uniqueName('analytics-crash'),
    ANALYTICS_SESSION_TIMEOUT_MS: '6000',
    ANALYTICS_BATCH_ROWS: '5000',
    LOG_LEVEL: 'info',
  };
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await hub?.close();
});

const projected = async (url: string): Promise<number> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^analytics_events_projected_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
};

describe('kill -9 of the analytics service under load', () => {
  it(`projects every event once after a crash mid-load (${plan.cases.length} cases, ${events.length} case events, ${published.length} exchanges)`, async () => {
    const port = await freePort();
    service = await startAnalyticsProcess(env, port);
    const half = Math.floor(hubEvents.length / 2);
    await hub.publish(hubEvents.slice(0, half));
    // Killed while it works through what was published: some of it flushed, the rest not yet.
    const first = service;
    const before = await eventually(async () => {
      const n = await projected(first.url);
      return n > 5_000 ? n : undefined;
    }, 120_000, 'the first flushes');
    const publishing = hub.publish(hubEvents.slice(half));
    await first.killHard();
    console.info(`kill -9 after ${before} events projected (of ${half} published so far)`);
    service = await startAnalyticsProcess(env, port);
    await publishing;

    const second = service;
    await eventually(async () => {
      // The exchanges are on a topic of their own, read alongside: every one of them in the matrix, once.
    await eventually(async () => {
      const matrix = await fetch(`${second.url}/api/v1/figures/exchange-matrix?department=ps`);
      const cell = ((await matrix.json()) as { rows: Array<{ resource: string; exchanges: number }> }).rows.find((row) => row.resource === resourceCode);
      return cell?.exchanges === published.length ? true : undefined;
    }, 120_000, 'every exchange to be projected');
    const response = await fetch(`${second.url}/api/v1/figures/cases?centre=${centre}`);
      const [overall] = ((await response.json()) as { rows: Array<{ submitted: number; completed: number; reviews: number }> }).rows;
      return overall && overall.submitted === truth.overall.submitted && overall.completed === truth.overall.completed && overall.reviews === truth.overall.reviews ? true : undefined;
    }, 240_000, 'every case to be projected');
    const response = await fetch(`${second.url}/api/v1/figures/cases?centre=${centre}`);
    expect(((await response.json()) as { rows: unknown[] }).rows).toEqual([truth.overall]);
    const coApproval = await fetch(`${second.url}/api/v1/figures/co-approval?centre=${centre}&to=${plan.to}&groupBy=department`);
    const rows = ((await coApproval.json()) as { rows: Array<Record<string, unknown>> }).rows;
    expect(Object.fromEntries(rows.map(({ department, slowestDepartment: _s, slowestMedianWorkingDays: _m, ...figures }) => [department, figures]))).toEqual(truth.coApprovers);
    expect(await second.stop()).toBe(0);
    service = undefined;

    // The store itself, read once the service is gone (chDB binds one process to its folder).
    const store = await openStore({ dataDir: chdbDataDir(dataDir), database: 'hub' });
    try {
      const [counts] = await store.query<{ raw: number; distinct: number; final: number }>(
        `SELECT (SELECT count() FROM ${store.table('events')} WHERE startsWith(key, {prefix:String})) AS raw,
                (SELECT uniqExact(eventId) FROM ${store.table('events')} WHERE startsWith(key, {prefix:String})) AS distinct,
                (SELECT count() FROM ${store.table('events')} FINAL WHERE startsWith(key, {prefix:String})) AS final`,
        { prefix },
      );
      const [caseEvents] = await store.query<{ n: number }>(`SELECT count() AS n FROM ${store.table('case_events')} FINAL WHERE startsWith(caseId, {prefix:String})`, { prefix });
      const [cases] = await store.query<{ n: number }>(`SELECT count() AS n FROM ${store.table('cases')} FINAL WHERE startsWith(caseId, {prefix:String})`, { prefix });
      console.info(`after the crash: ${counts!.raw} event rows inserted for ${counts!.distinct} events (${counts!.raw - counts!.distinct} inserted again and counted once)`);
      expect(counts).toMatchObject({ distinct: events.length, final: events.length });
      expect(Number(caseEvents!.n)).toBe(events.length);
      expect(Number(cases!.n)).toBe(plan.cases.length);
      const [exchanges] = await store.query<{ n: number; ids: number }>(
        `SELECT count() AS n, uniqExact(eventId) AS ids FROM ${store.table('exchanges')} FINAL WHERE resourceCode = {resourceCode:String}`,
        { resourceCode },
      );
      expect(exchanges).toEqual({ n: published.length, ids: published.length });
    } finally {
      await store.close();
    }
  }, 600_000);
});
