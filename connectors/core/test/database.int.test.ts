import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueName } from '@hub/test-support';
import { createDatabasePoller, DEAD_LETTER_TOPIC, ledgerPath, recordEventId, type DatabasePoller, type DeadLetter, type NativeRecord } from '../src/index.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { readCommitted, tally } from './support/kafka.ts';
import { startPostgres } from './support/postgres.ts';
import { residentMapping, residentRows } from './support/resident-mapping.ts';

const TOPIC = 'records.ps.resident-identity';
const columns = { gmsfhm: 'GMSFHM', xm: 'XM', xb: 'XB', mz: 'MZ', csrq: 'CSRQ', zz: 'ZZ', xzqh: 'XZQH', gxsj: 'GXSJ' };

let h: Harness;
let postgres: Awaited<ReturnType<typeof startPostgres>>;
let db: pg.Client;
const connector = uniqueName('ps-db');

beforeAll(async () => {
  [h, postgres] = await Promise.all([startHarness('database-test'), startPostgres()]);
  db = new pg.Client({ connectionString: postgres.connectionString });
  await db.connect();
  // The department's table: its own column names, and an update time with microseconds.
  await db.query(`CREATE TABLE rk_jbxx (
    gmsfhm text PRIMARY KEY, xm text, xb text, mz text, csrq text, zz text, xzqh text,
    gxsj timestamp(6) NOT NULL)`);
});
afterAll(async () => {
  await db?.end();
  await postgres?.stop();
  await h?.close();
});

async function insert(rows: NativeRecord[], at: (i: number) => string): Promise<void> {
  for (const [i, row] of rows.entries()) {
    await db.query(
      `INSERT INTO rk_jbxx VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (gmsfhm) DO UPDATE SET xm = excluded.xm, gxsj = excluded.gxsj`,
      [row.GMSFHM, row.XM, row.XB, row.MZ, row.CSRQ, row.ZZ, row.XZQH, at(i)],
    );
  }
}

/** What the poller reads back for a row: the update time as `yyyy-MM-dd HH:mm:ss.SSS`. */
async function publishedIds(table = 'rk_jbxx'): Promise<Map<string, number>> {
  const result = await db.query<{ gmsfhm: string; xm: string; xb: string; mz: string; csrq: string; zz: string; xzqh: string; gxsj: string }>(
    `SELECT gmsfhm, xm, xb, mz, csrq, zz, xzqh, to_char(gxsj, 'YYYY-MM-DD HH24:MI:SS.MS') AS gxsj FROM ${table}`,
  );
  const ids = new Set(result.rows.map((r) => recordEventId('ps', 'resident-identity', r.gmsfhm, {
    GMSFHM: r.gmsfhm, XM: r.xm, XB: r.xb, MZ: r.mz, CSRQ: r.csrq, ZZ: r.zz, XZQH: r.xzqh, GXSJ: r.gxsj.replace(/\.?0+$/, ''),
  })));
  const seen = (await readCommitted(h.kafka, TOPIC)).map((m) => m.headers.ce_id!).filter((id) => ids.has(id));
  return tally(seen);
}

function pollerFor(opened: Awaited<ReturnType<Harness['open']>>, table = 'public.rk_jbxx', delayMs = 0): DatabasePoller {
  return createDatabasePoller({
    connectionString: postgres.connectionString,
    table,
    delayMs,
    columns,
    keyColumn: 'gmsfhm',
    updatedAtColumn: 'gxsj',
    mapping: residentMapping,
    publisher: opened.publisher,
    ledger: opened.ledger,
    logger: h.logger,
    batchSize: 100,
    now: () => new Date('2025-03-01T08:00:00Z'),
  });
}

