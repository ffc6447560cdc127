import { describe, expect, it } from 'vitest';
import { divisionPath, normaliseDivision } from './divisions.ts';

describe('division codes rolled up over the five levels by prefix', () => {
  it.each([
    ['450102', { province: '45', city: '4501', county: '450102', town: '', village: '', divisionLevel: 'county' }],
    ['450102001', { province: '45', city: '4501', county: '450102', town: '450102001', village: '', divisionLevel: 'town' }],
    ['450102001002', { province: '45', city: '4501', county: '450102', town: '450102001', village: '450102001002', divisionLevel: 'village' }],
    ['450100', { province: '45', city: '4501', county: '', town: '', village: '', divisionLevel: 'city' }],
    ['450000', { province: '45', city: '', county: '', town: '', village: '', divisionLevel: 'province' }],
  ])('%s', (code, path) => {
    expect(divisionPath(code)).toEqual(path);
  });

  it('reads a six-digit city or province code as its prefix, and refuses other shapes', () => {
    expect(normaliseDivision('450100')).toBe('4501');
    expect(normaliseDivision('450000')).toBe('45');
    expect(normaliseDivision('4501')).toBe('4501');
    expect(normaliseDivision('45010')).toBeUndefined();
  });
});
