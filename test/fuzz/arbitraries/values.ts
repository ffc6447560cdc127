import fc from 'fast-check';

/**
 * Hostile values every edge meets sooner or later: control characters and
 * NULs, lone surrogates, byte-order marks, full-width and combining forms,
 * SQL and CSV metacharacters, text past every bound, wrong types.
 */
const nasty = ['\u0000', '\uFEFF', '\uFFFD', '\uD800', '\uDFFF', '\u202E', '\u0301', '\r', '\n', '\r\n', '"', "'", ',', ';', '\\', '%s', '${x}', '<script>', "' OR 1=1 --", '__proto__', 'constructor', '１２３', '𠮷', '韦', '　', '\t', 'NaN', 'null', 'undefined', '-0', '1e309'];

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...nasty), { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('4', '5', '0', 'X', '１'), minLength: 15, maxLength: 19 }) },
  // past the field bound (4,096 characters) and the record bound (64 KiB); cheap to build, not to read
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('4', '韦', '\u0000', '"'), fc.constantFrom(4_097, 70_000, 900_000)).map(([c, n]) => c.repeat(n)) },
);

/**
 * JSON text put into a body as it is: nesting 5,000 deep is past what
 * JSON.stringify (and any recursive reader) can take, which is the point.
 */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Deeply nested arrays or objects: around the depth bound (32) and far past it. */
export const deepValue: fc.Arbitrary<RawJson> = fc.tuple(fc.constantFrom(31, 33, 200, 5_000), fc.boolean()).map(([depth, arrays]) =>
  new RawJson(arrays ? `${'['.repeat(depth)}"x"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`));

/** JSON text of a value that may hold RawJson. */
export function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `\u0001raw${raws.push(v.text) - 1}\u0001` : v)) ?? 'null';
  return raws.length === 0 ? text : text.replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, n: string) => raws[Number(n)]!);
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepValue },
);

/** Field names: a mapping's own columns (to reach its parsers), and anything else. */
export function hostileName(columns: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...columns) },
    { weight: 2, arbitrary: hostileText.filter((s) => s.length < 5_000) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '', ' GMSFHM', 'gmsfhm', 'x'.repeat(200)) },
  );
}

/** A record shaped like a native record of `columns`, each value kept, dropped or made hostile. */
export function hostileRecord(columns: readonly string[], good: Record<string, string>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(
    fc.array(fc.constantFrom<'keep' | 'drop' | 'spoil'>('keep', 'drop', 'spoil', 'spoil'), { minLength: columns.length, maxLength: columns.length }),
    fc.array(hostileValue, { minLength: columns.length, maxLength: columns.length }),
    fc.dictionary(hostileName(columns), hostileValue, { maxKeys: 3 }),
  ).map(([fates, values, extra]) => {
    const record: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      if (fates[i] === 'keep') record[column] = good[column];
      else if (fates[i] === 'spoil') record[column] = values[i];
    });
    for (const [name, value] of Object.entries(extra)) Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
    return record;
  });
}
