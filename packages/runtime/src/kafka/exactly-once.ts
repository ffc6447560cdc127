import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { consumedRecord, type ConsumedRecord, type SentRecords, type TopicRecords } from './records.ts';
import { createTransactionalProducer, ProducerFencedError, type TransactionalProducer } from './transactional-producer.ts';

export interface InputBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
}

export interface ExactlyOnceOptions {
  kafka: Kafka;
  logger: Logger;
  /** The consumer group the instances share; its offsets are committed inside each transaction. */
  groupId: string;
  topics: readonly string[];
  /** Transactional ids are `<prefix>.<topic>.<partition>`: one per input partition. */
  transactionalIdPrefix: string;
  /**
   * What a batch of one input partition produces. Nothing it returns is seen
   * by a read_committed reader unless the transaction, with the batch's
   * offsets, commits. Deterministic: a batch processed again after an abort
   * or a crash must produce the same records (same event ids).
   */
  process(batch: InputBatch): Promise<TopicRecords[]> | TopicRecords[];
  /** Before the first batch of a partition newly assigned here: rebuild its state (from a changelog or a replay). */
  assigned?(topic: string, partition: number): Promise<void> | void;
  /** A partition left this instance (rebalance, stop): drop its state. */
  revoked?(topic: string, partition: number): void;
  /** The batch's transaction committed: make what `process` decided the state. */
  committed?(batch: InputBatch, sent: SentRecords[]): void;
  /** The batch's transaction did not commit: undo what `process` changed; the batch comes again. */
  aborted?(batch: InputBatch, error: unknown): Promise<void> | void;
  sessionTimeoutMs?: number;
  transactionTimeoutMs?: number;
  /** Longest wait of a fetch with nothing new. */
  maxWaitTimeInMs?: number;
  /** Bytes fetched per partition and request: the size of a batch, and so of a transaction. */
  maxBytesPerPartition?: number;
  /** Partitions processed at once (each has its own producer, so transactions of different partitions overlap). */
  partitionsConsumedConcurrently?: number;
}

export interface ExactlyOnceProcessor {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** `topic:partition` of every partition assigned here. */
  readonly assignment: ReadonlySet<string>;
  /** False once the consumer crashed for good. */
  readonly healthy: boolean;
}

const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * Consume-transform-produce, exactly once: each batch of an input partition
 * is processed, and its output records and its consumer offsets are written
 * in one Kafka transaction, so a crash never loses or repeats a step.
 *
 * kafkajs 2.2.4 sends `TxnOffsetCommit` v0/v1, which carry no consumer-group
 * generation: KIP-447's fencing (one producer per instance, fenced by the
 * group's generation) does not protect the offsets here. So fencing is done
 * the way it was before KIP-447: one transactional id per input partition.
 * The instance a rebalance gives a partition makes that partition's producer,
 * which fences the previous owner's; a stale owner's next commit fails as
 * fenced, nothing it wrote after the handover becomes visible, and it does not
 * make a new producer for that partition until a later group join gives the
 * partition back to it.
 */
export function createExactlyOnceProcessor(options: ExactlyOnceOptions): ExactlyOnceProcessor {
  const { kafka, groupId } = options;
  const logger = options.logger.child({ component: 'exactly-once', groupId });
  const producers = new Map<string, { topic: string; partition: number; producer: TransactionalProducer }>();
  const ready = new Map<string, Promise<void>>();
  /** Partitions whose producer was fenced since the last group join. */
  const fenced = new Set<string>();
  let assignment = new Set<string>();
  let consumer: Consumer | undefined;
  let healthy = true;

  function producerFor(topic: string, partition: number): TransactionalProducer {
    const key = partitionKey(topic, partition);
    let held = producers.get(key);
    if (!held) {
      const producer = createTransactionalProducer({
        kafka,
        logger,
        transactionalId: `${options.transactionalIdPrefix}.${topic}.${partition}`,
        ...(options.transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs: options.transactionTimeoutMs }),
      });
      held = { topic, partition, producer };
      producers.set(key, held);
    }
    return held.producer;
  }

  async function release(key: string): Promise<void> {
    const held = producers.get(key);
    producers.delete(key);
    ready.delete(key);
    if (!held) return;
    options.revoked?.(held.topic, held.partition);
    await held.producer.disconnect();
  }

  return {
    get assignment() {
      return assignment;
    },
    get healthy() {
      return healthy;
    },
    async start() {
      const made = kafka.consumer({
        groupId,
        readUncommitted: false,
        allowAutoTopicCreation: false,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        maxWaitTimeInMs: options.maxWaitTimeInMs ?? 500,
        ...(options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: options.maxBytesPerPartition }),
      });
      consumer = made;
      made.on(made.events.CRASH, ({ payload }) => {
        logger[payload.restart ? 'warn' : 'error']({ err: payload.error, restart: payload.restart }, 'consumer failed');
        if (!payload.restart) healthy = false;
      });
      made.on(made.events.GROUP_JOIN, ({ payload }) => {
        healthy = true;
        fenced.clear();
        const next = new Set<string>();
        for (const [topic, partitions] of Object.entries(payload.memberAssignment)) for (const partition of partitions) next.add(partitionKey(topic, partition));
        for (const key of assignment) if (!next.has(key)) void release(key);
        assignment = next;
        logger.info({ assignment: [...next] }, 'partitions assigned');
      });
      await made.connect();
      for (const topic of options.topics) await made.subscribe({ topic, fromBeginning: true });
      await made.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (batch.messages.length === 0 || !isRunning() || isStale()) return;
          const key = partitionKey(batch.topic, batch.partition);
          if (fenced.has(key)) {
            // Another instance holds this partition's transactional id: wait for the group to say whose it is.
            throw new ProducerFencedError(`${key} is held by another instance; waiting for the next group join`);
          }
          const producer = producerFor(batch.topic, batch.partition);
          let prepared = ready.get(key);
          if (!prepared) {
            // Fence the previous owner (and let its open transaction end) before reading state it wrote.
            prepared = producer.connect().then(() => options.assigned?.(batch.topic, batch.partition));
            ready.set(key, prepared);
            prepared.catch(() => ready.delete(key));
          }
          await prepared;
          const input: InputBatch = { topic: batch.topic, partition: batch.partition, records: batch.messages.map((m) => consumedRecord(batch.topic, batch.partition, m)) };
          // Past the batch's last record, or past the transaction markers and aborted records after it when the fetch held them.
          const last = batch.messages.at(-1)!;
          const next = (BigInt(batch.lastOffset()) > BigInt(last.offset) ? BigInt(batch.lastOffset()) : BigInt(last.offset)) + 1n;
          try {
            const output = await options.process(input);
            await heartbeat();
            const sent = await producer.commit(output, {
              offsets: { consumerGroupId: groupId, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next.toString() }] }] },
            });
            options.committed?.(input, sent);
            resolveOffset((next - 1n).toString());
          } catch (error) {
            await options.aborted?.(input, error);
            if (error instanceof ProducerFencedError) {
              fenced.add(key);
              ready.delete(key);
              logger.warn({ partition: key }, 'fenced: another instance took this partition over');
            }
            throw error;
          }
        },
      });
    },
    async stop() {
      await consumer?.disconnect();
      await Promise.all([...producers.keys()].map(release));
      assignment = new Set();
    },
  };
}