describe('polling a department table by its (updated-at, key) watermark', () => {
  const { rows, bad } = residentRows(300, connector);
  // 300 rows within one millisecond (a microsecond apart, three to a tick): ties broken by the key,
  // and a watermark in milliseconds would lose or repeat rows at the page boundaries.
  const tick = (i: number): string => `2025-01-06 10:00:00.${String(100_000 + Math.floor(i / 3)).padStart(6, '0')}`;

  it('publishes every row once, dead-letters the bad ones, and resumes after a restart', async () => {
    await insert(rows, tick);
    let opened = await h.open(connector);
    let poller = pollerFor(opened);
    expect(await poller.poll()).toEqual({ rows: 300, accepted: 270, duplicates: 0, rejected: bad.length });
    expect(await poller.poll()).toEqual({ rows: 0, accepted: 0, duplicates: 0, rejected: 0 });
    await poller.stop();
    await opened.close();

    // A restart resumes from the watermark in the local ledger.
    opened = await h.open(connector);
    poller = pollerFor(opened);
    expect(await poller.poll()).toMatchObject({ rows: 0 });
    await poller.stop();
    await opened.close();

    // A restart that lost the local ledger (a crash, a new disk) takes the watermark from ledger.connectors.
    rmSync(dirname(ledgerPath(h.dataDir, connector, '0')), { recursive: true, force: true });
    opened = await h.open(connector);
    poller = pollerFor(opened);
    expect(await poller.poll()).toMatchObject({ rows: 0 });
    await poller.stop();
    await opened.close();

    const counts = await publishedIds();
    expect(counts.size).toBe(270);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('publishes an updated row (new updated-at, new content) as a new event, and new rows once', async () => {
    const opened = await h.open(connector);
    const poller = pollerFor(opened);
    const changed = rows.slice(0, 5).map((row) => ({ ...row, XM: `${String(row.XM)}改` }));
    const added = residentRows(305, connector).rows.slice(300);
    await insert(changed, (i) => `2025-01-07 09:00:00.00000${i}`);
    await insert(added, (i) => `2025-01-07 09:30:00.${String(i).padStart(6, '0')}`);
    expect(await poller.poll()).toEqual({ rows: 10, accepted: 10, duplicates: 0, rejected: 0 });
    expect(await poller.poll()).toMatchObject({ rows: 0 });
    await poller.stop();
    await opened.close();

    const counts = await publishedIds(); // ids of the rows as they are now
    expect(counts.size).toBe(275); // 265 unchanged + 5 updated + 5 new
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('with a delay, does not pass by a row whose transaction commits after a newer row, with an older updated-at', async () => {
    // Two sessions of the department's system, in its time zone: one transaction stays open
    // (its updated-at is taken when it began) while another commits a newer row.
    const session = () => new pg.Client({ connectionString: postgres.connectionString, options: '-c TimeZone=Asia/Shanghai' });
    const [slow, fast] = [session(), session()];
    await Promise.all([slow.connect(), fast.connect()]);
    const late = uniqueName('ps-db-late');
    const [older, newer] = residentRows(2, late).rows as [NativeRecord, NativeRecord];
    const row = (r: NativeRecord) => [r.GMSFHM, r.XM, r.XB, r.MZ, r.CSRQ, r.ZZ, r.XZQH];
    await fast.query('CREATE TABLE rk_jbxx_late (LIKE rk_jbxx INCLUDING ALL)');
    const opened = await h.open(late);
    const delayMs = 4_000;
    const poller = pollerFor(opened, 'public.rk_jbxx_late', delayMs);
    try {
      await slow.query('BEGIN');
      await slow.query('INSERT INTO rk_jbxx_late VALUES ($1, $2, $3, $4, $5, $6, $7, localtimestamp)', row(older));
      // The newer row is written once the database clock has passed the open transaction's updated-at.
      const olderAt = (await slow.query<{ at: string }>(`SELECT gxsj::text AS at FROM rk_jbxx_late`)).rows[0]!.at;
      await eventually(async () => ((await fast.query<{ later: boolean }>('SELECT localtimestamp > $1::timestamp AS later', [olderAt])).rows[0]!.later ? true : undefined),
        5_000, 'the database clock to pass the open transaction\'s updated-at');
      await fast.query('INSERT INTO rk_jbxx_late VALUES ($1, $2, $3, $4, $5, $6, $7, localtimestamp)', row(newer));
      expect(await poller.poll()).toMatchObject({ rows: 0 }); // the newer row is not yet old enough to pass the open one by
      await slow.query('COMMIT');
      // Both rows are older than the poller's delay by the database clock, as the poller's query compares them.
      await eventually(async () => ((await fast.query<{ due: boolean }>(`SELECT max(gxsj) <= now() - $1::integer * interval '1 millisecond' AS due FROM rk_jbxx_late`, [delayMs])).rows[0]!.due ? true : undefined),
        10_000, 'both rows to be older than the delay');
      expect(await poller.poll()).toMatchObject({ rows: 2, accepted: 2 });
      expect([...(await publishedIds('rk_jbxx_late')).values()]).toEqual([1, 1]);
    } finally {
      await poller.stop();
      await opened.close();
      await Promise.all([slow.end(), fast.end()]);
    }
  });

  it('publishes the rows of a page around one with a 900,000-character column, and dead-letters that one under the broker limit', async () => {
    const poisoned = uniqueName('ps-db-poison');
    await db.query('CREATE TABLE rk_jbxx_poison (LIKE rk_jbxx INCLUDING ALL)');
    const { rows } = residentRows(2, poisoned);
    const [first, second] = rows as [NativeRecord, NativeRecord];
    const poison: NativeRecord = { ...residentRows(3, poisoned).rows[2]!, ZZ: '路'.repeat(900_000) };
    let i = 0;
    for (const row of [first, poison, second]) {
      await db.query('INSERT INTO rk_jbxx_poison VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [row.GMSFHM, row.XM, row.XB, row.MZ, row.CSRQ, row.ZZ, row.XZQH, `2025-01-08 10:00:0${i++}`]);
    }
    const opened = await h.open(poisoned);
    const poller = pollerFor(opened, 'public.rk_jbxx_poison');
    try {
      expect(await poller.poll()).toEqual({ rows: 3, accepted: 2, duplicates: 0, rejected: 1 });
      expect([...(await publishedIds('rk_jbxx_poison')).values()]).toEqual([1, 1]);
      const letters = (await readCommitted(h.kafka, DEAD_LETTER_TOPIC)).filter((m) => JSON.parse(m.value!.toString()).connector === poisoned);
      expect(letters).toHaveLength(1);
      expect(letters[0]!.value!.length).toBeLessThan(1024 * 1024);
      expect(JSON.parse(letters[0]!.value!.toString()) as DeadLetter).toMatchObject({ field: 'ZZ', reason: 'longer than 4096 characters: it has 900000', originalTruncated: true, source: { kind: 'database', row: 2 } });
    } finally {
      await poller.stop();
      await opened.close();
    }
  });
});
