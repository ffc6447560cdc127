import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NativeRecord } from '@hub/connector-core';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Random } from './random.ts';
import { type Defect, type ResourceSimulator, type SimulationContext, simulateRecords } from './records.ts';

/** Drop-folder file formats as departmental systems export them. */
export type DropFileFormat = 'csv' | 'jsonl' | 'xlsx';

/**
 * CSV exports come as UTF-8, or GBK from older Windows systems (Excel's default
 * for Chinese). 'gbk' is written as GB 18030, GBK's superset and the mandatory
 * national standard: the same bytes for every GBK character, four bytes for the
 * rest (rare characters of names and place names such as 那𡌶村, which plain GBK
 * would turn into '?').
 */
export type CsvEncoding = 'utf8' | 'gbk';

export interface DropFileOptions {
  readonly format: DropFileFormat;
  /** Native column names, in the header's order. */
  readonly columns: readonly string[];
  /** CSV only; UTF-8 by default. */
  readonly encoding?: CsvEncoding;
  /** CSV in UTF-8 only: start with a byte-order mark, as Excel writes "CSV UTF-8". */
  readonly bom?: boolean;
}

type Records = Iterable<NativeRecord> | AsyncIterable<NativeRecord>;

/** Rows joined into one chunk before writing: fewer, larger writes. */
const ROWS_PER_CHUNK = 1_000;

/** A CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: NativeRecord[string]): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line with its CRLF, the values taken in `columns` order. */
export function csvLine(record: NativeRecord, columns: readonly string[]): string {
  return `${columns.map((column) => csvField(record[column])).join(',')}\r\n`;
}

async function* csvChunks(records: Records, columns: readonly string[], counter: { rows: number }): AsyncGenerator<string> {
  let chunk = columns.map((column) => csvField(column)).join(',') + '\r\n';
  for await (const record of records) {
    chunk += csvLine(record, columns);
    counter.rows += 1;
    if (counter.rows % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

async function* jsonlChunks(records: Records, counter: { rows: number }): AsyncGenerator<string> {
  let chunk = '';
  for await (const record of records) {
    chunk += `${JSON.stringify(record)}\n`;
    counter.rows += 1;
    if (counter.rows % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Writes a drop-folder file of native records, streaming: records are pulled
 * one at a time and written in chunks with backpressure, so a million rows
 * never sit in memory. CSV has a header row of the native column names; JSON
 * Lines writes each record as it is; XLSX has one sheet with a header row.
 */
export async function writeDropFile(path: string, records: Records, options: DropFileOptions): Promise<{ rows: number }> {
  const counter = { rows: 0 };
  if (options.format === 'xlsx') {
    await writeXlsx(path, records, options.columns, counter);
    return counter;
  }
  const text = options.format === 'csv' ? csvChunks(records, options.columns, counter) : jsonlChunks(records, counter);
  const gbk = options.format === 'csv' && options.encoding === 'gbk';
  const bom = options.format === 'csv' && !gbk && options.bom === true;
  const source = Readable.from(bom ? prefixed('\uFEFF', text) : text);
  if (gbk) await pipeline(source, iconv.encodeStream('gb18030') as Transform, createWriteStream(path));
  else await pipeline(source, createWriteStream(path));
  return counter;
}

async function* prefixed(first: string, rest: AsyncIterable<string>): AsyncGenerator<string> {
  yield first;
  yield* rest;
}

/**
 * exceljs's streaming writer commits each row to a zip stream; every chunk of
 * rows the writer waits for the file to drain and lets zlib catch up, which
 * keeps memory flat.
 */
async function writeXlsx(path: string, records: Records, columns: readonly string[], counter: { rows: number }): Promise<void> {
  const file = createWriteStream(path);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow([...columns]).commit();
  for await (const record of records) {
    sheet.addRow(columns.map((column) => cellValue(record[column]))).commit();
    counter.rows += 1;
    if (counter.rows % ROWS_PER_CHUNK === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (file.writableNeedDrain) await once(file, 'drain');
    }
  }
  sheet.commit();
  await workbook.commit();
  if (!file.closed) await once(file, 'close');
}

/** Text stays text (ID numbers keep their leading digits exact); blanks are empty cells. */
function cellValue(value: NativeRecord[string]): string | number | boolean | null {
  return value === undefined ? null : value;
}

/** A row the simulator spoilt on purpose: its 1-based data row (after the header) and how. */
export interface BadRow extends Defect {
  readonly row: number;
}

export interface SimulatedFileOptions {
  readonly simulator: ResourceSimulator;
  readonly count: number;
  readonly badShare: number;
  readonly random: Random;
  readonly context: SimulationContext;
  readonly format: DropFileFormat;
  readonly encoding?: CsvEncoding;
}

/** A drop-folder file of simulated records, and which rows are bad and why (for tests and the benchmark). */
export async function writeSimulatedFile(path: string, options: SimulatedFileOptions): Promise<{ rows: number; bad: BadRow[] }> {
  const bad: BadRow[] = [];
  let row = 0;
  function* natives(): Generator<NativeRecord> {
    for (const { native, defect } of simulateRecords(options.simulator, options.random, options.context, options)) {
      row += 1;
      if (defect !== undefined) bad.push({ row, ...defect });
      yield native;
    }
  }
  const { rows } = await writeDropFile(path, natives(), {
    format: options.format,
    columns: options.simulator.mapping.nativeColumns,
    encoding: options.encoding ?? 'utf8',
  });
  return { rows, bad };
}
