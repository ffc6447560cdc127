import avro from 'avsc';
import type { Type } from 'avsc';
import { checked, type CheckHook } from './check.ts';

/** Avro `timestamp-millis` (时间) as a JS `Date`; invalid dates are rejected. */
export class TimestampMillisType extends avro.types.LogicalType {
  protected override _fromValue(millis: number): Date {
    return new Date(millis);
  }

  protected _check(value: unknown, _flags: unknown, hook?: CheckHook): boolean {
    return checked(this, isValidDate(value), value, hook);
  }

  protected override _toValue(value: unknown): number {
    if (!isValidDate(value)) {
      throw new TypeError(`timestamp-millis: expected a valid Date, got ${String(value)}`);
    }
    return value.getTime();
  }

  protected override _resolve(writer: Type): ((value: unknown) => Date) | undefined {
    if (writer instanceof TimestampMillisType) return (value) => value as Date;
    if (avro.Type.isType(writer, 'long')) return (millis) => this._fromValue(millis as number);
    return undefined;
  }
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
