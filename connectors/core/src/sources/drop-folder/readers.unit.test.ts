import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { batchesOf } from './batches.ts';
import { incompleteUtf8Tail, inspectFile } from './inspect.ts';
import { FileReadError, readRows, type ReadRow } from './readers.ts';

const dir = mkdtempSync(join(tmpdir(), 'drop-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all(rows: AsyncIterable<ReadRow>): Promise<ReadRow[]> {
  const result: ReadRow[] = [];
  for await (const row of rows) result.push(row);
  return result;
}

const csvText = 'GMSFHM,XM,ZZ\n450102198503121233,韦建国,"南宁市兴宁区民生路88号, 3栋"\n450102199001011234,黄秀兰,朝阳路12号\n';

describe('reading drop-folder files', () => {
  it('tells UTF-8 (with or without BOM) from GBK over the whole file', async () => {
    const utf8 = join(dir, 'utf8.csv');
    const bom = join(dir, 'bom.csv');
    const gbk = join(dir, 'gbk.csv');
    const lateGbk = join(dir, 'late-gbk.csv');
    writeFileSync(utf8, csvText);
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText)]));
    writeFileSync(gbk, iconv.encode(csvText, 'gbk'));
    // 200 KB of ASCII before the first Chinese character: a sample of the head would say UTF-8.
    writeFileSync(lateGbk, Buffer.concat([Buffer.from('A,B\n' + 'x,y\n'.repeat(50_000)), iconv.encode('韦,建国\n', 'gbk')]));
    expect((await inspectFile(utf8)).utf8).toBe(true);
    expect((await inspectFile(bom)).utf8).toBe(true);
    expect((await inspectFile(gbk)).utf8).toBe(false);
    expect((await inspectFile(lateGbk)).utf8).toBe(false);
    expect((await inspectFile(utf8)).fileId).not.toBe((await inspectFile(bom)).fileId);

    for (const [path, utf8Flag] of [[utf8, true], [bom, true], [gbk, false]] as const) {
      const rows = await all(readRows(path, '.csv', { utf8: utf8Flag }));
      expect(rows.map((r) => r.record)).toEqual([
        { GMSFHM: '450102198503121233', XM: '韦建国', ZZ: '南宁市兴宁区民生路88号, 3栋' },
        { GMSFHM: '450102199001011234', XM: '黄秀兰', ZZ: '朝阳路12号' },
      ]);
    }
  });

  it('reads a UTF-8 export with a few stray bytes as UTF-8, rejecting only the damaged field (found by fuzzing: it was read as GBK, every Chinese text garbled)', async () => {
    const stray = join(dir, 'stray.csv');
    const [header, first, second] = csvText.trim().split('\n') as [string, string, string];
    writeFileSync(stray, Buffer.concat([Buffer.from(`${header}\n${first}\n`), Buffer.from('450102199001011234,黄'), Buffer.from([0xff, 0xc3]), Buffer.from(`秀兰,朝阳路12号\n${second}\n`)]));
    const inspection = await inspectFile(stray);
    expect(inspection.utf8).toBe(true);
    const rows = await all(readRows(stray, '.csv', { utf8: inspection.utf8 }));
    expect(rows[0]).toEqual({ record: { GMSFHM: '450102198503121233', XM: '韦建国', ZZ: '南宁市兴宁区民生路88号, 3栋' } });
    expect(rows[1]?.error).toEqual([{ field: 'XM', reason: 'holds bytes that are not UTF-8 text (shown as U+FFFD at character 2): the export is damaged here' }]);
    expect(rows[2]).toEqual({ record: { GMSFHM: '450102199001011234', XM: '黄秀兰', ZZ: '朝阳路12号' } });

    // Wherever the damaged row is: in the last row without a line end, or after chunks of clean text.
    const late = join(dir, 'late-stray.csv');
    const clean = Array.from({ length: 20_000 }, (_, i) => `45010219850312${String(i).padStart(4, '0')},韦建国,朝阳路${i}号`).join('\n');
    const damaged = Buffer.concat([Buffer.from('450102199001011234,黄'), Buffer.from([0xff]), Buffer.from('秀兰,朝阳路12号')]);
    writeFileSync(late, Buffer.concat([Buffer.from(`${header}\n${clean}\n`), damaged, Buffer.from(`\n${clean}\n`), damaged]));
    const lateRows = await all(readRows(late, '.csv', { utf8: true }));
    expect(lateRows).toHaveLength(40_002);
    expect(lateRows.flatMap((row, i) => (row.error ? [[i, row.error.map((e) => e.field)]] : []))).toEqual([[20_000, ['XM']], [40_001, ['XM']]]);

    // GBK stays GBK: read as UTF-8 it is mostly invalid; a stray byte of it is a rejected field too.
    const gbk = join(dir, 'gbk-stray.csv');
    writeFileSync(gbk, Buffer.concat([iconv.encode(`${header}\n${first}\n`, 'gbk'), Buffer.from([0xff]), iconv.encode(`${second}\n`, 'gbk')]));
    expect((await inspectFile(gbk)).utf8).toBe(false);
    const gbkRows = await all(readRows(gbk, '.csv', { utf8: false }));
    expect(gbkRows[0]).toEqual({ record: { GMSFHM: '450102198503121233', XM: '韦建国', ZZ: '南宁市兴宁区民生路88号, 3栋' } });
    expect(gbkRows[1]?.error?.map((e) => e.field)).toEqual(['GMSFHM']);

    // 韦 in GBK (CE A4) is valid UTF-8 (U+03A4): a GBK export full of it is still GBK.
    const wei = join(dir, 'gbk-wei.csv');
    writeFileSync(wei, Buffer.concat([iconv.encode(`${header}\n${first}\n450102199001011234,${'韦'.repeat(5_000)},朝阳路\n`, 'gbk')]));
    expect((await inspectFile(wei)).utf8).toBe(false);
  });

  it('finds multi-byte sequences cut at a chunk boundary', () => {
    const han = Buffer.from('韦'); // three bytes
    expect(incompleteUtf8Tail(han)).toBe(0);
    expect(incompleteUtf8Tail(han.subarray(0, 2))).toBe(2);
    expect(incompleteUtf8Tail(han.subarray(0, 1))).toBe(1);
    expect(incompleteUtf8Tail(Buffer.from('abc'))).toBe(0);
  });

  it('reads JSON Lines, turning a malformed line into a rejected record', async () => {
    const path = join(dir, 'a.jsonl');
    writeFileSync(path, '\uFEFF{"XM":"韦建国","NL":40,"SF":true,"DZ":{"a":1}}\n\n{oops\n[1,2]\n{"XM":"黄秀兰"}\n');
    const rows = await all(readRows(path, '.jsonl', { utf8: true }));
    expect(rows).toEqual([
      { record: { XM: '韦建国', NL: 40, SF: true, DZ: '{"a":1}' } },
      { record: { line: '{oops' }, error: [{ field: '(record)', reason: expect.stringMatching(/^line 3 is not valid JSON/) }] },
      { record: { line: '[1,2]' }, error: [{ field: '(record)', reason: 'line 4 is not a JSON object' }] },
      { record: { XM: '黄秀兰' } },
    ]);
  });

  it('streams XLSX: the header row names the columns, dates become text', async () => {
    const path = join(dir, 'a.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('人口');
    sheet.addRow(['GMSFHM', 'XM', 'CSRQ', 'GXSJ', 'NL']);
    sheet.addRow(['450102198503121233', { richText: [{ text: '韦' }, { text: '建国' }] }, new Date(Date.UTC(1985, 2, 12)), new Date(Date.UTC(2025, 0, 6, 10, 11, 0)), 40]);
    sheet.getCell('C2').numFmt = 'yyyy-mm-dd';
    sheet.getCell('D2').numFmt = 'yyyy-mm-dd hh:mm:ss';
    sheet.addRow([]);
    sheet.addRow(['450102199001011234', '黄秀兰', '19900101', null, { formula: '1+1', result: 2 }]);
    await workbook.xlsx.writeFile(path);
    const rows = await all(readRows(path, '.xlsx', { utf8: true }));
    expect(rows.map((r) => r.record)).toEqual([
      { GMSFHM: '450102198503121233', XM: '韦建国', CSRQ: '1985-03-12', GXSJ: '20250106101100', NL: 40 },
      { GMSFHM: '450102199001011234', XM: '黄秀兰', CSRQ: '19900101', GXSJ: undefined, NL: 2 },
    ]);
  });

  it('keeps Chinese text intact across the chunks of a large XLSX (exceljs alone corrupts some)', async () => {
    const path = join(dir, 'large.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
    const sheet = writer.addWorksheet('人口');
    sheet.addRow(['XM', 'ZZ']).commit();
    const expected = Array.from({ length: 3_000 }, (_, i) => ({ XM: `韦建国${i}`, ZZ: `广西壮族自治区南宁市兴宁区民生路${i}号` }));
    for (const row of expected) sheet.addRow([row.XM, row.ZZ]).commit();
    sheet.commit();
    await writer.commit();
    const rows = await all(readRows(path, '.xlsx', { utf8: true }));
    expect(rows.map((r) => r.record)).toEqual(expected);
  });

  it('reads CSV as RFC 4180 has it, across the chunks it is read in, with the line ending of its first line', async () => {
    const address = `"${'广西壮族自治区南宁市'.repeat(20_000)}\n2栋, ""东""门"`; // 600,000 bytes: spans the reader's chunks
    const lines = ['A, B ,C', `1,${address},x`, '', '2,short', '3,b,c,extra', `4,"a\r\nb",c`];
    for (const lineEnd of ['\n', '\r\n', '\r']) {
      const path = join(dir, `rfc${lineEnd.length}${lineEnd.charCodeAt(0)}.csv`);
      writeFileSync(path, lineEnd === '\r' ? lines.filter((l) => !l.includes('\r')).join(lineEnd) : lines.join(lineEnd) + lineEnd);
      const rows = (await all(readRows(path, '.csv', { utf8: true }))).map((r) => r.record);
      expect(rows[0]).toEqual({ A: '1', B: `${'广西壮族自治区南宁市'.repeat(20_000)}\n2栋, "东"门`, C: 'x' });
      expect(rows.slice(1, 3)).toEqual([{ A: '2', B: 'short' }, { A: '3', B: 'b', C: 'c' }]); // fewer fields, more fields
      if (lineEnd !== '\r') expect(rows[3]).toEqual({ A: '4', B: 'a\r\nb', C: 'c' });
      expect(rows).toHaveLength(lineEnd === '\r' ? 3 : 4);
    }
  });

  it('keeps the last of a repeated column, and fails a file at a closing quote followed by text after reading the rows before it', async () => {
    const path = join(dir, 'quotes.csv');
    writeFileSync(path, 'A,A,B\n1,2,3\n4,"5"x,6\n7,8,9\n');
    const read: ReadRow[] = [];
    await expect((async () => { for await (const row of readRows(path, '.csv', { utf8: true })) read.push(row); })())
      .rejects.toThrow('CSV cannot be read: a closing quote is followed by text (row 3 of the file)');
    expect(read).toEqual([{ record: { A: '2', B: '3' } }]);
  });

  it('fails a corrupt XLSX and a broken CSV as unreadable files', async () => {
    const xlsx = join(dir, 'corrupt.xlsx');
    writeFileSync(xlsx, Buffer.from('PK\u0003\u0004 this is not really a zip file at all'));
    await expect(all(readRows(xlsx, '.xlsx', { utf8: true }))).rejects.toBeInstanceOf(FileReadError);
    const csv = join(dir, 'broken.csv');
    writeFileSync(csv, 'A,B\n1,"unclosed\n');
    await expect(all(readRows(csv, '.csv', { utf8: true }))).rejects.toBeInstanceOf(FileReadError);
  });

  it('batches rows after skipping the ones already published, keeping row numbers', async () => {
    async function* rows(): AsyncGenerator<ReadRow> {
      for (let i = 1; i <= 7; i += 1) yield i === 6 ? { record: { line: 'x' }, error: [{ field: '(record)', reason: 'bad' }] } : { record: { n: i } };
    }
    const batches = [];
    for await (const batch of batchesOf(rows(), 3, 2)) batches.push(batch);
    expect(batches.map((b) => [b.firstRow, b.records.length])).toEqual([[3, 3], [6, 2]]);
    expect(batches[1]!.readErrors).toEqual(new Map([[0, [{ field: '(record)', reason: 'bad' }]]]));
  });
});

