import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { boundedLines } from '../../limits/bounded-lines.ts';
import { jsonTooDeep } from '@hub/runtime';
import type { FieldError, NativeRecord } from '../../mapping.ts';
import { Utf8WorkbookReader } from './xlsx-workbook-reader.ts';
import { NotAZipError, zipEntries } from './zip-directory.ts';

/** One record read from a file, or why a line of it could not be read as a record. */
export type ReadRow = { record: NativeRecord; error?: FieldError[] };

/** The file cannot be read at all (corrupt, wrong format): it goes to failed/ with this reason. */
export class FileReadError extends Error {
  override name = 'FileReadError';
}

export const SUPPORTED_EXTENSIONS = ['.csv', '.jsonl', '.ndjson', '.xlsx'] as const;
export type SupportedExtension = (typeof SUPPORTED_EXTENSIONS)[number];

export function isSupportedExtension(extension: string): extension is SupportedExtension {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(extension);
}

/**
 * How much of a file one row may take, and one workbook. A row over a bound is
 * one rejected record; the fields of a row are bounded after it is read
 * (`RecordLimits`), so these only keep a reader's memory bounded.
 */
export interface FileLimits {
  /**
   * Bytes of one line of JSON Lines (longer: that line is a rejected record, the rest
   * of it skipped), and of one CSV record (longer: the file cannot be read past it).
   */
  maxLineBytes: number;
  /** Nesting of a JSON line (arrays and objects); deeper: that line is a rejected record. */
  maxJsonDepth: number;
  /** Bytes an XLSX may inflate to, all its entries together; more: the file goes to failed/. */
  maxInflatedBytes: number;
}

export const DEFAULT_FILE_LIMITS: Readonly<FileLimits> = Object.freeze({
  maxLineBytes: 16 * 1024 * 1024,
  maxJsonDepth: 32,
  maxInflatedBytes: 512 * 1024 * 1024,
});

export function readRows(path: string, extension: SupportedExtension, options: { utf8: boolean; limits?: FileLimits }): AsyncIterable<ReadRow> {
  const limits = options.limits ?? DEFAULT_FILE_LIMITS;
  switch (extension) {
    case '.csv':
      return csvRows(path, options.utf8, limits);
    case '.jsonl':
    case '.ndjson':
      return jsonLines(path, limits);
    case '.xlsx':
      return xlsxRows(path, limits);
    default: {
      const _exhaustive: never = extension;
      throw new FileReadError(`unsupported file type ${String(_exhaustive)}`);
    }
  }
}

