import { describe, expect, it, vi } from 'vitest';
import { createAvroType } from '../load.ts';
import { daysSinceEpoch } from './date.ts';

const date = createAvroType({ type: 'int', logicalType: 'date' });
const timestamp = createAvroType({ type: 'long', logicalType: 'timestamp-millis' });

describe('date logical type (日期) as YYYY-MM-DD text', () => {
  it.each(['1970-01-01', '1949-12-31', '2024-02-29', '2030-03-13', '0001-01-01', '9999-12-31'])('round-trips %s', (value) => {
    expect(date.fromBuffer(date.toBuffer(value))).toBe(value);
  });

  it('counts days from the epoch, negative before 1970', () => {
    expect(daysSinceEpoch('1970-01-02')).toBe(1);
    expect(daysSinceEpoch('1969-12-31')).toBe(-1);
    expect(daysSinceEpoch('2025-01-01')).toBe(20089);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-00-10', '2025-1-5', '20250105', '2025-01-05T00:00:00Z'])('rejects %s', (value) => {
    expect(date.isValid(value)).toBe(false);
    expect(() => date.toBuffer(value)).toThrow(/date:/);
  });

  it('rejects Date objects, whose day depends on the time zone', () => {
    expect(date.isValid(new Date('2025-01-05'))).toBe(false);
  });

  it('reads data written as a plain int', () => {
    const plain = createAvroType('int');
    expect(date.fromBuffer(plain.toBuffer(20089), date.createResolver(plain))).toBe('2025-01-01');
  });
});

describe('timestamp-millis logical type (时间) as Date', () => {
  it('round-trips to the millisecond, before and after the epoch', () => {
    for (const iso of ['2025-03-10T01:30:00.123Z', '1949-10-01T02:00:00.000Z']) {
      expect(timestamp.fromBuffer(timestamp.toBuffer(new Date(iso)))).toEqual(new Date(iso));
    }
  });

  it('rejects invalid dates and raw numbers', () => {
    expect(timestamp.isValid(new Date('not a date'))).toBe(false);
    expect(timestamp.isValid(1_741_570_200_000)).toBe(false);
    expect(() => timestamp.toBuffer('2025-03-10')).toThrow(/timestamp-millis: expected a valid Date/);
  });

  it('reads data written as a plain long', () => {
    const plain = createAvroType('long');
    const read = timestamp.fromBuffer(plain.toBuffer(1_741_570_200_000), timestamp.createResolver(plain));
    expect(read).toEqual(new Date(1_741_570_200_000));
  });
});

describe('nullable logical fields (["null", logical type])', () => {
  const record = createAvroType({
    type: 'record', name: 'Dated', fields: [
      { name: 'deadline', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null },
      { name: 'validUntil', type: ['null', { type: 'int', logicalType: 'date' }], default: null },
      { name: 'fee', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 }], default: null },
    ],
  });
  const logicalBranches = (record as unknown as { fields: Array<{ type: { types: Array<{ _toValue: (value: unknown) => unknown }> } }> }).fields.map((field) => field.type.types[1]!);

  it('round-trips null and a value in each', () => {
    const given = { deadline: new Date('2026-12-03T02:00:00.000Z'), validUntil: '2027-06-30', fee: '80.00' };
    expect(record.fromBuffer(record.toBuffer(given))).toEqual(given);
    expect(record.fromBuffer(record.toBuffer({ deadline: null, validUntil: null, fee: null }))).toEqual({ deadline: null, validUntil: null, fee: null });
  });

  it('writes a null without trying to convert it (a conversion that throws costs a stack trace per value)', () => {
    const conversions = logicalBranches.map((branch) => vi.spyOn(branch, '_toValue'));
    record.toBuffer({ deadline: null, validUntil: null, fee: null });
    for (const conversion of conversions) expect(conversion).not.toHaveBeenCalled();
  });

  it('names the field of a value that does not fit, and refuses to write it', () => {
    const paths: string[] = [];
    const bad = { deadline: null, validUntil: '2025-02-29', fee: '1.234' };
    expect(record.isValid(bad, { errorHook: (path) => paths.push(path.join('.')) })).toBe(false);
    expect(paths).toEqual(['validUntil', 'fee']);
    expect(() => record.toBuffer({ ...bad, fee: null })).toThrow(/invalid .*"2025-02-29"/);
  });
});
