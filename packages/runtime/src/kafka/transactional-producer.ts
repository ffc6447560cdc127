import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { keyHashPartitioner } from './record-encoding.ts';
import { packRequests, type SentRecords, type TopicRecords } from './records.ts';

/** Bytes per produce request inside a transaction: each partition's record batch stays well under the broker's 1 MiB limit. */
export const DEFAULT_REQUEST_BYTES = 512 * 1024;

/** Consumer offsets committed inside a transaction (consume-transform-produce): the next offset to read, per partition. */
export interface TransactionOffsets {
  consumerGroupId: string;
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
}

export interface TransactionalProducerOptions {
  kafka: Kafka;
  /**
   * Stable across restarts of the same writer: connecting with it fences the
   * previous run's producer and aborts the transaction it left open.
   */
  transactionalId: string;
  logger: Logger;
  /** How long the broker keeps a transaction open before aborting it (a crashed writer's). */
  transactionTimeoutMs?: number;
  /** Bytes per produce request; see `packRequests`. */
  requestBytes?: number;
}

/**
 * A transactional, idempotent producer (acks=all): a send is all or nothing.
 *
 * - `connect` (also done by the first `commit`) runs InitProducerId: every
 *   other producer with the same transactional id is fenced, and the
 *   transaction a previous run left open is aborted before it returns.
 * - `commit` sends the records, split into produce requests under the
 *   broker's record-batch limit, and with `offsets` the consumer offsets of a
 *   consume-transform-produce step, then commits. On failure it aborts and
 *   throws; a producer that could not abort, or was fenced, is replaced by a
 *   new one (a new epoch) at the next commit.
 * - A fence is reported as `ProducerFencedError`: another process took this
 *   transactional id (a rebalance gave it the input partition, or a second
 *   instance runs with the same id), or the broker aborted a transaction that
 *   outlived its timeout.
 *
 * Commits are not concurrent: one transaction at a time per producer; callers
 * serialise (a SerialQueue, or one producer per input partition).
 */
export interface TransactionalProducer {
  readonly transactionalId: string;
  connect(): Promise<void>;
  commit(records: readonly TopicRecords[], options?: { offsets?: TransactionOffsets }): Promise<SentRecords[]>;
  /** When this producer was last fenced (ms since the epoch). */
  readonly fencedAt: number | undefined;
  /** Drops the current producer; the next `connect` or `commit` makes a new one (and fences every other). */
  reset(): Promise<void>;
  disconnect(): Promise<void>;
}

export class ProducerFencedError extends Error {
  override name = 'ProducerFencedError';
}

export function createTransactionalProducer(options: TransactionalProducerOptions): TransactionalProducer {
  const { kafka, transactionalId } = options;
  const logger = options.logger.child({ component: 'transactional-producer', transactionalId });
  const requestBytes = options.requestBytes ?? DEFAULT_REQUEST_BYTES;
  let producer: Promise<Producer> | undefined;
  let fencedAt: number | undefined;

  function current(): Promise<Producer> {
    producer ??= (async () => {
      const made = kafka.producer({
        transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: options.transactionTimeoutMs ?? 30_000,
        allowAutoTopicCreation: false,
        createPartitioner: keyHashPartitioner,
      });
      await made.connect();
      // kafkajs runs the transactional InitProducerId on the first transaction, not on connect. Run it
      // now: it fences every other producer with this id and waits for what they left open to be
      // aborted, so what is read after `connect` is the whole truth. Nothing sent: no marker written.
      const opening = await made.transaction();
      await opening.abort();
      return made;
    })();
    producer.catch(() => { producer = undefined; });
    return producer;
  }

  async function reset(): Promise<void> {
    const dropped = producer;
    producer = undefined;
    await (await dropped?.catch(() => undefined))?.disconnect().catch(() => undefined);
  }

  return {
    transactionalId,
    get fencedAt() {
      return fencedAt;
    },
    async connect() {
      await current();
    },
    async commit(records, { offsets } = {}) {
      let transaction: Awaited<ReturnType<Producer['transaction']>> | undefined;
      try {
        transaction = await (await current()).transaction();
        const sent: SentRecords[] = [];
        const nonEmpty = records.filter((r) => r.messages.length > 0);
        for (const request of packRequests(nonEmpty, requestBytes)) sent.push(...await transaction.sendBatch({ topicMessages: request, acks: -1 }));
        if (offsets) await transaction.sendOffsets(offsets);
        await transaction.commit();
        return sent;
      } catch (error) {
        if (isFencing(error)) {
          fencedAt = Date.now();
          await reset();
          // The caller decides what a fence means (a catalog writer taken over, a partition moved on); said once, at debug.
          logger.debug({ reason: error instanceof Error ? error.message : String(error) }, 'producer fenced: nothing of this transaction is visible');
          throw new ProducerFencedError(`producer ${transactionalId} was fenced: another process holds this transactional id`, { cause: error });
        }
        if (!transaction) throw error; // nothing begun: nothing to abort
        try {
          await transaction.abort();
        } catch (abortError) {
          logger.warn({ err: abortError }, 'abort failed; a new producer is made for the next transaction');
          await reset();
        }
        throw error;
      }
    },
    reset,
    disconnect: reset,
  };
}

/** Whether a client error says this producer was fenced (a newer epoch holds its transactional id). */
export function isFencing(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const text = `${e.name} ${e.message} ${(e as { type?: string }).type ?? ''}`;
    if (/fenced|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/i.test(text)) return true;
  }
  return false;
}

/** Whether a client error says a record or a request was larger than the broker takes. */
export function isTooLarge(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const type = (e as { type?: unknown }).type;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true;
  }
  return false;
}
