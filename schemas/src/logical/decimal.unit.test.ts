import { describe, expect, it } from 'vitest';
import { createAvroType } from '../load.ts';
import { formatUnscaled, fromTwosComplement, parseUnscaled, toTwosComplement } from './decimal.ts';

const money = createAvroType({ type: 'bytes', logicalType: 'decimal', precision: 14, scale: 2 });
const roundTrip = (type: typeof money, value: string): unknown => type.fromBuffer(type.toBuffer(value));

describe('decimal logical type (金额, 面积)', () => {
  it.each([
    ['1234.50', '1234.50'],
    ['1234.5', '1234.50'],
    ['1234', '1234.00'],
    ['0', '0.00'],
    ['0.01', '0.01'],
    ['-0.01', '-0.01'],
    ['-0', '0.00'],
    ['-1234.56', '-1234.56'],
    ['000012.30', '12.30'],
    ['999999999999.99', '999999999999.99'],
    ['-999999999999.99', '-999999999999.99'],
  ])('round-trips %s as %s', (value, expected) => {
    expect(roundTrip(money, value)).toBe(expected);
  });

  it('encodes the unscaled value as minimal big-endian two’s complement, as Java Avro does', () => {
    expect(money.toBuffer('1.28').toString('hex')).toBe('040080'); // length 2, then 0x0080 = 128
    expect(money.toBuffer('-1.28').toString('hex')).toBe('0280'); // length 1, then 0x80 = -128
    expect(money.toBuffer('-1.29').toString('hex')).toBe('04ff7f'); // -129
    expect(money.toBuffer('0').toString('hex')).toBe('0200');
  });

  it.each([0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 256n, -32768n, 2n ** 63n, -(2n ** 63n) - 1n])(
    'two’s complement of %s is its own inverse',
    (n) => {
      expect(fromTwosComplement(toTwosComplement(n))).toBe(n);
    },
  );

  it('rejects more fraction digits than the scale instead of rounding', () => {
    expect(() => money.toBuffer('1.005')).toThrow(/3 fraction digits, more than the scale 2/);
    expect(() => money.toBuffer('1.500')).toThrow(/fraction digits/);
    expect(money.isValid('1.005')).toBe(false);
  });

  it('rejects more significant digits than the precision', () => {
    expect(() => money.toBuffer('1000000000000.00')).toThrow(/more than 14 significant digits/);
    expect(money.isValid('-1000000000000')).toBe(false);
  });

  it.each([[1234.5], ['1,234.50'], ['1e3'], ['.5'], ['5.'], ['+1'], [' 1'], [''], [null]])('rejects %j', (value) => {
    expect(money.isValid(value)).toBe(false);
    expect(() => money.toBuffer(value)).toThrow(/decimal\(14,2\)/);
  });

  it('supports scale 0 and large precision exactly', () => {
    const big = createAvroType({ type: 'bytes', logicalType: 'decimal', precision: 38, scale: 0 });
    expect(roundTrip(big, '-12345678901234567890123456789012345678')).toBe('-12345678901234567890123456789012345678');
  });

  it('sign-extends to the size of a fixed underlying type', () => {
    const fixed = createAvroType({ type: 'fixed', name: 'Amount', size: 4, logicalType: 'decimal', precision: 10, scale: 2 });
    expect(fixed.toBuffer('-0.01').toString('hex')).toBe('ffffffff');
    expect(roundTrip(fixed, '-0.01')).toBe('-0.01');
    expect(roundTrip(fixed, '21474836.47')).toBe('21474836.47');
    expect(() => fixed.toBuffer('21474836.48')).toThrow(/does not fit in 4 bytes/);
  });

  it('refuses bad schemas', () => {
    expect(() => createAvroType({ type: 'bytes', logicalType: 'decimal', precision: 0, scale: 0 })).toThrow(/precision/);
    expect(() => createAvroType({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 5 })).toThrow(/scale/);
    expect(() => createAvroType({ type: 'string', logicalType: 'decimal', precision: 4, scale: 2 })).toThrow(/bytes or fixed/);
  });

  it('resolves only between decimals of the same scale and a wider reader precision', () => {
    const narrow = createAvroType({ type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 });
    const otherScale = createAvroType({ type: 'bytes', logicalType: 'decimal', precision: 14, scale: 3 });
    const resolver = money.createResolver(narrow);
    expect(money.fromBuffer(narrow.toBuffer('-42.10'), resolver)).toBe('-42.10');
    expect(() => money.createResolver(otherScale)).toThrow();
    expect(() => narrow.createResolver(money)).toThrow();
  });

  it('exports precision and scale with the schema', () => {
    expect(money.schema({ exportAttrs: true })).toEqual({ type: 'bytes', logicalType: 'decimal', precision: 14, scale: 2 });
  });

  it('parses and formats unscaled values directly', () => {
    expect(parseUnscaled('-0.5', 3, 2)).toBe(-50n);
    expect(formatUnscaled(-5n, 2)).toBe('-0.05');
    expect(formatUnscaled(5n, 0)).toBe('5');
  });
});
