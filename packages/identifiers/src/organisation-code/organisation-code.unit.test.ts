import { describe, expect, it } from 'vitest';
import { checkOrganisationCode, organisationCodeCheckCharacter } from './organisation-code.ts';

describe('checkOrganisationCode', () => {
  it.each([
    ['M000100Y-4', 'M000100Y4'],
    ['m000100y4', 'M000100Y4'],
    ['19220382-1', '192203821'],
    ['71526726-X', '71526726X'],
    ['40000062-4', '400000624'],
  ])('accepts %s as %s', (text, code) => {
    expect(checkOrganisationCode(text)).toEqual({ ok: true, value: code });
  });

  it.each([
    ['19220382-2', 'organisation code check character at position 9 should be 1, got 2'],
    ['1922038-21', 'organisation code must have 9 characters (or be written XXXXXXXX-X), got "1922038-21"'],
    ['1922038', 'organisation code must have 9 characters (or be written XXXXXXXX-X), got "1922038"'],
    ['1922_3821', 'character 5 (organisation code) must be a digit or a capital letter, got "_"'],
  ])('rejects %s: %s', (text, reason) => {
    expect(checkOrganisationCode(text)).toEqual({ ok: false, reason });
  });
});

describe('organisationCodeCheckCharacter', () => {
  it.each([
    // 11 − (Σ mod 11): Σ = 0 gives 11 → 0; a remainder of 1 gives 10 → X
    ['00000000', '0'],
    ['71526726', 'X'],
    ['M000100Y', '4'],
  ])('%s → %s', (body, check) => {
    expect(organisationCodeCheckCharacter(body)).toBe(check);
  });
});
