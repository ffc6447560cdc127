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
    });
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
