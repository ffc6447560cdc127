import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { isLoopback, refuseDevelopmentSecrets, secretListProblem, secretProblem } from './exposure.ts';

describe('secrets of a service that listens beyond loopback', () => {
  it('tells loopback addresses from the others', () => {
    expect(['127.0.0.1', '127.8.0.3', 'localhost', '::1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.5', 'gateway', '127.0.0.1.example'].map(isLoopback)).toEqual([false, false, false, false, false]);
  });

  it('given a development value, a short one or none, when checked, then each says what is wrong', () => {
    expect(secretProblem(undefined)).toBe('not set');
    expect(secretProblem('')).toBe('not set');
    expect(secretProblem('dev-operator-token')).toMatch(/development/);
    expect(secretProblem('short')).toMatch(/shorter than 16/);
    expect(secretProblem('f3Kq9mZ2xV7pL1wR8tY4')).toBeUndefined();
  });

  it('given a name=secret list, when checked, then development values, short ones and missing names are named', () => {
    expect(secretListProblem('tax=dev-tax-token,ps=f3Kq9mZ2xV7pL1wR8tY4')).toBe('the development value (dev-…) for tax');
    expect(secretListProblem('tax=abcdefgh,ps=f3Kq9mZ2xV7pL1wR8tY4')).toBe('shorter than 16 characters for tax');
    expect(secretListProblem('tax=f3Kq9mZ2xV7pL1wR8tY4', { required: ['operator'] })).toBe('none for operator');
    expect(secretListProblem('tax=f3Kq9mZ2xV7pL1wR8tY4,operator=Zr8p2LmQ4vN7xK1sW9tB', { required: ['operator'] })).toBeUndefined();
  });

  it('given loopback, when the secrets are the development ones, then the start goes on', () => {
    expect(() => refuseDevelopmentSecrets('GATEWAY_HOST', '127.0.0.1', [['GATEWAY_TOKENS', 'the development value (dev-…) for tax']])).not.toThrow();
  });

  it('given an address beyond loopback, when a secret has a problem, then the start stops naming the variable and the host', () => {
    let error: unknown;
    try {
      refuseDevelopmentSecrets('CATALOG_HOST', '0.0.0.0', [['CATALOG_OPERATOR_TOKEN', 'not set'], ['OTHER', undefined]]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['CATALOG_OPERATOR_TOKEN: not set, and CATALOG_HOST=0.0.0.0 listens beyond this machine (README: Secrets for a deployment)']);
  });
});
