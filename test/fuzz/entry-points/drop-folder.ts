import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { createDropFolderSource, dropFolderOf, recordEventId, type DropFolderSource } from '@hub/connector-core';
import { residentColumns, residentMapping } from '@hub/connector-core/testing';
import { csvInput, jsonLinesInput, xlsxInput, type CsvInput, type JsonLinesInput, type XlsxInput } from '../arbitraries/files.ts';
import { jsonText } from '../arbitraries/values.ts';
import type { Answer, EntryPoint } from '../kit/entry-point.ts';
import { coreResident, goodResidents } from '../kit/good-records.ts';
import type { CoreHarness } from './core-harness.ts';
import { committedIds } from './gateway.ts';

const TOPIC = 'records.ps.resident-identity';
/** An XLSX may inflate to 4 MiB here (512 MiB by default): a ZIP bomb is then cheap enough to send thousands of. */
export const FUZZ_MAX_INFLATED_BYTES = 4 * 1024 * 1024;
const HUGE = 10 * 1024 * 1024;

export interface DropFoldersUnderFuzz {
  csvUtf8: EntryPoint<CsvInput>;
  csvGbk: EntryPoint<CsvInput>;
  jsonLines: EntryPoint<JsonLinesInput>;
  xlsx: EntryPoint<XlsxInput>;
  close(): Promise<void>;
}

/** A value as an exporter writes it: objects (some without a prototype, so no toString) as their JSON. */
const asText = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'object' ? jsonText(value) : String(value));
const csvField = (value: unknown): string => {
  const text = asText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export async function dropFoldersUnderFuzz(h: CoreHarness): Promise<DropFoldersUnderFuzz> {
  const residents = goodResidents();
  const template = coreResident(residents.next());
  const sources: DropFolderSource[] = [];
  let fileNumber = 0;

  /** A drop folder of its own, a file dropped into its inbox, the inbox listed until the file is handled. */
  async function folderFor(name: string) {
    const { ledger, publisher } = await h.open(`fuzz-${name}`);
    const folder = dropFolderOf(h.dataDir, 'ps', `resident-identity-${name}`);
    mkdirSync(join(folder, 'inbox'), { recursive: true });
    const source = createDropFolderSource({
      folder, source: `ps/resident-identity-${name}`, mapping: residentMapping, publisher, ledger, logger: h.logger,
      fileLimits: { maxInflatedBytes: FUZZ_MAX_INFLATED_BYTES },
    });
    sources.push(source);
    return async (extension: string, bytes: Buffer, goodIds: readonly string[]): Promise<Answer> => {
      fileNumber += 1;
      const file = `f${fileNumber}${extension}`;
      writeFileSync(join(folder, 'inbox', file), bytes);
      for (let listing = 0; listing < 3; listing += 1) {
        const result = (await source.poll()).find((r) => r.name === file);
        if (!result) continue;
        if (result.result === 'failed') return { status: 422, reason: result.reason, expected: [], refusedGood: 0 };
        return { status: 200, expected: goodIds, refusedGood: 0 };
      }
      return { status: 500, reason: `${file} was left in the inbox`, expected: [], refusedGood: 0 };
    };
  }
  /**
   * FUZZ_FOLDERS folders of one format (each its own connector and transactions), one input at a time
   * in each: files of one folder are taken one after another, as in the host.
   */
  const FOLDERS = Number(process.env.FUZZ_FOLDERS ?? 1);
  async function poolOf(name: string): Promise<Awaited<ReturnType<typeof folderFor>>> {
    const free = await Promise.all(Array.from({ length: FOLDERS }, (_, i) => folderFor(FOLDERS === 1 ? name : `${name}-${i}`)));
    return async (extension, bytes, goodIds) => {
      const drop = free.pop();
      if (!drop) throw new Error(`more inputs at once than the ${FOLDERS} folders of ${name}`);
      try {
        return await drop(extension, bytes, goodIds);
      } finally {
        free.push(drop);
      }
    };
  }
  const missing = async (expected: ReadonlySet<string>) => {
    const committed = await committedIds(h.kafka, TOPIC);
    return [...expected].filter((id) => !committed.has(id));
  };
  const idOf = (good: Record<string, string>) => recordEventId('ps', 'resident-identity', good.GMSFHM, good);

  function csvEntry(encoding: 'utf8' | 'gbk'): Promise<EntryPoint<CsvInput>> {
    const encode = (text: string) => (encoding === 'utf8' ? Buffer.from(text) : iconv.encode(text, 'gbk'));
    return poolOf(`csv-${encoding}`).then((drop) => ({
      name: `drop folder, CSV ${encoding === 'utf8' ? 'UTF-8' : 'GBK'}`,
      arbitrary: csvInput(residentColumns, template),
      concurrency: FOLDERS,
      async send({ rows, goodAt, bom, lineEnd, hugeAt }: CsvInput) {
        const good = coreResident(residents.next());
        const at = Math.min(goodAt, rows.length);
        const all = [...rows.slice(0, at), { record: good }, ...rows.slice(at)];
        const line = (row: (typeof all)[number], i: number): Buffer => {
          if (i === hugeAt && i !== at) return encode(residentColumns.map((c, n) => (n === 1 ? 'X'.repeat(HUGE) : csvField(template[c]))).join(','));
          if ('record' in row) return encode(residentColumns.map((c) => csvField(row.record[c])).join(','));
          if ('strayIn' in row) {
            const values = residentColumns.map((c) => csvField(template[c]));
            const before = values.slice(0, row.strayIn + 1).join(',');
            return Buffer.concat([encode(before), Buffer.from(row.bytes), encode(values.slice(row.strayIn + 1).map((v) => `,${v}`).join(''))]);
          }
          if ('bytes' in row) return Buffer.from(row.bytes);
          return encode(row.text);
        };
        const parts = [encode(residentColumns.join(',')), ...all.map(line)];
        const body = Buffer.concat(parts.flatMap((part) => [part, Buffer.from(lineEnd)]));
        const bytes = bom && encoding === 'utf8' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
        // After a quote left open the good row is text of that quoted field (RFC 4180: a field may span
        // lines, as addresses do), not a row of the file: it was not sent as a record, so none is expected.
        const before = Buffer.concat(parts.slice(0, at + 1));
        const insideQuotes = before.filter((byte) => byte === 0x22).length % 2 === 1;
        return drop('.csv', bytes, insideQuotes ? [] : [idOf(good)]);
      },
      missing,
    }));
  }

  const jsonLinesDrop = await poolOf('jsonl');
  const jsonLines: EntryPoint<JsonLinesInput> = {
    name: 'drop folder, JSON Lines',
    arbitrary: jsonLinesInput(residentColumns, template),
    concurrency: FOLDERS,
    async send({ lines, goodAt, bom, lineEnd, hugeAt }) {
      const good = coreResident(residents.next());
      const at = Math.min(goodAt, lines.length);
      const all = [...lines.slice(0, at), { record: good }, ...lines.slice(at)];
      const parts = all.map((line, i) => {
        if (i === hugeAt && i !== at) return Buffer.from(`{"XM":"${'X'.repeat(HUGE)}"}`);
        if ('record' in line) return Buffer.from(jsonText(line.record));
        if ('bytes' in line) return Buffer.from(line.bytes);
        return Buffer.from(line.text);
      });
      const body = Buffer.concat(parts.flatMap((part) => [part, Buffer.from(lineEnd)]));
      return jsonLinesDrop('.jsonl', bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body, [idOf(good)]);
    },
    missing,
  };

  const xlsxDrop = await poolOf('xlsx');
  const cell = (value: unknown): string | number | boolean | null => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    return asText(value).slice(0, 32_767); // a cell holds at most 32,767 characters (Excel)
  };
  const workbook = async (rows: ReadonlyArray<Record<string, unknown>>): Promise<Buffer> => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('data');
    sheet.addRow([...residentColumns]);
    for (const row of rows) sheet.addRow(residentColumns.map((c) => cell(row[c])));
    return Buffer.from(await book.xlsx.writeBuffer());
  };
  const plain = await workbook([template]);
  const bombs = { declared: await zipBomb(plain, true), undeclared: await zipBomb(plain, false) };
  const xlsx: EntryPoint<XlsxInput> = {
    name: 'drop folder, XLSX',
    arbitrary: xlsxInput(residentColumns, template),
    concurrency: FOLDERS,
    async send(input) {
      switch (input.kind) {
        case 'workbook': {
          const good = coreResident(residents.next());
          const at = Math.min(input.goodAt, input.rows.length);
          const bytes = await workbook([...input.rows.slice(0, at), good, ...input.rows.slice(at)]);
          return xlsxDrop('.xlsx', bytes, [idOf(good)]);
        }
        case 'truncated':
          return xlsxDrop('.xlsx', plain.subarray(0, Math.floor(plain.length * input.at)), []);
        case 'flipped': {
          const bytes = Buffer.from(plain);
          bytes[Math.floor(bytes.length * input.at)] = input.byte;
          return xlsxDrop('.xlsx', bytes, []);
        }
        case 'not-a-zip':
          return xlsxDrop('.xlsx', Buffer.from(input.bytes), []);
        case 'bomb':
          return xlsxDrop('.xlsx', input.declared ? bombs.declared : bombs.undeclared, []);
        default: {
          const _exhaustive: never = input;
          return _exhaustive;
        }
      }
    },
    missing,
  };

  return {
    csvUtf8: await csvEntry('utf8'),
    csvGbk: await csvEntry('gbk'),
    jsonLines,
    xlsx,
    async close() {
      for (const source of sources) await source.stop();
    },
  };
}

