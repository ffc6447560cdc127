import fc from 'fast-check';
import pg from 'pg';
import { createDatabasePoller, recordEventId } from '@hub/connector-core';
import { residentMapping } from '@hub/connector-core/testing';
import { startPostgres } from '../kit/postgres.ts';
import { deepValue, hostileText } from '../arbitraries/values.ts';
import type { EntryPoint } from '../kit/entry-point.ts';
import { coreResident, goodResidents } from '../kit/good-records.ts';
import type { CoreHarness } from './core-harness.ts';
import { committedIds } from './gateway.ts';

/** The department's table: its text columns, and columns of other types a mapping does not expect. */
const textColumns = { gmsfhm: 'GMSFHM', xm: 'XM', xb: 'XB', mz: 'MZ', csrq: 'CSRQ', zz: 'ZZ', xzqh: 'XZQH' } as const;
const typedColumns = { j: ['jsonb', 'EXTRA_JSON'], b: ['bytea', 'EXTRA_BYTES'], n: ['numeric', 'EXTRA_NUMBER'], a: ['text[]', 'EXTRA_ARRAY'], d: ['date', 'EXTRA_DATE'], t: ['boolean', 'EXTRA_FLAG'], i: ['interval', 'EXTRA_INTERVAL'] } as const;
type Typed = keyof typeof typedColumns;

export interface DatabaseRow {
  /** A text column's value, null (SQL NULL), or the template's. */
  text: Partial<Record<keyof typeof textColumns, string | null>>;
  typed: Partial<Record<Typed, unknown>>;
}
export interface DatabaseInput { rows: DatabaseRow[]; goodAt: number; huge: boolean }

// PostgreSQL's text cannot hold a NUL: a department's table never has one, so none is sent.
const pgText = fc.oneof({ weight: 5, arbitrary: hostileText }, { weight: 1, arbitrary: fc.constant(null) }).map((t) => (t === null ? null : t.replaceAll('\u0000', '')));
const typedValue: Record<Typed, fc.Arbitrary<unknown>> = {
  j: fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), deepValue.map((d) => d.text), fc.constant('null')),
  b: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  n: fc.oneof(fc.constantFrom('NaN', 'Infinity', '-0', '1e300', '0.000000000000000000001', '123456789012345678901234567890.5')),
  a: fc.array(fc.oneof(pgText, fc.constant(null)), { maxLength: 4 }),
  d: fc.constantFrom('infinity', '-infinity', '0001-01-01', '4713-01-01 BC', '9999-12-31', '2025-02-28'),
  t: fc.boolean(),
  i: fc.constantFrom('1 day', '-178000000 years', '00:00:00.000001', '1 mon 2 days'),
};

export function databaseInput(): fc.Arbitrary<DatabaseInput> {
  const row: fc.Arbitrary<DatabaseRow> = fc.record({
    text: fc.dictionary(fc.constantFrom(...(Object.keys(textColumns) as Array<keyof typeof textColumns>)), pgText, { maxKeys: 4 }) as fc.Arbitrary<DatabaseRow['text']>,
    typed: fc.record(typedValue, { requiredKeys: [] }) as fc.Arbitrary<DatabaseRow['typed']>,
  });
  return fc.record({ rows: fc.array(row, { maxLength: 4 }), goodAt: fc.nat(4), huge: fc.boolean().chain((b) => (b ? fc.nat(99).map((n) => n === 0) : fc.constant(false))) });
}

/** Milliseconds as PostgreSQL gives a `timestamp(3)` back, as the poller writes it (trailing zeros of the fraction dropped). */
function timestampText(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}`;
}

/** A PostgreSQL table polled by its (updated-at, key) watermark, rows inserted beside a good one before each poll. */
export async function databaseUnderFuzz(h: CoreHarness): Promise<{ rows: EntryPoint<DatabaseInput>; close(): Promise<void> }> {
  const postgres = await startPostgres();
  const db = new pg.Client({ connectionString: postgres.connectionString });
  await db.connect();
  await db.query(`CREATE TABLE rk_jbxx (${Object.keys(textColumns).map((c) => `${c} text`).join(', ')}, ${Object.entries(typedColumns).map(([c, [type]]) => `${c} ${type}`).join(', ')}, gxsj timestamp(3) NOT NULL)`);
  const opened = await h.open('fuzz-database');
  const columns: Record<string, string> = { ...textColumns, ...Object.fromEntries(Object.entries(typedColumns).map(([c, [, native]]) => [c, native])), gxsj: 'GXSJ' };
  const poller = createDatabasePoller({
    connectionString: postgres.connectionString, table: 'public.rk_jbxx', columns, keyColumn: 'gmsfhm', updatedAtColumn: 'gxsj',
    mapping: residentMapping, publisher: opened.publisher, ledger: opened.ledger, logger: h.logger, batchSize: 100, timeZone: 'UTC',
  });
  const residents = goodResidents();
  const template = coreResident(residents.next());
  let clock = Date.UTC(2025, 0, 6, 2, 0, 0);
  const typedNames = Object.keys(typedColumns) as Typed[];

  const rows: EntryPoint<DatabaseInput> = {
    name: 'database rows (PostgreSQL)',
    arbitrary: databaseInput(),
    concurrency: 1,
    async send({ rows: hostile, goodAt, huge }) {
      const good = coreResident(residents.next());
      const at = Math.min(goodAt, hostile.length);
      const goodRow: DatabaseRow = { text: { gmsfhm: good.GMSFHM, xm: good.XM, xb: good.XB, mz: good.MZ, csrq: good.CSRQ, zz: good.ZZ, xzqh: good.XZQH }, typed: {} };
      const all = [...hostile.slice(0, at), goodRow, ...hostile.slice(at)];
      if (huge && at > 0) all[0] = { ...all[0]!, text: { ...all[0]!.text, zz: '广'.repeat(10_000_000) } };
      let goodId = '';
      for (const row of all) {
        clock += 1 + (row === goodRow ? 0 : Number(row.text.xm?.length ?? 0) % 3); // sometimes two rows at one instant
        const values: unknown[] = [
          ...Object.keys(textColumns).map((c) => (c in row.text ? row.text[c as keyof typeof textColumns] : template[textColumns[c as keyof typeof textColumns]])),
          ...typedNames.map((c) => (c === 'a' && Array.isArray(row.typed.a) ? row.typed.a : row.typed[c] ?? null)),
          new Date(clock).toISOString().replace('T', ' ').replace('Z', ''),
        ];
        await db.query(`INSERT INTO rk_jbxx (${[...Object.keys(textColumns), ...typedNames, 'gxsj'].join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`, values);
        if (row === goodRow) {
          const native = { ...good, GXSJ: timestampText(clock), ...Object.fromEntries(typedNames.map((c) => [typedColumns[c][1], null])) };
          goodId = recordEventId('ps', 'resident-identity', good.GMSFHM, native);
        }
      }
      try {
        await poller.poll();
      } catch (error) {
        // The page could not be taken: the poller would try it again and again (a poison row).
        return { status: 500, reason: error instanceof Error ? error.message : String(error), expected: [], refusedGood: 0 };
      }
      return { status: 200, expected: [goodId], refusedGood: 0 };
    },
    async missing(expected) {
      const committed = await committedIds(h.kafka, 'records.ps.resident-identity');
      return [...expected].filter((id) => !committed.has(id));
    },
  };
  return {
    rows,
    async close() {
      await poller.stop();
      await db.end();
      await postgres.stop();
    },
  };
}


