import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { FieldError, NativeRecord } from '../../mapping.ts';
import { Utf8WorkbookReader } from './xlsx-workbook-reader.ts';

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

export function readRows(path: string, extension: SupportedExtension, options: { utf8: boolean }): AsyncIterable<ReadRow> {
  switch (extension) {
    case '.csv':
      return csvRows(path, options.utf8);
    case '.jsonl':
    case '.ndjson':
      return jsonLines(path);
    case '.xlsx':
      return xlsxRows(path);
    default: {
      const _exhaustive: never = extension;
      throw new FileReadError(`unsupported file type ${String(_exhaustive)}`);
    }
  }
}

/** CSV as departmental systems export it: a header row of native column names, UTF-8 (BOM or not) or GBK. */
async function* csvRows(path: string, utf8: boolean): AsyncGenerator<ReadRow> {
  const parser = parse({
    columns: (header: string[]) => header.map((name) => name.trim()),
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const stages: Readable[] = utf8 ? [createReadStream(path)] : [createReadStream(path), iconv.decodeStream('gb18030') as unknown as Readable];
  // Errors of any stage reach the parser, and so the loop below.
  pipeline([...stages, parser], () => undefined);
  try {
    for await (const record of parser as AsyncIterable<Record<string, string | undefined>>) yield { record };
  } catch (error) {
    throw new FileReadError(`CSV cannot be read: ${messageOf(error)}`, { cause: error });
  }
}

/** JSON Lines: one JSON object per line; a line that is not one becomes a rejected record, not a failed file. */
async function* jsonLines(path: string): AsyncGenerator<ReadRow> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber += 1;
      const line = first ? raw.replace(/^\uFEFF/, '') : raw;
      first = false;
      if (line.trim() === '') continue;
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
async function* xlsxRows(path: string): AsyncGenerator<ReadRow> {
  let header: string[] | undefined;
  try {
    const workbook = new Utf8WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache', // to tell date cells from numbers
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
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