/**
 * A workbook whose sheet inflates to twice the bound: `declared`, saying so in
 * its central directory (refused before inflating); otherwise claiming a few
 * hundred bytes in both headers (caught while inflating).
 */
async function zipBomb(workbook: Buffer, declared: boolean): Promise<Buffer> {
  const zip = await JSZip.loadAsync(workbook);
  const sheet = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    + `<row r="1"><c r="A1" t="inlineStr"><is><t>${'0'.repeat(2 * FUZZ_MAX_INFLATED_BYTES)}</t></is></c></row></sheetData></worksheet>`;
  zip.file('xl/worksheets/sheet1.xml', sheet, { compression: 'DEFLATE' });
  const bytes = Buffer.from(await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  if (declared) return bytes;
  // Every local header (PK\3\4, size at +22) and central directory entry (PK\1\2, size at +24) claims 300 bytes.
  for (let i = 0; i < bytes.length - 30; i += 1) {
    if (bytes.readUInt32LE(i) === 0x04034b50 && bytes.readUInt32LE(i + 22) > FUZZ_MAX_INFLATED_BYTES) bytes.writeUInt32LE(300, i + 22);
    if (bytes.readUInt32LE(i) === 0x02014b50 && bytes.readUInt32LE(i + 24) > FUZZ_MAX_INFLATED_BYTES) bytes.writeUInt32LE(300, i + 24);
  }
  return bytes;
}
