import { describe, expect, it } from 'vitest';
import { divisionPrefixProblem, significantPrefix, withinDivision } from './division.ts';
import { agreementResourceOf, sharingOfSymbol, sharingSymbol, sharingConditions } from './resource.ts';

// What the catalog's GET /catalog/resources answers for public security's resident identity (abridged to what is read).
const catalogEntry = {
  subject: 'records.ps.resident-identity-gov.hub.records.ps.ResidentIdentity',
  version: 2,
  id: 7,
  resourceCode: 'ps.resident-identity',
  title: '人口基本信息',
  owner: 'ps',
  sharing: 'conditional',
  maskedFields: ['idNumber', 'previousIdNumber', 'name', 'address'],
};

describe('a catalogue entry as an agreement resource', () => {
  it('keeps its code, owner, condition and sensitive fields', () => {
    expect(agreementResourceOf(catalogEntry)).toEqual({
      resourceCode: 'ps.resident-identity',
      owner: 'ps',
      sharing: 'conditional',
      maskedFields: ['idNumber', 'previousIdNumber', 'name', 'address'],
    });
  });

  it('is none without a resource code, an owner or a known sharing condition', () => {
    expect(agreementResourceOf({ ...catalogEntry, resourceCode: null })).toBeNull();
    expect(agreementResourceOf({ ...catalogEntry, owner: null })).toBeNull();
    expect(agreementResourceOf({ ...catalogEntry, sharing: null })).toBeNull();
    expect(agreementResourceOf({ ...catalogEntry, sharing: 'public' })).toBeNull();
  });

  it('spells each condition as the Avro enum does, and back', () => {
    expect(sharingConditions.map(sharingSymbol)).toEqual(['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED']);
    for (const sharing of sharingConditions) expect(sharingOfSymbol(sharingSymbol(sharing))).toBe(sharing);
  });
});

describe('division prefixes (行政区划范围, GB/T 2260)', () => {
  it.each(['45', '4501', '4590', '450102', '450100', '450000', '450102001', '441900003', '450102001002', '450102000000'])('%s is one', (prefix) => {
    expect(divisionPrefixProblem(prefix)).toBeUndefined();
  });

  it.each<[string, RegExp]>([
    ['4', /2, 4, 6, 9 or 12 digits/],
    ['45010', /2, 4, 6, 9 or 12 digits/],
    ['4501020011', /2, 4, 6, 9 or 12 digits/],
    ['45a1', /2, 4, 6, 9 or 12 digits/],
    ['', /2, 4, 6, 9 or 12 digits/],
    ['00', /no province/],
    ['000000', /no province/],
    ['450012', /county part \(12\) but no city part/],
    ['450000001', /town part \(001\) but no city part/],
    ['450102000001', /village part \(001\) but no town part/],
  ])('%j is not: %s', (prefix, problem) => {
    expect(divisionPrefixProblem(prefix)).toMatch(problem);
  });

  it.each([
    ['45', '45'],
    ['450000', '45'],
    ['4501', '4501'],
    ['450100', '4501'],
    ['450102', '450102'],
    ['450102000', '450102'],
    ['450102000000', '450102'],
    ['450102001000', '450102001'],
    ['441900003', '441900003'],
  ])('%s covers what %s covers', (prefix, significant) => {
    expect(significantPrefix(prefix)).toBe(significant);
  });

  it('covers every division without a prefix', () => {
    expect(withinDivision('110101', null)).toBe(true);
    expect(withinDivision('110101', '450000')).toBe(false);
  });
});
