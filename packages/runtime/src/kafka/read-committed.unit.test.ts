import { describe, expect, it } from 'vitest';
import { assertReadCommittedFilter, filterAbortedRecords } from './read-committed.ts';

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);
type Fetched = { offset: string; key: Buffer | null; isControlRecord: boolean; batchContext: { producerId: string; inTransaction: boolean } };
const data = (offset: number, producerId: string, inTransaction = true, key: Buffer | null = Buffer.from(`r${offset}`)): Fetched => ({ offset: String(offset), key, isControlRecord: false, batchContext: { producerId, inTransaction } });
const marker = (offset: number, producerId: string, key: Buffer): Fetched => ({ offset: String(offset), key, isControlRecord: true, batchContext: { producerId, inTransaction: true } });
const kept = (messages: Fetched[], abortedTransactions: Array<{ producerId: string; firstOffset: string }>) =>
  filterAbortedRecords({ messages, abortedTransactions }).filter((m) => !m.isControlRecord).map((m) => Number(m.offset));

describe('read_committed: records of aborted transactions', () => {
  it('given three producers aborted one after another (the list in the order they ended), none of their records is read', () => {
    // After a kill -9, one open transaction per input partition, each writing this deliveries partition.
    const messages = [data(0, 'A'), data(1, 'B'), data(2, 'C'), data(3, 'A'), data(4, 'B'), marker(5, 'C', ABORT), data(6, 'D'), marker(7, 'A', ABORT), marker(8, 'B', ABORT), marker(9, 'D', COMMIT)];
    expect(kept(messages, [{ producerId: 'C', firstOffset: '2' }, { producerId: 'A', firstOffset: '0' }, { producerId: 'B', firstOffset: '1' }])).toEqual([6]);
  });

  it('given a fetch that starts inside two aborted transactions, both are ignored from its first record', () => {
    const messages = [data(10, 'B'), data(11, 'A'), marker(12, 'A', ABORT), marker(13, 'B', ABORT), data(14, 'C')];
    expect(kept(messages, [{ producerId: 'A', firstOffset: '3' }, { producerId: 'B', firstOffset: '4' }])).toEqual([14]);
  });

  it('given a producer that aborted and then committed, its committed transaction is read', () => {
    const messages = [data(0, 'A'), marker(1, 'A', ABORT), data(2, 'A'), marker(3, 'A', COMMIT)];
    expect(kept(messages, [{ producerId: 'A', firstOffset: '0' }])).toEqual([2]);
  });

  it('given records outside transactions, or a record keyed like a marker, they are read', () => {
    const messages = [data(0, 'A'), data(1, 'N', false), data(2, 'A', true, ABORT), marker(3, 'A', ABORT)];
    expect(kept(messages, [{ producerId: 'A', firstOffset: '0' }])).toEqual([1]);
  });

  it('given no aborted transaction, every record is read', () => {
    const messages = [data(0, 'A'), marker(1, 'A', COMMIT)];
    expect(filterAbortedRecords({ messages, abortedTransactions: [] })).toBe(messages);
  });

  it('is the filter kafkajs uses in this process', () => {
    expect(() => assertReadCommittedFilter()).not.toThrow();
  });
});

describe('grouping a produce call by partition', () => {
  it('gives each partition its messages in order, as kafkajs does', async () => {
    const { groupMessagesPerPartition } = await import('./message-grouping.ts');
    const messages = Array.from({ length: 10 }, (_, i) => ({ n: i }));
    const grouped = groupMessagesPerPartition({ topic: 't', partitionMetadata: [{}, {}, {}], messages, partitioner: ({ message }) => message.n % 3 });
    expect(grouped).toEqual({ 0: [{ n: 0 }, { n: 3 }, { n: 6 }, { n: 9 }], 1: [{ n: 1 }, { n: 4 }, { n: 7 }], 2: [{ n: 2 }, { n: 5 }, { n: 8 }] });
    expect(groupMessagesPerPartition({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 })).toEqual({});
  });
});
