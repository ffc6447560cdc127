import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 (its last release) lets records of aborted transactions
 * through to read_committed consumers when several aborted transactions
 * overlap in one partition. Its `filterAbortedMessages` takes the fetch
 * response's aborted-transaction list as sorted by first offset and starts
 * ignoring at most one producer per record. The broker lists them in the order
 * they ended (its transaction index), and a fetch that starts inside several
 * of them needs several at once; the Java consumer keeps them in a priority
 * queue by first offset and takes every one that has begun. So when a kill -9
 * leaves one open transaction per input partition, each writing
 * `deliveries.<dept>`, and the next owner aborts them one after another, the
 * first records of some of them were read as committed: deliveries written
 * twice, once by the aborted transaction and once by the batch done again,
 * while `cases.events` (one producer per partition) read right.
 *
 * `filterAbortedRecords` is the Java consumer's rule. kafkajs' consumer batch
 * holds its filter from the moment it is loaded, so the module is swapped in
 * the module cache before kafkajs is first loaded: `kafkajs-preload.ts`, which
 * imports this file, comes ahead of `kafkajs` in every file of this package
 * that loads it.
 * `createKafka` checks that the swap took (`assertReadCommittedFilter`) and
 * refuses to make a client otherwise.
 */

const require = createRequire(import.meta.url);

interface FetchedRecord {
  offset: string;
  key: Buffer | null;
  isControlRecord?: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
}
interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

/** The commit and abort markers are control records keyed `[version: int16 0][type: int16]`, type 0 for an abort. */
const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);
const isAbortMarker = (record: FetchedRecord): boolean => record.isControlRecord === true && record.key !== null && Buffer.from(record.key).equals(ABORT_MARKER_KEY);

/**
 * The records of a fetched partition that no aborted transaction wrote (its
 * markers stay, for kafkajs to drop with the other control records): each
 * aborted producer is ignored from its transaction's first offset up to its
 * abort marker, whatever order the list comes in and however many have begun
 * before the first record fetched.
 */
export function filterAbortedRecords<R extends FetchedRecord>({ messages, abortedTransactions }: { messages: R[]; abortedTransactions?: readonly AbortedTransaction[] | null }): R[] {
  if (!abortedTransactions || abortedTransactions.length === 0) return messages;
  const pending = abortedTransactions.map((t) => ({ producerId: t.producerId, firstOffset: BigInt(t.firstOffset) })).sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const ignoring = new Set<string>();
  let next = 0;
  return messages.filter((record) => {
    const offset = BigInt(record.offset);
    while (next < pending.length && pending[next]!.firstOffset <= offset) ignoring.add(pending[next++]!.producerId);
    const { producerId, inTransaction } = record.batchContext;
    if (isAbortMarker(record)) {
      ignoring.delete(producerId);
      return true;
    }
    return !(inTransaction && ignoring.has(producerId));
  });
}

const filterPath = require.resolve('kafkajs/src/consumer/filterAbortedMessages.js');
const batchPath = require.resolve('kafkajs/src/consumer/batch.js');

// Only before kafkajs' consumer batch is loaded: afterwards it holds the old filter, and the check below says so.
if (!require.cache[batchPath]) {
  require(filterPath);
  const cached = require.cache[filterPath];
  if (cached) cached.exports = filterAbortedRecords;
}

/** Throws unless kafkajs' consumer drops aborted records as the Java consumer does (see `filterAbortedRecords`). */
export function assertReadCommittedFilter(): void {
  const Batch = require(batchPath) as new (topic: string, fetchedOffset: string, data: object) => { messages: Array<{ offset: string }> };
  const record = (offset: number, producerId: string, control = false): FetchedRecord => ({
    offset: String(offset),
    key: control ? ABORT_MARKER_KEY : Buffer.from('k'),
    isControlRecord: control,
    batchContext: { producerId, inTransaction: true },
  });
  // Two transactions aborted in the other order than they began: neither record may come through.
  const batch = new Batch('t', '0', {
    partition: 0,
    highWatermark: '4',
    abortedTransactions: [{ producerId: '2', firstOffset: '1' }, { producerId: '1', firstOffset: '0' }],
    messages: [record(0, '1'), record(1, '2'), record(2, '2', true), record(3, '1', true)],
  });
  if (batch.messages.length > 0) {
    throw new Error('kafkajs was loaded before @hub/runtime could fix its read_committed filter: records of aborted transactions would be read as committed. Import @hub/runtime before kafkajs.');
  }
}