/** CSV as departmental systems export it: a header row of native column names, UTF-8 (BOM or not) or GBK. */
async function* csvRows(path: string, utf8: boolean, limits: FileLimits): AsyncGenerator<ReadRow> {
  const parser = parse({
    columns: (header: string[]) => header.map((name) => name.trim()),
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // A field is bounded after the row is read; this bounds the parser's memory (a quote never closed).
    max_record_size: limits.maxLineBytes,
  });
  const stages: Readable[] = utf8 ? [createReadStream(path)] : [createReadStream(path), iconv.decodeStream('gb18030') as unknown as Readable];
  // Errors of any stage reach the parser, and so the loop below.
  pipeline([...stages, parser], () => undefined);
  try {
    for await (const record of parser as AsyncIterable<Record<string, string | undefined>>) {
      const damaged = undecodedFields(record, utf8);
      yield damaged.length > 0 ? { record, error: damaged } : { record };
    }
  } catch (error) {
    const tooLong = (error as { code?: unknown }).code === 'CSV_MAX_RECORD_SIZE';
    throw new FileReadError(tooLong
      ? `CSV cannot be read: a record is longer than ${limits.maxLineBytes} bytes (${messageOf(error)})`
      : `CSV cannot be read: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Fields holding U+FFFD: bytes of the file that are not text in its encoding
 * (a stray byte, a GBK character in a UTF-8 export). Published, the field would
 * be garbled for good; rejected, the department sees which row and field.
 */
function undecodedFields(record: Record<string, string | undefined>, utf8: boolean): FieldError[] {
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (value?.includes('\uFFFD')) errors.push({ field, reason: `holds bytes that are not ${utf8 ? 'UTF-8' : 'GBK (GB 18030)'} text (shown as U+FFFD at character ${value.indexOf('\uFFFD') + 1}): the export is damaged here` });
  }
  return errors;
}

/** JSON Lines: one JSON object per line; a line that is not one becomes a rejected record, not a failed file. */
async function* jsonLines(path: string, limits: FileLimits): AsyncGenerator<ReadRow> {
  const lines = boundedLines(createReadStream(path) as AsyncIterable<Buffer>, limits.maxLineBytes);
  let first = true;
  try {
    for await (const read of lines) {
      const lineNumber = read.number;
      if ('tooLong' in read) {
        first = false;
        yield { record: { line: read.tooLong.head }, error: [{ field: '(record)', reason: `line ${lineNumber} is ${read.tooLong.bytes} bytes, longer than the ${limits.maxLineBytes} allowed` }] };
        continue;
      }
      const line = first ? read.text.replace(/^\uFEFF/, '') : read.text;
      first = false;
      if (line.trim() === '') continue;
      const deep = jsonTooDeep(line, limits.maxJsonDepth);
      if (deep) {
        yield { record: { line }, error: [{ field: '(record)', reason: `line ${lineNumber} nests deeper than ${limits.maxJsonDepth} levels` }] };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        yield { record: { line }, error: [{ field: '(record)', reason: `line ${lineNumber} is not valid JSON: ${messageOf(error)}` }] };
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield { record: { line }, error: [{ field: '(record)', reason: `line ${lineNumber} is not a JSON object` }] };
        continue;
      }
      yield { record: flatten(value as Record<string, unknown>) };
    }
  } catch (error) {
    throw new FileReadError(`JSON Lines cannot be read: ${messageOf(error)}`, { cause: error });
  }
}

/** XLSX (first worksheet), streamed: the first row names the native columns. */
async function* xlsxRows(path: string, limits: FileLimits): AsyncGenerator<ReadRow> {
  let header: string[] | undefined;
  try {
    // Refused before anything is inflated: not a ZIP, cut short, or declaring more than the bound.
    const entries = await zipEntries(path);
    const declared = entries.reduce((n, e) => n + e.uncompressedSize, 0);
    if (declared > limits.maxInflatedBytes) {
      throw new FileReadError(`XLSX cannot be read: it would inflate to ${declared} bytes, more than the ${limits.maxInflatedBytes} a workbook may (a ZIP bomb?)`);
    }
    const workbook = new Utf8WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache', // to tell date cells from numbers
      hyperlinks: 'ignore',
      entries: 'ignore',
    }, limits.maxInflatedBytes);
    for await (const worksheet of workbook) {
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        if (!header) {
          header = values.map((v) => cellText(v)?.toString().trim() ?? '');
          continue;
        }
        const record: NativeRecord = {};
        let empty = true;
        header.forEach((name, column) => {
          if (!name) return;
          const value = cellText(values[column]);
          if (value !== undefined && value !== null && value !== '') empty = false;
          record[name] = value;
        });
        if (!empty) yield { record };
      }
      break; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    if (error instanceof NotAZipError) throw new FileReadError(`XLSX cannot be read: ${error.message}`, { cause: error });
    throw new FileReadError(`XLSX cannot be read: ${messageOf(error)}`, { cause: error });
  }
  if (!header) throw new FileReadError('XLSX has no worksheet with a header row');
}

/** A cell's value as a native value: rich text and hyperlinks as text, formulas as their result, dates as text. */
export function cellText(value: unknown): string | number | boolean | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return excelDateText(value);
  if (typeof value === 'object') {
    const cell = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(cell.richText)) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.error !== undefined) return null;
  }
  return String(value);
}

/**
 * Excel dates have no time zone; exceljs gives them as UTC. A date alone is
 * written yyyy-MM-dd, a date and time yyyyMMddHHmmss, formats the mappings read.
 */
function excelDateText(date: Date): string {
  const iso = date.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.slice(0, 19).replace(/[-T:]/g, '');
}

/** Nested JSON values are kept as their JSON text: native records are flat. */
function flatten(value: Record<string, unknown>): NativeRecord {
  const record: NativeRecord = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null || typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') record[key] = field;
    else if (field !== undefined) record[key] = JSON.stringify(field);
  }
  return record;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