describe('bounded reading', () => {
  const limits = { maxLineBytes: 64 * 1024, maxJsonDepth: 32, maxInflatedBytes: 512 * 1024 * 1024 };

  it('reads a JSON line over the line bound, or nested too deep, as one rejected row, and goes on', async () => {
    const path = join(dir, 'poison.jsonl');
    writeFileSync(path, [
      JSON.stringify({ GMSFHM: '450102198503121233', XM: '韦建国' }),
      JSON.stringify({ GMSFHM: '4'.repeat(100_000) }),
      `{"XM":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
      JSON.stringify({ GMSFHM: '450102199001011234', XM: '黄秀兰' }),
    ].join('\n'));
    const rows = await all(readRows(path, '.jsonl', { utf8: true, limits }));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ record: { GMSFHM: '450102198503121233', XM: '韦建国' } });
    expect(rows[1]!.error).toEqual([{ field: '(record)', reason: 'line 2 is 100013 bytes, longer than the 65536 allowed' }]);
    expect(String(rows[1]!.record.line)).toHaveLength(1_024);
    expect(rows[2]!.error).toEqual([{ field: '(record)', reason: 'line 3 nests deeper than 32 levels' }]);
    expect(rows[3]).toEqual({ record: { GMSFHM: '450102199001011234', XM: '黄秀兰' } });
  });

  it('refuses a CSV record over the line bound naming it (a quote never closed cannot be read past)', async () => {
    const path = join(dir, 'unclosed.csv');
    writeFileSync(path, `GMSFHM,XM\n1,"${'x'.repeat(100_000)}\n2,b\n`);
    await expect(all(readRows(path, '.csv', { utf8: true, limits }))).rejects.toThrow(/a record is longer than 65536 bytes/);
  });

  it('refuses an XLSX that is not a ZIP, is cut short, or would inflate past its bound, before inflating it', async () => {
    const good = join(dir, 'bound.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['GMSFHM', 'XM']);
    for (let i = 0; i < 200; i += 1) sheet.addRow([`45010219850312${String(i).padStart(4, '0')}`, '韦建国']);
    await workbook.xlsx.writeFile(good);
    expect(await all(readRows(good, '.xlsx', { utf8: true, limits }))).toHaveLength(200);

    const notZip = join(dir, 'not-a-zip.xlsx');
    writeFileSync(notZip, 'GMSFHM,XM\n1,2\n');
    await expect(all(readRows(notZip, '.xlsx', { utf8: true, limits }))).rejects.toThrow(/^XLSX cannot be read: it is not a ZIP file/);
    const cut = join(dir, 'cut.xlsx');
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    await expect(all(readRows(cut, '.xlsx', { utf8: true, limits }))).rejects.toThrow(FileReadError);
    await expect(all(readRows(good, '.xlsx', { utf8: true, limits: { ...limits, maxInflatedBytes: 4_096 } }))).rejects.toThrow(/would inflate to \d+ bytes, more than the 4096 a workbook may/);
  });
});
