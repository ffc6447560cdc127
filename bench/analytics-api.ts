// `npm run bench -- analytics`, the API part: BENCH_API_EVENTS (10,000,000)
// events inserted straight into the store's tables (`INSERT … SELECT … FROM
// numbers(…)`, no Kafka): cases over 2026 in 40 items, 12 departments and 60
// centres across a province's cities, counties, towns and villages, their
// case events (about eight a case), co-approval tasks, supervision alerts,
// exchange monitoring, and shared records and deliveries to make up the
// total; a fifth of the cases inserted a second time at an older version, in
// another part, as a projection writes a case again and again. Then p50/p95
// of each figures endpoint with a few filters and groupings, through the
// fastify app (`inject`), beside `SELECT count()` of the table each reads.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../services/analytics/src/app.ts';
import { loadAnalyticsConfig } from '../services/analytics/src/config.ts';
import { monthlyTables } from '../services/analytics/src/store/schema.ts';
import { openStore, type AnalyticsStore } from '../services/analytics/src/store/store.ts';
import type { Figure } from './report.ts';

const DEPARTMENTS = ['tax', 'ps', 'land', 'market', 'civil', 'hrss', 'housing', 'health', 'education', 'transport', 'water', 'agri'];
const deptArray = `[${DEPARTMENTS.map((d) => `'${d}'`).join(',')}]`;
const ITEMS = 40;
const CENTRES = 60;
/** The clock the app is given: the end of the history, so "the last 60 s" holds events. */
const NOW = new Date('2026-12-31T08:00:00Z');

/** Per-case columns, all a function of the case number `k` (so that tasks and alerts agree with their case). */
function caseExpressions(k: string, cases: number, versionShift = 0) {
  const h = (salt: number) => `cityHash64(${k}, ${salt})`;
  const centre = `(${h(2)} % ${CENTRES})`;
  const level = `(${centre} % 5)`;
  const city = `concat('45', leftPad(toString(${centre} % 14 + 1), 2, '0'))`;
  const county = `concat(${city}, leftPad(toString(${centre} % 7 + 2), 2, '0'))`;
  const town = `concat(${county}, leftPad(toString(${centre} % 9 + 1), 3, '0'))`;
  const village = `concat(${town}, leftPad(toString(${centre} % 11 + 1), 3, '0'))`;
  const refused = `(${h(3)} % 50 = 0)`;
  const decided = `(NOT ${refused} AND ${h(3)} % 10 < 8)`;
  const day = `toDate('2026-01-01') + toUInt32(intDiv(${k} * 364, ${cases}))`;
  const used = `toUInt16(${h(4)} % 9)`;
  const promised = `toUInt16(3 + ${h(1)} % ${ITEMS} % 5)`;
  const item = `(${h(1)} % ${ITEMS})`;
  return {
    caseId: `concat('GW-API-', toString(${k}))`,
    version: `toUInt32(8 - ${versionShift})`,
    itemCode: `concat('ITEM-', leftPad(toString(${item}), 3, '0'))`,
    itemName: `concat('事项 ', toString(${item}))`,
    centreId: `concat('ZWZX-', toString(${centre}))`,
    divisionCode: `multiIf(${level} = 0, ${city} || '00', ${level} = 3, ${village}, ${level} = 2, ${town}, ${county})`,
    province: `'45'`,
    city,
    county: `if(${level} = 0, '', ${county})`,
    town: `if(${level} IN (2, 3), ${town}, '')`,
    village: `if(${level} = 3, ${village}, '')`,
    divisionLevel: `multiIf(${level} = 0, 'city', ${level} = 3, 'village', ${level} = 2, 'town', 'county')`,
    leadDepartment: `${deptArray}[${item} % ${DEPARTMENTS.length} + 1]`,
    status: `multiIf(${refused}, 'refused-at-intake', ${decided}, 'completed', 'in-progress')`,
    submittedAt: `toDateTime64(${day}, 3, 'UTC') + toIntervalHour(1)`,
    day,
    acceptedOn: `if(${refused}, NULL, ${day})`,
    refusedAtIntake: `toUInt8(${refused})`,
    promisedDays: `if(${refused}, NULL, ${promised})`,
    legalDays: `if(${refused}, NULL, toUInt16(20))`,
    promisedDueDate: `if(${refused}, NULL, ${day} + ${promised})`,
    legalDueDate: `if(${refused}, NULL, ${day} + 28)`,
    decidedOn: `if(${decided}, ${day} + ${used}, NULL)`,
    approved: `if(${decided}, toUInt8(${h(5)} % 20 != 0), NULL)`,
    workingDaysUsed: `if(${decided}, ${used}, NULL)`,
    onTime: `if(${decided}, toUInt8(${used} <= ${promised}), NULL)`,
    sameDay: `if(${decided}, toUInt8(${used} = 0), NULL)`,
    grade: `if(${decided} AND ${h(6)} % 3 = 0, toUInt8(1 + ${h(6)} % 5), NULL)`,
    suspendedSince: `if(NOT ${decided} AND ${h(7)} % 10 = 0, ${day} + 1, NULL)`,
    lastEventAt: `toDateTime64(${day} + ${used}, 3, 'UTC') + toIntervalHour(2)`,
  };
}

