import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testClickHouseUrl } from '@hub/test-support';
import { openStore, type AnalyticsStore, type StoreOptions } from '../src/store/store.ts';
import type { Migration } from '../src/store/migrations.ts';
import { migrations } from '../src/store/schema.ts';

/**
 * One contract for the store, run against every adapter: chDB in this
 * process always, and a ClickHouse server when the run has one that answers
 * (a container where a Docker engine answers, or CLICKHOUSE_URL).
 */
const chdbDir = mkdtempSync(join(tmpdir(), 'hub-analytics-contract-'));
const serverUrl = testClickHouseUrl();
const serverAnswers = serverUrl === '' ? false : await fetch(new URL('/ping', serverUrl)).then((r) => r.ok, () => false);
if (!serverAnswers) console.info(`store contract: no ClickHouse server answers${serverUrl ? ` at ${serverUrl}` : ' (no Docker engine, CLICKHOUSE_URL not set)'}; the contract runs against chDB only`);

const adapters: Array<[string, (database: string, migrations?: readonly Migration[]) => StoreOptions]> = [
  ['chDB', (database, migrations) => ({ dataDir: chdbDir, database, ...(migrations ? { migrations } : {}) })],
  ...(serverAnswers ? [['a ClickHouse server', (database: string, migrations?: readonly Migration[]) => ({ url: serverUrl, database, ...(migrations ? { migrations } : {}) })] as [string, (database: string, migrations?: readonly Migration[]) => StoreOptions]] : []),
];

