import { Transform, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';

/**
 * exceljs 4.4's streaming reader decodes every inflated chunk of the XML on its
 * own (a TextDecoder without `stream: true`), so a Chinese character that falls
 * on a chunk boundary becomes U+FFFD: about one record in 300 of a Chinese
 * export came out changed. This reader hands exceljs text already decoded
 * across chunk boundaries (exceljs passes strings through untouched). It
 * overrides exceljs's own entry parsers, so exceljs is pinned to 4.4.x; the
 * XLSX round-trip test of 2,000 Chinese rows guards it.
 */
type Chunks = AsyncIterable<Buffer | string>;

interface WorkbookReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: Chunks, sheetNo: string): Generator<unknown>;
  _parseHyperlinks(iterator: Chunks, sheetNo: string): Generator<unknown>;
}

type WorkbookReaderClass = new (input: string, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) =>
  ExcelJS.stream.xlsx.WorkbookReader & WorkbookReaderInternals;

const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as WorkbookReaderClass;

/**
 * Bytes inflated so far of one workbook, against its bound: the central
 * directory's sizes are checked before reading (`zipEntries`), and this holds a
 * workbook that declares less than it inflates to.
 */
export class InflateBudget {
  bytes = 0;
  constructor(readonly limit: number) {}

  /** Throws once the workbook has inflated to more than its bound. */
  take(length: number): void {
    this.bytes += length;
    if (this.bytes > this.limit) throw new Error(`it inflates to more than ${this.limit} bytes, the most a workbook may (a ZIP bomb?)`);
  }
}

/** A zip entry's bytes as UTF-8 text chunks, decoded across chunk boundaries. */
export function utf8Text(entry: Readable, budget?: InflateBudget): Readable {
  const decoder = new StringDecoder('utf8');
  const text = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer | string, _encoding, done) {
      try {
        budget?.take(chunk.length);
      } catch (error) {
        done(error as Error);
        return;
      }
      done(null, typeof chunk === 'string' ? chunk : decoder.write(chunk));
    },
    flush(done) {
      done(null, decoder.end());
    },
  });
  entry.on('error', (error) => text.destroy(error));
  return entry.pipe(text);
}

export async function* utf8Chunks(chunks: Chunks, budget?: InflateBudget): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    budget?.take(chunk.length);
    yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

export class Utf8WorkbookReader extends Base {
  readonly #budget: InflateBudget | undefined;

  constructor(input: string, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>, maxInflatedBytes?: number) {
    super(input, options);
    this.#budget = maxInflatedBytes === undefined ? undefined : new InflateBudget(maxInflatedBytes);
  }

  override _parseRels(entry: Readable): Promise<void> {
    return super._parseRels(utf8Text(entry, this.#budget));
  }

  override _parseWorkbook(entry: Readable): Promise<void> {
    return super._parseWorkbook(utf8Text(entry, this.#budget));
  }

  override _parseStyles(entry: Readable): Promise<void> {
    return super._parseStyles(utf8Text(entry, this.#budget));
  }

  override async *_parseSharedStrings(entry: Readable): AsyncGenerator<unknown> {
    yield* super._parseSharedStrings(utf8Text(entry, this.#budget));
  }

  override *_parseWorksheet(iterator: Chunks, sheetNo: string): Generator<unknown> {
    yield* super._parseWorksheet(utf8Chunks(iterator, this.#budget), sheetNo);
  }

  override *_parseHyperlinks(iterator: Chunks, sheetNo: string): Generator<unknown> {
    yield* super._parseHyperlinks(utf8Chunks(iterator, this.#budget), sheetNo);
  }
}