export interface ApiBenchResult {
  figures: Record<string, Figure>;
  ratios: Record<string, number>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

export async function apiBench(options: { dataDir: string; events: number; say(line: string): void }): Promise<ApiBenchResult> {
  const { dataDir, events, say } = options;
  const iterations = Number(process.env.BENCH_API_ITERATIONS ?? 20);
  const figures: Record<string, Figure> = {};
  const ratios: Record<string, number> = {};
  const database = 'bench_api';
  const cases = Math.round(events / 20);
  const tasks = Math.round(cases * 1.5);
  const alerts = Math.round(cases * 0.2);
  const exchanges = Math.round(events * 0.15);
  const caseEvents = cases * 8;
  const others = Math.max(0, events - caseEvents - alerts - exchanges);
  say(`▶ API: ${events.toLocaleString()} events inserted straight into the tables (${cases.toLocaleString()} cases, ${caseEvents.toLocaleString()} case events, ${tasks.toLocaleString()} tasks, ${alerts.toLocaleString()} alerts, ${exchanges.toLocaleString()} exchanges, ${others.toLocaleString()} records and deliveries)`);

  let store: AnalyticsStore | undefined;
  let app: FastifyInstance | undefined;
  try {
    const dropping = await openStore({ dataDir, database, migrations: [] });
    await dropping.command(`DROP DATABASE IF EXISTS \`${database}\` SYNC`);
    await dropping.close();
    store = await openStore({ dataDir, database });
    const t = (name: string) => store!.table(name);
    const started = Date.now();
    const insertCases = async (count: number, versionShift: number, every: number) => {
      const columns = caseExpressions(`(number * ${every})`, cases, versionShift);
      await store!.command(`INSERT INTO ${t('cases')} (${Object.keys(columns).join(', ')}) SELECT ${Object.entries(columns).map(([name, sql]) => `${sql} AS ${name}`).join(', ')} FROM numbers(${count})`);
    };
    await insertCases(Math.floor(cases / 5), 2, 5);
    await insertCases(cases, 0, 1);
    // Tasks: case k = n mod cases, a department of its own per round (unique (caseId, department, stage)).
    {
      const c = caseExpressions('k', cases);
      const dept = `${deptArray}[(k + intDiv(number, ${cases}) * 5) % ${DEPARTMENTS.length} + 1]`;
      const answered = `(cityHash64(number, 9) % 10 < 8 AND ${c.status} != 'refused-at-intake')`;
      const workingDays = `toUInt16(cityHash64(number, 10) % 12)`;
      const columns: Record<string, string> = {
        caseId: c.caseId, department: dept, stage: 'toUInt8(1)', version: c.version, itemCode: c.itemCode, itemName: c.itemName, leadDepartment: c.leadDepartment,
        centreId: c.centreId, divisionCode: c.divisionCode, province: c.province, city: c.city, county: c.county, town: c.town, village: c.village, divisionLevel: c.divisionLevel,
        day: c.day, requestedOn: c.day, dueDays: 'toUInt16(5)', dueDate: `${c.day} + 7`,
        answeredOn: `if(${answered}, ${c.day} + ${workingDays}, NULL)`,
        status: `if(${answered}, if(cityHash64(number, 11) % 10 = 0, 'refused', 'granted'), if(cityHash64(number, 11) % 5 = 0, 'cancelled', 'open'))`,
        workingDays: `if(${answered}, ${workingDays}, NULL)`,
      };
      await store.command(`INSERT INTO ${t('coapproval_tasks')} (${Object.keys(columns).join(', ')}) SELECT ${Object.entries(columns).map(([name, sql]) => `${sql} AS ${name}`).join(', ')} FROM (SELECT number, number % ${cases} AS k FROM numbers(${tasks}))`);
    }
    await store.command(`INSERT INTO ${t('items')} SELECT concat('ITEM-', leftPad(toString(number), 3, '0')), toUInt32(1), concat('事项 ', toString(number)), ${deptArray}[number % ${DEPARTMENTS.length} + 1], 20, 3 + number % 5 FROM numbers(${ITEMS})`);
    {
      const c = caseExpressions('k', cases);
      await store.command(`INSERT INTO ${t('alerts')} SELECT concat(${c.caseId}, ':alert:', toString(number)) AS eventId, toDateTime64(${c.day} + 3, 3, 'UTC') AS occurredAt, ${c.day} + 3 AS day,
        ['WARNING', 'OVERDUE', 'LEGAL_LIMIT_BREACHED'][number % 3 + 1] AS level, if(number % 10 = 0, NULL, ${c.caseId}) AS caseId, if(number % 10 = 0, concat('DR-', toString(number)), NULL) AS requestId,
        ${deptArray}[number % ${DEPARTMENTS.length} + 1] AS responsibleDepartment, ${c.day} + 5 AS deadline, 5, 4, 1
        FROM (SELECT number, (number * 5) % ${cases} AS k FROM numbers(${alerts}))`);
    }
    await store.command(`INSERT INTO ${t('exchanges')} SELECT concat('bench-exchange-', toString(number)) AS eventId, toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + toIntervalSecond(intDiv(number * 31449600, ${exchanges})) AS occurredAt,
      toDate(occurredAt, 'Asia/Shanghai') AS day, ['DELIVERY', 'ANSWER', 'REFUSAL'][number % 3 + 1] AS kind,
      ${deptArray}[number % ${DEPARTMENTS.length} + 1] AS requester, ${deptArray}[(number * 7 + 3) % ${DEPARTMENTS.length} + 1] AS provider, concat('res.', toString(cityHash64(number, 12) % 30)) AS resourceCode,
      concat('AG-', toString(number % 200)) AS agreementId, NULL AS requestId, occurredAt AS requestInAt, occurredAt + toIntervalMillisecond(5 + cityHash64(number, 13) % 400) AS responseOutAt,
      toUInt32(5 + cityHash64(number, 13) % 400) AS latencyMs, 200, 1200, toUInt8(number % 50 != 0), if(number % 50 = 0, 'timeout', NULL) FROM numbers(${exchanges})`);
    {
      const c = caseExpressions('intDiv(number, 8)', cases);
      await store.command(`INSERT INTO ${t('case_events')} SELECT ${c.caseId} AS caseId, toUInt32(number % 8 + 1) AS version, concat(caseId, ':', toString(version)) AS eventId,
        ['CaseSubmitted', 'CaseAccepted', 'CoApprovalRequested', 'CoApprovalGranted', 'CaseDecided', 'FeeAssessed', 'CaseDelivered', 'CaseReviewed'][number % 8 + 1] AS type,
        ${c.submittedAt} + toIntervalHour(number % 8) AS occurredAt, '/hub/router', concat('{"caseId":"', caseId, '","eventId":"', eventId, '"}') FROM numbers(${caseEvents})`);
    }
    // Every event's row: case events, alerts and exchanges as above, records and deliveries the rest; loggedAt over 2026 up to NOW.
    const span = Math.floor((NOW.getTime() - Date.parse('2026-01-01T00:00:00Z')) / 1000);
    const otherTopics = `['records.ps.resident-identity', 'records.tax.taxpayer-registration', 'records.market.business-licence', 'records.land.real-estate-title', 'records.hrss.social-insurance-enrolment', 'records.civil.marriage-registration', ${DEPARTMENTS.slice(0, 7).map((d) => `'deliveries.${d}'`).join(', ')}]`;
    const groups: Array<{ count: number; topic: string; type: string; id: string }> = [
      { count: caseEvents, topic: `'cases.events'`, type: `'CaseSubmitted'`, id: `concat('GW-API-', toString(intDiv(number, 8)), ':', toString(number % 8 + 1))` },
      { count: alerts, topic: `'supervision.alerts'`, type: `'SupervisionAlert'`, id: `concat('alert-', toString(number))` },
      { count: exchanges, topic: `'exchange.monitoring'`, type: `'ExchangeMonitoring'`, id: `concat('bench-exchange-', toString(number))` },
      { count: others, topic: `${otherTopics}[number % 13 + 1]`, type: `'ResidentIdentity'`, id: `concat('bench-record-', toString(number))` },
    ];
    for (const { count, topic, type, id } of groups) {
      if (count === 0) continue;
      await store.command(`INSERT INTO ${t('events')} SELECT ${id} AS eventId, ${type}, ${topic} AS topic, toUInt16(number % 3), intDiv(number, 3), ${id},
        toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(intDiv(number * ${span * 1000}, ${count})) AS occurredAt, occurredAt, '/bench', '', 600 FROM numbers(${count})`);
    }
    figures['api: rows inserted'] = { value: cases + Math.floor(cases / 5) + tasks + alerts + exchanges + caseEvents + events, unit: 'rows' };
    figures['api: insert time'] = { value: Math.round((Date.now() - started) / 100) / 10, unit: 's' };
    say(`  inserted in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // As a store is read some time after its writes: the background merges of the inserts done, and each month
    // of the tables partitioned by month settled into one part (min_age_to_force_merge_seconds, migration 3).
    const settling = Date.now();
    const monthly = monthlyTables.map((m) => m.name);
    for (let waited = 0; waited < 300; waited += 1) {
      const [merging] = await store.query<{ n: number }>(`SELECT count() AS n FROM system.merges WHERE database = {database:String}`, { database });
      const [unsettled] = await store.query<{ n: number }>(
        `SELECT count() AS n FROM (SELECT table, partition FROM system.parts WHERE database = {database:String} AND active AND table IN {monthly:Array(String)} GROUP BY table, partition HAVING count() > 1)`,
        { database, monthly },
      );
      if (Number(merging?.n) === 0 && Number(unsettled?.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const settled = Math.round((Date.now() - settling) / 1000);
    figures['api: months settled into one part after the inserts'] = { value: settled, unit: 's' };
    say(`  merges done and every month in one part ${settled} s after the inserts`);
    const config = loadAnalyticsConfig({ HUB_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: database, ANALYTICS_PROJECTION: 'false', LOG_LEVEL: 'warn', KAFKA_BROKERS: '127.0.0.1:1', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1' });
    app = await buildApp(config, { store, now: () => NOW });
    const measure = async (run: () => Promise<void>) => {
      for (let i = 0; i < 2; i += 1) await run();
      const times: number[] = [];
      for (let i = 0; i < iterations; i += 1) {
        const at = process.hrtime.bigint();
        await run();
        times.push(Number(process.hrtime.bigint() - at) / 1e6);
      }
      times.sort((a, b) => a - b);
      return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
    };
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const baselines = new Map<string, number>();
    for (const table of ['cases', 'coapproval_tasks', 'alerts', 'exchanges', 'events']) {
      const { p50, p95 } = await measure(async () => void (await store!.query(`SELECT count() AS n FROM ${t(table)}`)));
      baselines.set(table, p95);
      figures[`baseline: SELECT count() FROM ${table}, p50`] = { value: round(p50), unit: 'ms' };
      figures[`baseline: SELECT count() FROM ${table}, p95`] = { value: round(p95), unit: 'ms' };
    }
    const endpoints: Array<{ url: string; table: string }> = [
      { url: '/api/v1/figures/cases', table: 'cases' },
      { url: '/api/v1/figures/cases?from=2026-03-01&to=2026-05-31&groupBy=department', table: 'cases' },
      { url: '/api/v1/figures/cases?groupBy=item', table: 'cases' },
      { url: '/api/v1/figures/cases?division=4501&groupBy=division', table: 'cases' },
      { url: '/api/v1/figures/cases?department=tax&groupBy=month', table: 'cases' },
      { url: '/api/v1/figures/cases?from=2026-06-01&to=2026-06-30&groupBy=day', table: 'cases' },
      { url: '/api/v1/figures/co-approval?groupBy=department', table: 'coapproval_tasks' },
      { url: '/api/v1/figures/co-approval?from=2026-03-01&to=2026-03-31&item=ITEM-007&groupBy=department', table: 'coapproval_tasks' },
      { url: '/api/v1/figures/supervision?groupBy=department', table: 'alerts' },
      { url: '/api/v1/figures/supervision?from=2026-04-01&to=2026-04-30&division=4502&groupBy=item', table: 'alerts' },
      { url: '/api/v1/figures/exchange-matrix', table: 'exchanges' },
      { url: '/api/v1/figures/exchange-matrix?department=tax&groupBy=month', table: 'exchanges' },
      { url: '/api/v1/figures/throughput', table: 'events' },
      { url: '/api/v1/figures/throughput?from=2026-01-01&to=2026-12-31&groupBy=day', table: 'events' },
      { url: '/api/v1/figures/throughput?from=2026-06-01&to=2026-06-01&groupBy=minute&department=ps', table: 'events' },
      { url: '/api/v1/cases/GW-API-12345/events', table: 'cases' },
    ];
    let worst = 0;
    const answers: Record<string, string> = {};
    const failed: string[] = [];
    for (const { url, table } of endpoints) {
      const response = await app.inject({ method: 'GET', url });
      if (response.statusCode !== 200) {
        say(`  ${url}: answered ${response.statusCode}`);
        failed.push(`${url} answered ${response.statusCode}: ${response.body}`);
        continue;
      }
      answers[url] = response.body;
      const { p50, p95 } = await measure(async () => {
        const answer = await app!.inject({ method: 'GET', url });
        if (answer.statusCode !== 200) throw new Error(`${url} answered ${answer.statusCode}`);
      });
      say(`  ${url}: p50 ${round(p50)} ms, p95 ${round(p95)} ms`);
      figures[`api ${url}, p50`] = { value: round(p50), unit: 'ms' };
      figures[`api ${url}, p95`] = { value: round(p95), unit: 'ms' };
      ratios[`api ${url} p95 / count() p95`] = p95 / baselines.get(table)!;
      worst = Math.max(worst, p95);
    }
    figures['api: slowest p95'] = { value: round(worst), unit: 'ms' };
    if (process.env.BENCH_API_ANSWERS) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(process.env.BENCH_API_ANSWERS, `${JSON.stringify(answers, null, 2)}\n`);
    }
    if (failed.length > 0) throw new Error(`the API failed:\n${failed.join('\n')}`);
  } finally {
    await app?.close();
    if (store && process.env.BENCH_API_KEEP !== '1') await store.command(`DROP DATABASE IF EXISTS \`${database}\` SYNC`);
    await store?.close();
  }
  return { figures, ratios };
}
