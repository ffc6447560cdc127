import { describe, expect, it } from 'vitest';
import { bearerToken, parseTokens } from './tokens.ts';

describe('GATEWAY_TOKENS', () => {
  it('identifies each department and the windows by their token', () => {
    const table = parseTokens('tax=tax-token-123,ps=ps-token-4567,window=window-token-89,operator=operator-token-1');
    expect(table.identify('tax-token-123')).toEqual({ kind: 'department', department: 'tax' });
    expect(table.identify('ps-token-4567')).toEqual({ kind: 'department', department: 'ps' });
    expect(table.identify('window-token-89')).toEqual({ kind: 'window' });
    expect(table.identify('operator-token-1')).toEqual({ kind: 'operator' });
    expect(table.identify('tax-token-12')).toBeUndefined();
    expect(table.identify('')).toBeUndefined();
  });

  it('refuses an unknown department and a token given twice', () => {
    expect(() => parseTokens('customs=customs-token')).toThrow(/unknown department "customs"/);
    expect(() => parseTokens('tax=same-token-1,ps=same-token-1')).toThrow(/token of ps is also given to another department/);
  });

  it('reads the token of an Authorization header', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
