import { describe, expect, it } from 'vitest';
import { normaliseDecimal } from './decimal-text.ts';

describe('normaliseDecimal', () => {
  it.each([
    ['1,234.5', 2, '1234.50'],
    ['1234.5', 2, '1234.50'],
    ['1,234,567.891', 3, '1234567.891'],
    ['0', 2, '0.00'],
    ['.5', 2, '0.50'],
    ['5.', 2, '5.00'],
    ['007.10', 2, '7.10'],
    ['+12', 2, '12.00'],
    ['1.500', 2, '1.50'],
    [' 88.8 ', 4, '88.8000'],
    ['1,234', 0, '1234'],
    ['12.000', 0, '12'],
    ['-0.00', 2, '0.00'],
  ])('%j at scale %d → %s', (text, scale, value) => {
    expect(normaliseDecimal(text, { scale })).toEqual({ ok: true, value });
  });

  it.each([
    ['-1,234.5', '-1234.50'],
    ['-0.004', '0.00'],
  ])('accepts %j as %s when negatives are allowed (and half-up rounding asked)', (text, value) => {
    expect(normaliseDecimal(text, { scale: 2, allowNegative: true, rounding: 'half-up' })).toEqual({ ok: true, value });
  });

  it.each([
    ['1.005', '1.01'],
    ['1.0049', '1.00'],
    ['99.995', '100.00'],
    ['-2.345', '-2.35'],
  ])('rounds %j half away from zero to %s', (text, value) => {
    expect(normaliseDecimal(text, { scale: 2, rounding: 'half-up', allowNegative: true })).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'decimal value is empty'],
    ['abc', '"abc" is not a decimal number (digits, optional thousands separators and one point)'],
    ['.', '"." is not a decimal number (digits, optional thousands separators and one point)'],
    ['12,34.5', '"12,34.5" is not a decimal number (digits, optional thousands separators and one point)'],
    ['1,2345', '"1,2345" is not a decimal number (digits, optional thousands separators and one point)'],
    ['1.2.3', '"1.2.3" is not a decimal number (digits, optional thousands separators and one point)'],
    ['1e3', '"1e3" is not a decimal number (digits, optional thousands separators and one point)'],
    ['12元', '"12元" is not a decimal number (digits, optional thousands separators and one point)'],
    ['1 234', '"1 234" is not a decimal number (digits, optional thousands separators and one point)'],
    ['1.005', '"1.005" has 3 decimal places, more than the 2 allowed'],
    ['-5', '"-5" is negative, which is not allowed here'],
  ])('rejects %j: %s', (text, reason) => {
    expect(normaliseDecimal(text, { scale: 2 })).toEqual({ ok: false, reason });
  });

  it('throws for a bad scale', () => {
    expect(() => normaliseDecimal('1', { scale: -1 })).toThrow(RangeError);
  });
});
