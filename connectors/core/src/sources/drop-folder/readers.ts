import { createReadStream } from 'node:fs';
import { pipeline, type Transform } from 'node:stream';
import Papa from 'papaparse';
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

/**
 * CSV as departmental systems export it: a header row of native column names, UTF-8 (BOM or not) or GBK.
 * RFC 4180 (quoted fields may hold delimiters, doubled quotes and line breaks), the line ending of the
 * file's first line, empty lines skipped; a row with fewer fields than the header has only those, one
 * with more has the extra ones left out, and a repeated column name keeps its last value. A quote left
 * open or followed by text (`"a"b`) cannot be read past: the rows before it are read, then the file fails.
 *
 * Papa Parse's core parser, fed the decoded text chunk by chunk (about four times cheaper per row than
 * csv-parse on the ingest bench's rows; uDSV was cheaper still but only reads well-formed files).
 */
async function* csvRows(path: string, utf8: boolean, limits: FileLimits): AsyncGenerator<ReadRow> {
  const file = createReadStream(path, { highWaterMark: CSV_CHUNK_BYTES, ...(utf8 ? { encoding: 'utf8' as const } : {}) });
  const text: AsyncIterable<string> = utf8 ? file : pipeline(file, iconv.decodeStream('gb18030') as unknown as Transform, () => undefined);
  let parser: Papa.Parser | undefined;
  let header: string[] | undefined;
  let rest = '';
  let rowNumber = 0;
  /** `clean`: the text the rows were parsed from holds no U+FFFD, so no field of theirs does. */
  const records = function* (rows: readonly string[][], clean: boolean): Generator<ReadRow> {
    for (const row of rows) {
      rowNumber += 1;
      if (row.length === 1 && row[0] === '') continue; // an empty line
      if (!header) {
        header = row.map((name) => name.trim());
        continue;
      }
      const record: Record<string, string> = {};
      const width = Math.min(row.length, header.length);
      for (let i = 0; i < width; i += 1) record[header[i]!] = row[i]!;
      const damaged = clean ? [] : undecodedFields(record, utf8);
      yield damaged.length > 0 ? { record, error: damaged } : { record };
    }
  };
  /** The rows complete in `input` (all of them when `last`), and why the file cannot be read past them. */
  const parsed = (input: string, last: boolean): { rows: string[][]; failure?: FileReadError } => {
    const result = parser!.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    const quotes = result.errors.find((error) => error.type === 'Quotes');
    if (quotes) {
      const reason = quotes.code === 'MissingQuotes' ? 'a quoted field is never closed' : 'a closing quote is followed by text';
      return { rows: result.data.slice(0, quotes.row ?? 0), failure: new FileReadError(`CSV cannot be read: ${reason} (row ${rowNumber + (quotes.row ?? 0) + 1} of the file)`) };
    }
    rest = last ? '' : input.slice(result.meta.cursor);
    if (rest.length * 3 > limits.maxLineBytes && Buffer.byteLength(rest) > limits.maxLineBytes) {
      return { rows: result.data, failure: new FileReadError(`CSV cannot be read: a record is longer than ${limits.maxLineBytes} bytes`) };
    }
    return { rows: result.data };
  };
  const csvParser = (lineEnd: ReturnType<typeof lineEndOf>) => new Papa.Parser({ delimiter: ',', newline: lineEnd ?? '\n', quoteChar: '"' });
  try {
    for await (const chunk of text) {
      let input = rest + chunk;
      if (!parser) {
        if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
        const lineEnd = lineEndOf(input);
        if (lineEnd === undefined && input.length < CSV_CHUNK_BYTES) { rest = input; continue; } // no line ended yet
        parser = csvParser(lineEnd);
      }
      const { rows, failure } = parsed(input, false);
      yield* records(rows, !input.includes('\uFFFD'));
      if (failure) throw failure;
    }
    if (rest !== '' || parser) {
      parser ??= csvParser(lineEndOf(rest));
      const clean = !rest.includes('\uFFFD');
      const { rows, failure } = parsed(rest, true);
      yield* records(rows, clean);
      if (failure) throw failure;
    }
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(`CSV cannot be read: ${messageOf(error)}`, { cause: error });
  }
}

/** Text decoded per read of a CSV file. */
const CSV_CHUNK_BYTES = 256 * 1024;

/** The line ending of the first line (`\r\n`, `\n` or `\r`), or undefined when none has ended yet. */
function lineEndOf(text: string): '\r\n' | '\n' | '\r' | undefined {
  const newline = text.indexOf('\n');
  const carriage = text.indexOf('\r');
  if (newline === -1 && carriage === -1) return undefined;
  if (carriage === -1 || (newline !== -1 && newline < carriage)) return '\n';
  return text[carriage + 1] === '\n' ? '\r\n' : '\r';
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
