import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@hub/test-support';
import {
  DEAD_LETTER_TOPIC,
  LEDGER_TOPIC,
  createDropFolderSource,
  dropFolderOf,
  recordEventId,
  rejectionId,
  type DeadLetter,
  type DropFolderSource,
  type FileResult,
  type LedgerEntry,
  type NativeRecord,
} from '../src/index.ts';
import { dropFile, type Format } from './support/files.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { readCommitted, tally } from './support/kafka.ts';
import { residentColumns, residentMapping, residentRows } from './support/resident-mapping.ts';

const TOPIC = 'records.ps.resident-identity';
let h: Harness;
let connector: string;
let opened: Awaited<ReturnType<Harness['open']>>;
let source: DropFolderSource;
let folder: string;
const published = new Map<Format, ReturnType<typeof residentRows>>();

beforeAll(async () => {
  h = await startHarness('drop-folder-test');
  connector = uniqueName('ps-drop');
  opened = await h.open(connector);
  folder = dropFolderOf(h.dataDir, 'ps', 'resident-identity');
  source = createDropFolderSource({
    folder,
    source: 'ps/resident-identity',
    mapping: residentMapping,
    publisher: opened.publisher,
    ledger: opened.ledger,
    logger: h.logger,
    now: () => new Date('2025-03-01T08:00:00Z'),
  });
  mkdirSync(join(folder, 'inbox'), { recursive: true });
});
afterAll(async () => {
  await source?.stop();
  await opened?.close();
  await h?.close();
});

/** Lists the inbox until the file has been handled (the first listing only notes a new file). */
async function handled(name: string): Promise<FileResult> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const result = (await source.poll()).find((r) => r.name === name);
    if (result) return result;
  }
  throw new Error(`${name} was not handled`);
}

const cases: Array<{ format: Format; count: number }> = [
  { format: 'csv-utf8', count: 10_000 },
  { format: 'csv-utf8-bom', count: 2_000 },
  { format: 'csv-gbk', count: 10_000 },
  { format: 'jsonl', count: 10_000 },
  { format: 'xlsx', count: 2_000 },
];

