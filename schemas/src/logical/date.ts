import avro from 'avsc';
import type { Type } from 'avsc';
import { checked, converts, type CheckHook } from './check.ts';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Avro `date` (日期) as 'YYYY-MM-DD' text.
 *
 * Text, not `Date`: a birth date or a validity end is a calendar day with no
 * time zone, and a `Date` at UTC midnight reads as the previous day in
 * UTC-n zones or shifts when formatted in Beijing time.
 */
export class DateType extends avro.types.LogicalType {
  protected override _fromValue(days: number): string {
    return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
  }

  protected _check(value: unknown, _flags: unknown, hook?: CheckHook): boolean {
    return checked(this, typeof value === 'string' && ISO_DATE.test(value) && converts(() => daysSinceEpoch(value)), value, hook);
  }

  protected override _toValue(value: unknown): number {
    return daysSinceEpoch(value);
  }

  protected override _resolve(writer: Type): ((value: unknown) => string) | undefined {
    if (writer instanceof DateType) return (value) => value as string;
    if (avro.Type.isType(writer, 'int')) return (days) => this._fromValue(days as number);
    return undefined;
  }
}

/** Days since 1970-01-01 of a real calendar date in 'YYYY-MM-DD' form. */
export function daysSinceEpoch(value: unknown): number {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) throw new TypeError(`date: expected 'YYYY-MM-DD', got ${JSON.stringify(value)}`);
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) {
    throw new RangeError(`date: ${value as string} is not a calendar date`);
  }
  return Math.round(at.getTime() / MS_PER_DAY);
}
