import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NativeRecord } from '@hub/connector-core';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { beijingDate } from './dates.ts';
import { csvField, writeDropFile, writeSimulatedFile } from './files.ts';
import { simulatedRegion } from './places.ts';
import { mulberry32 } from './random.ts';
import { resourceSimulator, simulateRecords } from './records.ts';

const folder = mkdtempSync(join(tmpdir(), 'simulators-files-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const now = new Date('2025-06-01T04:00:00.000Z');
const context = { region: simulatedRegion(mulberry32(11)), now, today: beijingDate(now) };
const simulator = resourceSimulator('ps.resident-identity');
const columns = simulator.mapping.nativeColumns;

/** 1,000 records with awkward values: commas, quotes and line breaks in the address of some. */
function thousandRecords(): NativeRecord[] {
  const records = [...simulateRecords(simulator, mulberry32(99), context, { badShare: 0.1, count: 1_000 })].map((r) => r.native);
  records[3] = { ...records[3], ZZ: '南宁市兴宁区"朝阳"路12号,3栋' };
  records[7] = { ...records[7], ZZ: '第一行\r\n第二行' };
  return records;
}

/** Every value as the text a CSV reader gives back. */
function asText(record: NativeRecord): Record<string, string> {
  return Object.fromEntries(columns.map((column) => [column, record[column] === null || record[column] === undefined ? '' : String(record[column])]));
}

describe('drop-folder file writers', () => {
  const records = thousandRecords();

  it('quotes CSV fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
  });

  it.each(['utf8', 'gbk'] as const)('writes 1,000 rows of CSV in %s that read back the same', async (encoding) => {
    const path = join(folder, `resident-identity.${encoding}.csv`);
    const { rows } = await writeDropFile(path, records, { format: 'csv', columns, encoding });
    expect(rows).toBe(1_000);
    const bytes = readFileSync(path);
    const text = encoding === 'gbk' ? iconv.decode(bytes, 'gb18030') : bytes.toString('utf8');
    if (encoding === 'gbk') expect(bytes.toString('utf8')).not.toContain('广西');
    expect(text.startsWith(`${columns.join(',')}\r\n`)).toBe(true);
    const read = parse(text, { columns: true }) as Record<string, string>[];
    expect(read).toEqual(records.map(asText));
  });

  it('keeps a place name outside GBK in a GBK export (written as GB 18030), and GBK characters in their GBK bytes', async () => {
    const path = join(folder, 'rare.csv');
    const rare = { ...records[0], ZZ: '来宾市兴宾区蒙村镇那𡌶村9组99号' };
    await writeDropFile(path, [rare], { format: 'csv', columns, encoding: 'gbk' });
    const bytes = readFileSync(path);
    expect(bytes.includes(iconv.encode('来宾市兴宾区蒙村镇那', 'gbk'))).toBe(true);
    const read = parse(iconv.decode(bytes, 'gb18030'), { columns: true }) as Record<string, string>[];
    expect(read[0]?.ZZ).toBe('来宾市兴宾区蒙村镇那𡌶村9组99号');
  });

  it('writes a UTF-8 byte-order mark when asked, as Excel does', async () => {
    const path = join(folder, 'bom.csv');
    await writeDropFile(path, records.slice(0, 2), { format: 'csv', columns, bom: true });
    expect([...readFileSync(path).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('writes 1,000 JSON Lines that read back the same', async () => {
    const path = join(folder, 'resident-identity.jsonl');
    await writeDropFile(path, records, { format: 'jsonl', columns });
    const read = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as NativeRecord);
    expect(read).toEqual(records);
  });

  it('writes 1,000 XLSX rows with a header that read back the same', async () => {
    const path = join(folder, 'resident-identity.xlsx');
    const { rows } = await writeDropFile(path, records, { format: 'xlsx', columns });
    expect(rows).toBe(1_000);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(1_001);
    const cells = (n: number) => columns.map((_c, i) => sheet?.getRow(n).getCell(i + 1).value ?? '');
    expect(cells(1)).toEqual([...columns]);
    const read = Array.from({ length: 1_000 }, (_x, i) => Object.fromEntries(columns.map((column, j) => [column, String(cells(i + 2)[j])])));
    // XML normalises line ends, so a CRLF inside a cell reads back as LF.
    const expected = records.map(asText).map((r) => ({ ...r, ZZ: (r.ZZ ?? '').replaceAll('\r\n', '\n') }));
    expect(read).toEqual(expected);
  });

  it('reports which rows of a simulated file are bad and why', async () => {
    const path = join(folder, 'taxpayers.csv');
    const { rows, bad } = await writeSimulatedFile(path, {
      simulator: resourceSimulator('tax.taxpayer-registration'),
      count: 1_000,
      badShare: 0.1,
      random: mulberry32(5),
      context,
      format: 'csv',
      encoding: 'gbk',
    });
    expect(rows).toBe(1_000);
    expect(bad.length).toBeGreaterThan(60);
    expect(bad.length).toBeLessThan(140);
    const read = parse(iconv.decode(readFileSync(path), 'gb18030'), { columns: true }) as NativeRecord[];
    const mapping = resourceSimulator('tax.taxpayer-registration').mapping;
    for (const { row, field } of bad) {
      const result = mapping.map(read[row - 1] ?? {}, { now, department: 'tax' });
      expect(result.ok ? [] : result.errors.map((e) => e.field)).toContain(field);
    }
  });
});
