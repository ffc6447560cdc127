import { describe, expect, it } from 'vitest';
import { canonicalDivisionCode, checkDivisionCode, divisionLevel, parentOf, rollsUpTo } from './division-code.ts';

describe('divisionLevel', () => {
  it.each([
    ['450000', 'province'],
    ['450300', 'city'],
    ['450305', 'county'],
    ['450305004', 'town'],
    ['450305004001', 'village'],
    ['450305000', 'county'],
    ['450305000000', 'county'],
    ['450300000000', 'city'],
    ['450000000000', 'province'],
    ['441900003', 'town'], // 东莞: towns directly under a city without counties
    ['429004', 'county'], // 仙桃: a county-level city under the province, city part 90
    ['810000', 'province'],
  ])('%s is a %s', (code, level) => {
    expect(divisionLevel(code)).toBe(level);
  });

  it.each(['', '4503', '45030', '4503050041', 'abcdef', '990000', '000000', '830000', '110010', '450000001', '450305000001'])(
    '%j has no level',
    (code) => {
      expect(divisionLevel(code)).toBeUndefined();
    },
  );
});

describe('checkDivisionCode', () => {
  it.each([
    [' 450305000000 ', { code: '450305', level: 'county' }],
    ['450305004001', { code: '450305004001', level: 'village' }],
  ])('accepts %j', (text, value) => {
    expect(checkDivisionCode(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['45030', 'division code must be 6, 9 or 12 digits, got "45030"'],
    ['99030500', 'division code must be 6, 9 or 12 digits, got "99030500"'],
    ['990305', 'division code 990305 has no known province (99)'],
    ['110010', 'division code 110010 has a county part (10) but no city part'],
    ['450000001', 'division code 450000001 has a town part (001) but no city part'],
    ['450305000001', 'division code 450305000001 has a village part (001) but no town part'],
  ])('rejects %j: %s', (text, reason) => {
    expect(checkDivisionCode(text)).toEqual({ ok: false, reason });
  });
});

describe('canonicalDivisionCode', () => {
  it.each([
    ['450000000000', '450000'],
    ['450305004000', '450305004'],
    ['450305', '450305'],
    ['45', undefined],
  ])('%s → %s', (code, canonical) => {
    expect(canonicalDivisionCode(code)).toBe(canonical);
  });
});

describe('parentOf', () => {
  it.each([
    ['450305004001', '450305004'],
    ['450305004', '450305'],
    ['450305', '450300'],
    ['450300', '450000'],
    ['450000', undefined],
    ['441900003', '441900'],
    ['429004', '429000'],
    ['450305004000', '450305'],
    ['bad', undefined],
  ])('parent of %s is %s', (code, parent) => {
    expect(parentOf(code)).toBe(parent);
  });
});

describe('rollsUpTo', () => {
  it.each([
    ['450305004001', '450000', true],
    ['450305004001', '450300', true],
    ['450305004001', '450305', true],
    ['450305004001', '450305004', true],
    ['450305004001', '450305004001', true],
    ['450305', '450305000000', true],
    ['441900003', '441900', true],
    ['450305', '450300', true],
    ['450305', '450100', false],
    ['450305', '440000', false],
    ['450300', '450305', false],
    ['450305', 'bad', false],
    ['bad', '450000', false],
  ])('%s rolls up to %s: %s', (code, region, expected) => {
    expect(rollsUpTo(code, region)).toBe(expected);
  });
});
