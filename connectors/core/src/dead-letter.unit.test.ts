import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deadLetterMessage, deadLetterOf, RECORD_REJECTED_TYPE } from './dead-letter.ts';

describe('dead letters', () => {
  const rejected = {
    id: 'b1c2',
    naturalKey: undefined,
    index: 3,
    errors: [{ field: 'XM', reason: 'XM is required' }, { field: 'CSRQ', reason: 'bad date' }],
    original: { XM: '', CSRQ: '1990-13-45' },
  };
  const context = { connector: 'ps', department: 'ps', resource: 'resident-identity', source: { kind: 'file' as const, name: 'a.csv', firstRow: 101 }, receivedAt: new Date('2025-03-01T08:00:00Z') };

  it('names the first field and reason, every error, the original record and its row', () => {
    const letter = deadLetterOf(rejected, context);
    expect(letter).toEqual({
      connector: 'ps', department: 'ps', resource: 'resident-identity',
      source: { kind: 'file', name: 'a.csv', row: 104 },
      field: 'XM', reason: 'XM is required (and 1 more: CSRQ)',
      errors: rejected.errors, original: rejected.original, receivedAt: '2025-03-01T08:00:00.000Z',
      originalBytes: Buffer.byteLength(JSON.stringify(rejected.original)),
      originalSha256: createHash('sha256').update(JSON.stringify(rejected.original)).digest('hex'),
      originalTruncated: false,
    });
  });

  it('cuts an original over 64 KiB, carrying the size and SHA-256 of the whole, and stays far under the broker\'s 1 MiB', () => {
    const huge = '4'.repeat(900_000);
    const original = { GMSFHM: huge, XM: '韦建国', ['N'.repeat(300)]: 'x'.repeat(70_000) };
    const errors = Array.from({ length: 100 }, (_, i) => ({ field: `F${i}`, reason: 'r'.repeat(5_000) }));
    const letter = deadLetterOf({ ...rejected, naturalKey: huge, errors, original }, context);
    const whole = JSON.stringify(original);
    expect(letter).toMatchObject({ originalBytes: Buffer.byteLength(whole), originalSha256: createHash('sha256').update(whole).digest('hex'), originalTruncated: true });
    expect(letter.original.GMSFHM).toBe(`${'4'.repeat(1_024)}…`);
    expect(letter.original.XM).toBe('韦建国');
    expect(Object.keys(letter.original)[2]).toBe(`${'N'.repeat(64)}…`);
    expect(letter.errors).toHaveLength(33);
    expect(letter.errors.at(-1)).toEqual({ field: '(record)', reason: 'and 68 more errors' });
    const message = deadLetterMessage('b1c2', letter, huge);
    expect(message.key).toBe('a.csv#104'); // a natural key that long is no key
    expect(Buffer.byteLength(String(message.value))).toBeLessThan(128 * 1024);
  });

  it('is keyed by the natural key, or by source and row without one, with CloudEvents headers', () => {
    const letter = deadLetterOf(rejected, context);
    const message = deadLetterMessage('b1c2', letter, undefined);
    expect(message.key).toBe('a.csv#104');
    expect(message.headers).toMatchObject({ ce_id: 'b1c2', ce_type: RECORD_REJECTED_TYPE, ce_source: '/connectors/ps/ps/file', 'content-type': 'application/json' });
    expect(deadLetterMessage('b1c2', letter, '4501').key).toBe('4501');
    expect(JSON.parse(String(message.value))).toEqual(letter);
  });
});
