import { describe, expect, it } from 'vitest';
import { isValidSubject, LATEST, parseVersionId } from './version-id.ts';

describe('version ids', () => {
  it('reads latest, -1 and 1..2^31-1', () => {
    expect(parseVersionId('latest')).toBe(LATEST);
    expect(parseVersionId('LATEST')).toBe(LATEST);
    expect(parseVersionId('-1')).toBe(LATEST);
    expect(parseVersionId('1')).toBe(1);
    expect(parseVersionId(' 7 ')).toBe(7);
    expect(parseVersionId('2147483647')).toBe(2147483647);
  });

  it('refuses everything else as 42202 material', () => {
    for (const bad of ['abc', '0', '-2', '2147483648', '1.0', '1e3', '', 'latest1', '0x10']) {
      expect(parseVersionId(bad)).toEqual({ type: 'InvalidVersion', version: bad });
    }
  });

  it('accepts subjects without control characters', () => {
    expect(isValidSubject('records.ps.resident-identity-gov.hub.records.ps.ResidentIdentity')).toBe(true);
    expect(isValidSubject('a\nb')).toBe(false);
    expect(isValidSubject(' ')).toBe(false);
  });
});
