import { describe, expect, it } from 'vitest';
import { classify, describeOutcome, parseRetryAfter } from './outcome.ts';

describe('classifying a webhook attempt', () => {
  it.each([
    [200, 'delivered'], [202, 'delivered'], [204, 'delivered'],
    [301, 'permanent'], [400, 'permanent'], [401, 'permanent'], [403, 'permanent'], [404, 'permanent'], [422, 'permanent'],
    [408, 'transient'], [429, 'transient'],
    [500, 'transient'], [502, 'transient'], [503, 'transient'], [504, 'transient'],
  ] as const)('HTTP %i is %s', (status, verdict) => {
    expect(classify({ kind: 'response', status })).toBe(verdict);
  });

  it('treats timeouts and connection errors as transient', () => {
    expect(classify({ kind: 'timeout', timeoutMs: 100 })).toBe('transient');
    expect(classify({ kind: 'error', message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' })).toBe('transient');
  });

  it('describes each outcome in a few words', () => {
    expect(describeOutcome({ kind: 'response', status: 503 })).toBe('HTTP 503');
    expect(describeOutcome({ kind: 'timeout', timeoutMs: 250 })).toBe('timeout after 250 ms');
    expect(describeOutcome({ kind: 'written', path: '/srv/civil/a.json' })).toBe('written to /srv/civil/a.json');
    expect(describeOutcome({ kind: 'error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' })).toBe('ECONNREFUSED: connect ECONNREFUSED');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2025-03-10T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Mon, 10 Mar 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
