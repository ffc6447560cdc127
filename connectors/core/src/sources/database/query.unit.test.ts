import { describe, expect, it } from 'vitest';
import { PAST_INSTANT_KEY, nativeValue, pageQuery, quoteIdentifier } from './query.ts';

describe('database polling queries', () => {
  const source = { table: 'rk.jbxx', columns: { gmsfhm: 'GMSFHM', xm: 'XM' }, keyColumn: 'gmsfhm', updatedAtColumn: 'gxsj' };

  it('reads the page after the (updated-at, key) watermark, in watermark order', () => {
    expect(pageQuery(source, { after: { updatedAt: '2025-01-06 10:11:00.123456', key: '450102' }, delayMs: 0, limit: 500 })).toEqual({
      text: 'SELECT "gmsfhm" AS "c:gmsfhm", "xm" AS "c:xm", "gxsj"::text AS "w:updated_at", "gmsfhm"::text AS "w:key" FROM "rk"."jbxx" WHERE ("gxsj", "gmsfhm") > ($1, $2) ORDER BY "gxsj", "gmsfhm" LIMIT $3',
      values: ['2025-01-06 10:11:00.123456', '450102', 500],
    });
    expect(pageQuery(source, { delayMs: 0, limit: 500 })).toEqual({
      text: expect.stringMatching(/FROM "rk"\."jbxx" ORDER BY "gxsj", "gmsfhm" LIMIT \$1$/) as unknown,
      values: [500],
    });
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
  });

  it('after a page that ended on a NULL key or one too long to carry, reads from the next instant (found by fuzzing: either failed every poll after it)', () => {
    expect(pageQuery(source, { after: { updatedAt: '2025-01-06 10:11:00.123456', key: PAST_INSTANT_KEY }, delayMs: 0, limit: 500 })).toEqual({
      text: expect.stringContaining('WHERE "gxsj" > $1 ORDER BY "gxsj", "gmsfhm" LIMIT $2') as unknown,
      values: ['2025-01-06 10:11:00.123456', 500],
    });
  });

  it('with a delay, reads only rows at least that old by the database clock, so late commits with an older updated-at are not passed by', () => {
    expect(pageQuery(source, { after: { updatedAt: '2025-01-06 10:11:00', key: '450102' }, delayMs: 5_000, limit: 500 })).toEqual({
      text: expect.stringContaining(`WHERE ("gxsj", "gmsfhm") > ($1, $2) AND "gxsj" <= now() - $3::integer * interval '1 millisecond' ORDER BY "gxsj", "gmsfhm" LIMIT $4`) as unknown,
      values: ['2025-01-06 10:11:00', '450102', 5_000, 500],
    });
    expect(pageQuery(source, { delayMs: 5_000, limit: 10 })).toEqual({
      text: expect.stringContaining(`WHERE "gxsj" <= now() - $1::integer * interval '1 millisecond' ORDER BY "gxsj", "gmsfhm" LIMIT $2`) as unknown,
      values: [5_000, 10],
    });
  });

  it('writes times as departmental systems do, one text per millisecond', () => {
    expect(nativeValue('2025-01-06 10:11:00', 'time')).toBe('2025-01-06 10:11:00');
    expect(nativeValue('2025-01-06 10:11:00.1', 'time')).toBe('2025-01-06 10:11:00.1');
    expect(nativeValue('2025-01-06 10:11:00.100456', 'time')).toBe('2025-01-06 10:11:00.1');
    expect(nativeValue('2025-01-06 10:11:00.000456+08', 'time')).toBe('2025-01-06 10:11:00');
    expect(nativeValue('2025-01-06 10:11:00.123456+05:30', 'time')).toBe('2025-01-06 10:11:00.123');
    expect(nativeValue('2025-01-06', 'time')).toBe('2025-01-06');
    expect(nativeValue(null, 'other')).toBeNull();
    expect(nativeValue(42, 'other')).toBe(42);
    expect(nativeValue({ a: 1 }, 'other')).toBe('{"a":1}');
  });
});