describe.each(adapters)('the store on %s', (_name, options) => {
  const opened: AnalyticsStore[] = [];
  const open = async (database: string, migrations?: readonly Migration[]) => {
    const store = await openStore(options(database, migrations));
    opened.push(store);
    return store;
  };
  const fresh = () => `contract_${randomUUID().slice(0, 8)}`;
  afterAll(async () => {
    for (const store of opened) {
      await store.command(`DROP DATABASE IF EXISTS \`${store.database}\``).catch(() => undefined);
      await store.close().catch(() => undefined);
    }
  });

  it('applies each migration once, in order, and only the new ones at the next start', async () => {
    const database = fresh();
    const first: Migration = { version: 1, name: 'one', statements: ({ table }) => [`CREATE TABLE IF NOT EXISTS ${table('a')} (x UInt8) ENGINE = MergeTree ORDER BY x`] };
    const second: Migration = { version: 2, name: 'two', statements: ({ table }) => [`ALTER TABLE ${table('a')} ADD COLUMN IF NOT EXISTS y String`] };
    const before = await open(database, [first]);
    expect(await before.applied()).toEqual([{ version: 1, name: 'one' }]);
    await before.close();
    const after = await open(database, [first, second]);
    expect(await after.applied()).toEqual([{ version: 1, name: 'one' }, { version: 2, name: 'two' }]);
    await after.insert('a', [{ x: 1, y: 'later column' }], 'a-1');
    expect(await after.query(`SELECT x, y FROM ${after.table('a')}`)).toEqual([{ x: 1, y: 'later column' }]);
  });

  it('applies the projection\'s own migrations to an empty database', async () => {
    const store = await open(fresh());
    expect((await store.applied()).map((m) => m.version)).toEqual([1, 2, 3]);
    const tables = await store.query<{ name: string; partition_key: string }>('SELECT name, partition_key FROM system.tables WHERE database = {db:String} ORDER BY name', { db: store.database });
    expect(tables.map((t) => t.name)).toEqual(['alerts', 'case_events', 'cases', 'coapproval_tasks', 'events', 'events_by_day', 'events_by_day_mv', 'exchanges', 'items', 'schema_migrations']);
    expect(Object.fromEntries(tables.filter((t) => t.partition_key !== '').map((t) => [t.name, t.partition_key]))).toEqual({
      alerts: 'toYYYYMM(day)', cases: "toYYYYMM(submittedAt, 'Asia/Shanghai')", coapproval_tasks: 'toYYYYMM(requestedOn)', exchanges: 'toYYYYMM(day)',
    });
  });

  it('partitions a store of an earlier version by month, its rows kept, a case in the month of its submission and counted once whatever the order of its versions', async () => {
    const database = fresh();
    const earlier = await open(database, migrations.filter((m) => m.version < 3));
    const facts = (version: number, status: string) => ({
      caseId: 'GW-9', version, itemCode: 'ITEM-1', itemName: '事项', centreId: 'ZWZX-1', divisionCode: '450102', province: '45', city: '4501', county: '450102', town: '', village: '',
      divisionLevel: 'county', leadDepartment: 'market', status, submittedAt: '2026-01-31T16:30:00.000Z', day: '2026-02-01', acceptedOn: '2026-02-01', refusedAtIntake: 0,
      promisedDays: 5, legalDays: 20, promisedDueDate: '2026-02-06', legalDueDate: '2026-03-01', decidedOn: null, approved: null, workingDaysUsed: null, onTime: null,
      sameDay: null, grade: null, suspendedSince: null, lastEventAt: '2026-02-01T01:00:00.000Z',
    });
    await earlier.insert('cases', [facts(2, 'accepted')], 'c2');
    await earlier.close();
    const store = await open(database);
    expect((await store.applied()).map((m) => m.version)).toEqual([1, 2, 3]);
    // Submitted at 00:30 on 1 February in Shanghai (31 January in UTC): the month of the submission where it is made.
    expect(await store.query(`SELECT partition, rows FROM system.parts WHERE database = {db:String} AND table = 'cases' AND active`, { db: database })).toEqual([{ partition: '202602', rows: 1 }]);
    await store.insert('cases', [facts(3, 'completed')], 'c3');
    await store.insert('cases', [facts(1, 'submitted')], 'c1');
    expect(await store.query(`SELECT count() AS n, any(status) AS status FROM ${store.table('cases')} FINAL`)).toEqual([{ n: 1, status: 'completed' }]);
    expect(await store.query(`SELECT name FROM system.tables WHERE database = {db:String} AND name LIKE '%monthly%'`, { db: database })).toEqual([]);
  });

  it('takes one insert that spans more months than ClickHouse\'s 100 partitions a block', async () => {
    const store = await open(fresh());
    const alert = (month: number) => {
      const day = `${2016 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-15`;
      return { eventId: `a${month}`, occurredAt: `${day}T01:00:00Z`, day, level: 'WARNING', caseId: `GW-${month}`, requestId: null, responsibleDepartment: 'tax', deadline: day, limitDays: 3, workingDaysUsed: 2, workingDaysRemaining: 1 };
    };
    await store.insert('alerts', Array.from({ length: 120 }, (_, month) => alert(month)), 'ten-years');
    expect(await store.query(`SELECT count() AS n, uniqExact(toYYYYMM(day)) AS months FROM ${store.table('alerts')} FINAL`)).toEqual([{ n: 120, months: 120 }]);
  });

  it('writes nothing for an insert repeated with the same deduplication token', async () => {
    const store = await open(fresh());
    const rows = [{ itemCode: 'A', version: 1, name: 'a', leadDepartment: 'market', legalDays: 20, promisedDays: 5 }];
    await store.insert('items', rows, 'items|cases.events:0:0-9');
    await store.insert('items', rows, 'items|cases.events:0:0-9');
    expect(await store.query(`SELECT count() AS n FROM ${store.table('items')}`)).toEqual([{ n: 1 }]);
    await store.insert('items', rows, 'items|cases.events:0:0-12');
    expect(await store.query(`SELECT count() AS n FROM ${store.table('items')}`)).toEqual([{ n: 2 }]);
  });

  it('counts an event once however often it is inserted (FINAL), and keeps the latest version of a case', async () => {
    const store = await open(fresh());
    const event = { eventId: 'GW-1:1', type: 'CaseSubmitted', topic: 'cases.events', partition: 0, offset: 7, key: 'GW-1', occurredAt: '2026-03-02T01:00:00.000Z', loggedAt: '2026-03-02T01:00:00.100Z', source: '/gateway', correlationId: 'GW-1', bytes: 300 };
    for (const token of ['t1', 't2', 't3']) await store.insert('events', [event], token);
    expect(await store.query(`SELECT count() AS n, uniqExact(eventId) AS ids FROM ${store.table('events')} FINAL`)).toEqual([{ n: 1, ids: 1 }]);
    const item = (version: number, name: string) => ({ itemCode: 'B', version, name, leadDepartment: 'market', legalDays: 20, promisedDays: 5 });
    await store.insert('items', [item(2, 'second')], 'i2');
    await store.insert('items', [item(1, 'first')], 'i1');
    expect(await store.query(`SELECT name FROM ${store.table('items')} FINAL`)).toEqual([{ name: 'second' }]);
  });

  it('binds parameters (quotes, arrays, dates) and answers dates, instants and nulls alike', async () => {
    const store = await open(fresh());
    const rows = await store.query(
      `SELECT {text:String} AS text, {ids:Array(String)} AS ids, {day:Date} AS day, toDateTime64('2026-03-02 01:02:03.456', 3, 'UTC') AS at, CAST(NULL AS Nullable(Date)) AS none, toUInt64(12345678901) AS big`,
      { text: `it's "quoted"`, ids: ['GW-1', "GW-'2"], day: '2026-03-02' },
    );
    expect(rows).toEqual([{ text: `it's "quoted"`, ids: ['GW-1', "GW-'2"], day: '2026-03-02', at: '2026-03-02T01:02:03.456Z', none: null, big: 12345678901 }]);
  });

  it('keeps what it wrote across a close and an open', async () => {
    const database = fresh();
    const first = await open(database);
    await first.insert('alerts', [{ eventId: 'a1', occurredAt: '2026-03-02T01:00:00Z', day: '2026-03-02', level: 'WARNING', caseId: 'GW-1', requestId: null, responsibleDepartment: 'tax', deadline: '2026-03-05', limitDays: 3, workingDaysUsed: 2, workingDaysRemaining: 1 }], 'a1');
    await first.close();
    const again = await open(database);
    expect(await again.query(`SELECT eventId, caseId, requestId, occurredAt FROM ${again.table('alerts')} FINAL`)).toEqual([{ eventId: 'a1', caseId: 'GW-1', requestId: null, occurredAt: '2026-03-02T01:00:00.000Z' }]);
  });

  it('runs inserts one at a time in the order they were asked for', async () => {
    const store = await open(fresh());
    // One key, one version: a ReplacingMergeTree keeps the row inserted last, so the name left says which insert ran last.
    const item = (n: number) => ({ itemCode: 'C', version: 1, name: `insert ${n}`, leadDepartment: 'tax', legalDays: 20, promisedDays: 5 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.insert('items', [item(n)], `c${n}`)));
    expect(await store.query(`SELECT name FROM ${store.table('items')} FINAL`)).toEqual([{ name: 'insert 5' }]);
  });
});
