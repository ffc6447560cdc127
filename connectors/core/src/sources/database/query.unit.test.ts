import { describe, expect, it } from 'vitest';
import { nativeValue, pageQuery, quoteIdentifier } from './query.ts';

describe('database polling queries', () => {
  const source = { table: 'rk.jbxx', columns: { gmsfhm: 'GMSFHM', xm: 'XM' }, keyColumn: 'gmsfhm', updatedAtColumn: 'gxsj' };

  it('reads the page after the (updated-at, key) watermark, in watermark order', () => {
    expect(pageQuery(source, true)).toEqual({
      text: 'SELECT "gmsfhm" AS "c:gmsfhm", "xm" AS "c:xm", "gxsj"::text AS "w:updated_at", "gmsfhm"::text AS "w:key" FROM "rk"."jbxx" WHERE ("gxsj", "gmsfhm") > ($1, $2) ORDER BY "gxsj", "gmsfhm" LIMIT $3',
      limitParameter: 3,
    });
    expect(pageQuery(source, false).text).toMatch(/FROM "rk"\."jbxx" ORDER BY "gxsj", "gmsfhm" LIMIT \$1$/);
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
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
