import fc from 'fast-check';
import { deepValue, hostileRecord, hostileText, hostileValue } from './values.ts';

/** One row of a hostile CSV: a record written as an exporter would, or bytes no exporter should write. */
export type CsvRow = { record: Record<string, unknown> } | { strayIn: number; bytes: number[] } | { bytes: number[] } | { text: string };

export interface CsvInput {
  rows: CsvRow[];
  goodAt: number;
  bom: boolean;
  lineEnd: '\n' | '\r\n';
  /** A 10 MB field in one row (one rejected record), once in a while. */
  hugeAt?: number;
}

const strayBytes = fc.array(fc.oneof(fc.integer({ min: 0x80, max: 0xff }), fc.constantFrom(0x00, 0x22, 0x2c, 0x0d, 0x0a, 0xef, 0xbb, 0xbf)), { minLength: 1, maxLength: 6 });

export function csvInput(columns: readonly string[], template: Record<string, string>): fc.Arbitrary<CsvInput> {
  const row: fc.Arbitrary<CsvRow> = fc.oneof(
    { weight: 6, arbitrary: hostileRecord(columns, template).map((record) => ({ record })) },
    // stray bytes inside an otherwise good row: not UTF-8, not GBK, a NUL, a lone quote
    { weight: 2, arbitrary: fc.record({ strayIn: fc.nat(columns.length - 1), bytes: strayBytes }) },
    { weight: 1, arbitrary: strayBytes.map((bytes) => ({ bytes })) },
    { weight: 1, arbitrary: fc.constantFrom('"unbalanced,quote', 'a"b,c', '"a""b', ',,,,,,,,,,,,', '"', '\u0000\u0000', ' , , ', 'x,"y"z').map((text) => ({ text })) },
    { weight: 1, arbitrary: hostileText.map((text) => ({ text })) },
  );
  return fc.record({
    rows: fc.array(row, { maxLength: 5 }),
    goodAt: fc.nat(5),
    bom: fc.boolean(),
    lineEnd: fc.constantFrom('\n' as const, '\r\n' as const),
    hugeAt: fc.nat(299).map((n) => (n < 6 ? n : undefined)), // about one file in 50
  });
}

/** A JSON Lines file: records, and lines that are not records or not text. */
export type JsonLine = { record: unknown } | { text: string } | { bytes: number[] };

export interface JsonLinesInput {
  lines: JsonLine[];
  goodAt: number;
  bom: boolean;
  lineEnd: '\n' | '\r\n';
  hugeAt?: number;
}

export function jsonLinesInput(columns: readonly string[], template: Record<string, string>): fc.Arbitrary<JsonLinesInput> {
  const line: fc.Arbitrary<JsonLine> = fc.oneof(
    { weight: 6, arbitrary: hostileRecord(columns, template).map((record) => ({ record })) },
    { weight: 1, arbitrary: hostileValue.map((record) => ({ record })) },
    { weight: 1, arbitrary: deepValue.map((record) => ({ record })) },
    { weight: 1, arbitrary: strayBytes.map((bytes) => ({ bytes })) },
    { weight: 1, arbitrary: fc.oneof(hostileText.map((t) => t.replace(/[\r\n]/g, ' ')), fc.constantFrom('{', '{"GMSFHM":', '[1]', '\u0000', '\uFEFF{}', '{"a":1,"a":2}', '{"__proto__":{"x":1}}')).map((text) => ({ text })) },
  );
  return fc.record({
    lines: fc.array(line, { maxLength: 5 }),
    goodAt: fc.nat(5),
    bom: fc.boolean(),
    lineEnd: fc.constantFrom('\n' as const, '\r\n' as const),
    hugeAt: fc.nat(299).map((n) => (n < 6 ? n : undefined)), // about one file in 50
  });
}

/** A workbook: a real one with hostile cells, or bytes that only claim to be one. */
export type XlsxInput =
  | { kind: 'workbook'; rows: Array<Record<string, unknown>>; goodAt: number }
  | { kind: 'truncated'; at: number }
  | { kind: 'flipped'; at: number; byte: number }
  | { kind: 'not-a-zip'; bytes: number[] }
  | { kind: 'bomb'; declared: boolean };

export function xlsxInput(columns: readonly string[], template: Record<string, string>): fc.Arbitrary<XlsxInput> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('workbook' as const), rows: fc.array(hostileRecord(columns, template), { maxLength: 4 }), goodAt: fc.nat(4) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('flipped' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('not-a-zip' as const), bytes: fc.oneof(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }), fc.constant<number[]>([0x50, 0x4b, 0x03, 0x04, 0x20])) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bomb' as const), declared: fc.boolean() }) },
  );
}
