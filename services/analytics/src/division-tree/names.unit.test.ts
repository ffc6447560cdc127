import { describe, expect, it } from 'vitest';
import { divisionAncestry, nameOfDivision } from './names.ts';

describe('division names for the tree', () => {
  it('names a prefix of every level, and keeps a code it does not know', () => {
    expect(nameOfDivision('45')).toBe('广西壮族自治区');
    expect(nameOfDivision('4503')).toBe('桂林市');
    expect(nameOfDivision('450321')).toBe('阳朔县');
    expect(nameOfDivision('450321100')).toBe('阳朔镇');
    expect(nameOfDivision('4599')).toBe('4599');
  });

  it('gives the path from the province down to a division, a city\'s six-digit code read as the city', () => {
    expect(divisionAncestry('450321100').map((d) => [d.division, d.level])).toEqual([['45', 'province'], ['4503', 'city'], ['450321', 'county'], ['450321100', 'town']]);
    expect(divisionAncestry('450300').map((d) => d.division)).toEqual(['45', '4503']);
    expect(divisionAncestry('4x')).toEqual([]);
  });
});
