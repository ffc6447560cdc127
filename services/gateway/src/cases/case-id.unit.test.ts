import { describe, expect, it } from 'vitest';
import { caseIdFor, fingerprint, submittedEventId } from './case-id.ts';

describe('case ids', () => {
  it('derives the same case id from the same caller and Idempotency-Key, another from another caller', () => {
    const id = caseIdFor({ owner: 'window', key: 'W07-0001' });
    expect(id).toMatch(/^GW-[0-9A-F]{20}$/);
    expect(caseIdFor({ owner: 'window', key: 'W07-0001' })).toBe(id);
    expect(caseIdFor({ owner: 'tax', key: 'W07-0001' })).not.toBe(id);
    expect(caseIdFor(undefined)).not.toBe(caseIdFor(undefined));
    expect(submittedEventId(id)).toBe(`${id}:1`);
  });

  it('fingerprints a body independently of key order', () => {
    expect(fingerprint({ a: 1, b: { c: [1, 2], d: null } })).toBe(fingerprint({ b: { d: null, c: [1, 2] }, a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
    expect(fingerprint({ a: 1, b: undefined })).toBe(fingerprint({ a: 1 }));
  });
});