describe('a drop folder of resident records', () => {
  it.each(cases)('publishes every good record of a $format file of $count once, and every bad one to the DLQ', async ({ format, count }) => {
    const salt = uniqueName(format);
    const { rows, bad } = residentRows(count, salt);
    published.set(format, { rows, bad });
    const name = await dropFile(join(folder, 'inbox'), `rk-${format}`, format, rows, residentColumns);
    const started = performance.now();
    const result = await handled(name);
    const seconds = (performance.now() - started) / 1000;
    expect(result).toMatchObject({ name, result: 'done', rows: count, accepted: count - bad.length, duplicates: 0, rejected: bad.length });
    expect(existsSync(join(folder, 'done', name))).toBe(true);
    console.log(`${format}: ${count} rows in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} rows/s), ${bad.length} rejected`);

    const badRows = new Set(bad.map((b) => b.row));
    const expected = new Set(rows.flatMap((row, i) => (badRows.has(i + 1) ? [] : [recordEventId('ps', 'resident-identity', String(row.GMSFHM), row)])));
    const counts = tally((await readCommitted(h.kafka, TOPIC)).map((m) => m.headers.ce_id!).filter((id) => expected.has(id)));
    expect(counts.size).toBe(expected.size);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);

    const letters = (await readCommitted(h.kafka, DEAD_LETTER_TOPIC))
      .map((m) => ({ id: m.headers.ce_id!, letter: JSON.parse(m.value!.toString()) as DeadLetter }))
      .filter(({ letter }) => letter.connector === connector && letter.source.name === name);
    expect(letters).toHaveLength(bad.length);
    expect(new Set(letters.map((l) => l.id)).size).toBe(bad.length);
    const byRow = new Map(letters.map(({ letter }) => [letter.source.row, letter]));
    for (const b of bad) {
      const letter = byRow.get(b.row);
      expect(letter?.errors.map((e) => e.field), `row ${b.row}`).toEqual(b.fields);
      expect(letter?.reason.length).toBeGreaterThan(0);
      expect(letter?.original.XM ?? '').toBe(rows[b.row - 1]!.XM); // Chinese text survived the encoding (an empty XLSX cell is absent)
    }
  });

  it('publishes nothing new for a file uploaded again, under any name', async () => {
    const ledgerBefore = (await readCommitted(h.kafka, LEDGER_TOPIC)).filter((m) => m.key === connector).length;
    copyFileSync(join(folder, 'done', 'rk-csv-gbk.csv'), join(folder, 'inbox', 'rk-csv-gbk-again.csv'));
    expect(await handled('rk-csv-gbk-again.csv')).toMatchObject({ result: 'duplicate', accepted: 0 });
    const ledgerAfter = (await readCommitted(h.kafka, LEDGER_TOPIC)).filter((m) => m.key === connector).length;
    expect(ledgerAfter).toBe(ledgerBefore);
    expect(existsSync(join(folder, 'done', 'rk-csv-gbk-again.csv'))).toBe(true);

    // The same records in another file (other bytes: JSON Lines) are duplicates record by record.
    const { rows, bad } = published.get('csv-utf8-bom')!;
    const name = await dropFile(join(folder, 'inbox'), 'rk-same-records', 'jsonl', rows, residentColumns);
    expect(await handled(name)).toMatchObject({ result: 'done', rows: rows.length, accepted: 0, duplicates: rows.length - bad.length, rejected: bad.length });
    const entries = (await readCommitted(h.kafka, LEDGER_TOPIC)).filter((m) => m.key === connector).map((m) => JSON.parse(m.value!.toString()) as LedgerEntry);
    const last = entries.at(-1)!;
    expect(last).toMatchObject({ eventIds: [], rejectionIds: [], file: { name, rowReached: rows.length, complete: true } });
  });

  it('moves a file it cannot read to failed/ with the reason', async () => {
    writeFileSync(join(folder, 'inbox', 'broken.xlsx'), 'PK\u0003\u0004 not a workbook');
    writeFileSync(join(folder, 'inbox', 'notes.txt'), 'hello');
    const broken = await handled('broken.xlsx');
    expect(broken.result).toBe('failed');
    expect(readFileSync(join(folder, 'failed', 'broken.xlsx.error.txt'), 'utf8')).toMatch(/^XLSX cannot be read/);
    expect(readdirSync(join(folder, 'failed'))).toEqual(expect.arrayContaining(['broken.xlsx', 'notes.txt', 'notes.txt.error.txt']));

    const unmapped = createDropFolderSource({ folder: dropFolderOf(h.dataDir, 'ps', 'no-such-resource'), source: 'ps/no-such-resource', mapping: undefined, publisher: undefined, ledger: undefined, logger: h.logger });
    mkdirSync(join(dropFolderOf(h.dataDir, 'ps', 'no-such-resource'), 'inbox'), { recursive: true });
    writeFileSync(join(dropFolderOf(h.dataDir, 'ps', 'no-such-resource'), 'inbox', 'x.csv'), 'A\n1\n');
    await unmapped.poll();
    const [result] = await unmapped.poll();
    expect(result).toMatchObject({ name: 'x.csv', result: 'failed', reason: 'no mapping for the resource ps/no-such-resource: no connector publishes it' });
  });

  it.each(['csv-utf8', 'jsonl'] as const)('publishes the rows of a %s file around one with a 900,000-character field, and dead-letters that one cut under the broker limit', async (format) => {
    const { rows } = residentRows(12, uniqueName(`poison-${format}`));
    const good = rows.filter((r) => rows.indexOf(r) % 10 !== 7).slice(0, 2); // residentRows makes some bad on purpose
    const poison: NativeRecord = { ...good[0]!, GMSFHM: '4'.repeat(900_000) };
    const name = await dropFile(join(folder, 'inbox'), `poison-${format}`, format, [good[0]!, poison, good[1]!], residentColumns);
    const result = await handled(name);
    expect(result).toMatchObject({ result: 'done', rows: 3, accepted: 2, rejected: 1 });
    const ids = new Set(good.map((r) => recordEventId('ps', 'resident-identity', String(r.GMSFHM), r)));
    expect((await readCommitted(h.kafka, TOPIC)).filter((m) => ids.has(m.headers.ce_id!))).toHaveLength(2);
    const read = format === 'jsonl' ? poison : Object.fromEntries(residentColumns.map((c) => [c, String(poison[c] ?? '')]));
    const letter = (await readCommitted(h.kafka, DEAD_LETTER_TOPIC)).find((m) => m.headers.ce_id === rejectionId('ps', 'resident-identity', undefined, read));
    expect(letter?.value?.length).toBeLessThan(1024 * 1024);
    const parsed = JSON.parse(letter!.value!.toString()) as DeadLetter;
    expect(parsed).toMatchObject({ field: 'GMSFHM', reason: 'longer than 4096 characters: it has 900000', source: { name, row: 2 }, originalTruncated: true, originalSha256: createHash('sha256').update(JSON.stringify(read)).digest('hex') });
  });

  it('moves a workbook cut short to failed/ with its reason, and goes on with the next file of the inbox', async () => {
    const { rows, bad } = residentRows(20, uniqueName('after-cut'));
    const workbook = await dropFile(join(folder, 'inbox'), 'a-cut', 'xlsx', rows, residentColumns);
    const bytes = readFileSync(join(folder, 'inbox', workbook));
    writeFileSync(join(folder, 'inbox', workbook), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const next = await dropFile(join(folder, 'inbox'), 'b-after-cut', 'csv-utf8', rows, residentColumns);
    await source.poll(); // notes both
    const results = await source.poll();
    expect(results.map((r) => [r.name, r.result])).toEqual([[workbook, 'failed'], [next, 'done']]);
    expect(readFileSync(join(folder, 'failed', `${workbook}.error.txt`), 'utf8')).toMatch(/^XLSX cannot be read: it is not a ZIP file .*or it is cut short/);
    expect(results[1]).toMatchObject({ accepted: rows.length - bad.length, rejected: bad.length });
  });
});
