import { describe, expect, it } from 'vitest';
import { headersAsText, headerText, packRequests, recordBytes } from './records.ts';

describe('records without I/O', () => {
  it('packs a batch, its dead letters and its ledger entry of one transaction into as few produce requests as the limit allows', () => {
    // 100-byte values: 170 bytes a message with the record overhead.
    const m = (n: number) => Array.from({ length: n }, () => ({ value: 'x'.repeat(100) }));
    const requests = packRequests([{ topic: 'records', messages: m(1000) }, { topic: 'dlq', messages: m(120) }, { topic: 'ledger', messages: m(1) }], 1500 * 170);
    expect(requests.map((r) => r.map((g) => [g.topic, g.messages.length]))).toEqual([[['records', 1000], ['dlq', 120], ['ledger', 1]]]);
    const split = packRequests([{ topic: 'records', messages: m(3200) }, { topic: 'ledger', messages: m(1) }], 1500 * 170);
    expect(split.map((r) => r.map((g) => [g.topic, g.messages.length]))).toEqual([[['records', 1500]], [['records', 1500]], [['records', 200], ['ledger', 1]]]);
    expect(split.flat().flatMap((g) => g.messages).length).toBe(3201);
  });

  it('sizes a record with its key, value and headers', () => {
    expect(recordBytes({ key: 'k', value: Buffer.alloc(10), headers: { ce_id: 'abc', tags: ['x', 'yz'] } })).toBe(70 + 1 + 10 + 5 + 3 + 4 + 3);
  });

  it('reads headers as text', () => {
    const headers = { ce_id: Buffer.from('e-1'), many: [Buffer.from('a'), Buffer.from('b')], gone: undefined };
    expect(headerText(headers, 'ce_id')).toBe('e-1');
    expect(headerText(headers, 'many')).toBe('a');
    expect(headerText(headers, 'absent')).toBeUndefined();
    expect(headersAsText(headers)).toEqual({ ce_id: 'e-1', many: 'a,b' });
  });
});
