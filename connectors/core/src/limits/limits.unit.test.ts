import { describe, expect, it } from 'vitest';
import { residentMapping, residentRows } from '../../test/support/resident-mapping.ts';
import { mapBatch } from '../publish/plan.ts';
import { boundedLines } from './bounded-lines.ts';
import { jsonTooDeep } from '@hub/runtime';
import { checkRecordBounds, DEFAULT_RECORD_LIMITS, recordLimits } from './record-limits.ts';

const context = { now: new Date('2025-03-01T08:00:00Z'), department: 'ps' as const };

describe('the bounds of a native record', () => {
  it('names each field longer than its limit, and a field name too long', () => {
    const check = checkRecordBounds({ GMSFHM: '4'.repeat(900_000), XM: '韦建国', ['N'.repeat(200)]: 1 }, DEFAULT_RECORD_LIMITS);
    expect(check.errors).toEqual([
      { field: 'GMSFHM', reason: 'longer than 4096 characters: it has 900000' },
      { field: `${'N'.repeat(64)}…`, reason: 'field name longer than 128 characters: it has 200' },
    ]);
    expect(check.wholeRecord).toBe(false);
  });

  it('refuses a record over its byte bound as a whole when no one field is over', () => {
    const native = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`F${i}`, '韦'.repeat(4_000)]));
    expect(checkRecordBounds(native, DEFAULT_RECORD_LIMITS)).toMatchObject({ wholeRecord: true, errors: [{ field: '(record)', reason: 'the record is 240050 bytes, more than the 65536 allowed' }] });
    expect(checkRecordBounds({ A: 'x'.repeat(4_096) }, DEFAULT_RECORD_LIMITS).errors).toEqual([]);
  });

  it('validates the limits it is given', () => {
    expect(recordLimits({ maxFieldChars: 100 })).toEqual({ ...DEFAULT_RECORD_LIMITS, maxFieldChars: 100 });
    expect(() => recordLimits({ maxRecordBytes: 0 })).toThrow(/maxRecordBytes must be a positive integer/);
  });

  it('rejects a record with a field over its bound beside good ones, with every other problem of it, and no 900,000-character key', () => {
    const { rows } = residentRows(3, 'bounds');
    const good = rows.filter((_, i) => i !== 1).slice(0, 2);
    const poison = { ...good[0]!, GMSFHM: '4'.repeat(900_000), XB: '?' };
    const { mapped, rejections } = mapBatch(residentMapping, [good[0]!, poison, good[1]!], context);
    expect(mapped.map((m) => m.index)).toEqual([0, 2]);
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ index: 1, naturalKey: undefined });
    expect(rejections[0]!.errors.map((e) => e.field)).toEqual(['GMSFHM', 'XB']); // not "GMSFHM is required" as well
    expect(rejections[0]!.errors[0]!.reason).toBe('longer than 4096 characters: it has 900000');
  });
});

describe('the depth of a JSON text', () => {
  it('is found in one pass, strings skipped, naming the item of a top-level array', () => {
    expect(jsonTooDeep('['.repeat(5_000) + ']'.repeat(5_000), 32)).toEqual({ depth: 33, offset: 32, item: 0 });
    expect(jsonTooDeep(`[{"a":"[[[[[[[[\\"[[["},{"b":${'['.repeat(40)}${']'.repeat(40)}}]`, 32)).toMatchObject({ item: 1 });
    expect(jsonTooDeep('{"a":[[[1]]]}', 4)).toBeUndefined();
    expect(jsonTooDeep('{"a":[[[[1]]]]}', 4)).toMatchObject({ depth: 5 });
  });
});

describe('bounded lines', () => {
  async function lines(chunks: string[], max: number) {
    const out = [];
    for await (const line of boundedLines((async function* () { for (const c of chunks) yield Buffer.from(c); })(), max)) out.push(line);
    return out;
  }

  it('splits on LF across chunks, drops a CR, keeps a last line without LF', async () => {
    expect(await lines(['a\r', '\nb', 'c\n\nd'], 10)).toEqual([{ number: 1, text: 'a' }, { number: 2, text: 'bc' }, { number: 3, text: '' }, { number: 4, text: 'd' }]);
  });

  it('reports a line over the bound by its length and head, and goes on with the next', async () => {
    const result = await lines(['ok\n', 'x'.repeat(3_000), 'y'.repeat(3_000), '\nnext\n'], 4_096);
    expect(result).toEqual([{ number: 1, text: 'ok' }, { number: 2, tooLong: { bytes: 6_000, head: 'x'.repeat(1_024) } }, { number: 3, text: 'next' }]);
  });
});
