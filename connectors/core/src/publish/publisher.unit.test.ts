import { describe, expect, it } from 'vitest';
import { packRequests, transactionalIdOf } from './publisher.ts';

describe('the publisher without I/O', () => {
  it('packs a batch, its dead letters and its ledger entry into as few produce requests as the limit allows', () => {
    // 100-byte values: 170 bytes a message with the record overhead.
    const m = (n: number) => Array.from({ length: n }, () => ({ value: 'x'.repeat(100) }));
    const requests = packRequests([{ topic: 'records', messages: m(1000) }, { topic: 'dlq', messages: m(120) }, { topic: 'ledger', messages: m(1) }], 1500 * 170);
    expect(requests.map((r) => r.map((g) => [g.topic, g.messages.length]))).toEqual([[['records', 1000], ['dlq', 120], ['ledger', 1]]]);
    const split = packRequests([{ topic: 'records', messages: m(3200) }, { topic: 'ledger', messages: m(1) }], 1500 * 170);
    expect(split.map((r) => r.map((g) => [g.topic, g.messages.length]))).toEqual([[['records', 1500]], [['records', 1500]], [['records', 200], ['ledger', 1]]]);
    expect(split.flat().flatMap((g) => g.messages).length).toBe(3201);
  });

  it('names the transactional id after the connector and the instance, stable across restarts', () => {
    expect(transactionalIdOf('ps', '0')).toBe('hub-connector-ps-0');
  });
});
