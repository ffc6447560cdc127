import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { consumedRecord, type ConsumedRecord, type EachBatchPayload, type SentRecords, type TopicRecords } from './records.ts';
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
  /**
   * On a clean stop, while this instance still holds its partitions and no
   * batch is in flight: what to write in one last transaction of each
   * partition (no offsets move), e.g. a signed checkpoint of an audit chain.
   * Its outcome comes to `committed` or `aborted` as a batch with no records.
   */
  closing?(topic: string, partition: number): Promise<TopicRecords[]> | TopicRecords[];
  sessionTimeoutMs?: number;
  transactionTimeoutMs?: number;
  /** Longest wait of a fetch with nothing new (or less than `minBytes`). */
  maxWaitTimeInMs?: number;
  /**
   * Bytes a fetch waits for, up to `maxWaitTimeInMs` (default 1: it answers
   * with whatever is there). A step whose latency matters less than its cost
   * per batch (each batch is a transaction: some six requests) waits for more.
   */
  minBytes?: number;
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
 *
 * kafkajs 2.2.4's OffsetFetch (v4) cannot ask for stable offsets (KIP-447's
 * require_stable): at every group join it takes each partition's position
 * from the group's committed offset, and a transaction that committed a
 * moment before may not have its offsets in place yet. The batch it covered
 * would then be read and processed again, by this instance on a partition it
 * kept (no fence: its own producer) or by the new owner. So every batch
 * starts at the offset this instance last committed for the partition, and a
 * partition newly taken reads the group's offset again once the fence has
 * completed the previous owner's transaction; records below it are skipped.
 */
export function createExactlyOnceProcessor(options: ExactlyOnceOptions): ExactlyOnceProcessor {
  const { kafka, groupId } = options;
  const logger = options.logger.child({ component: 'exactly-once', groupId });
  const producers = new Map<string, { topic: string; partition: number; producer: TransactionalProducer }>();
  const ready = new Map<string, Promise<void>>();
  /** Partitions whose producer was fenced since the last group join. */
  const fenced = new Set<string>();
  /** The next offset to process per partition held: what this instance committed last, or the group's offset read after the fence. */
  const floors = new Map<string, bigint>();
  /** The batches being processed now, so that a clean stop waits for them before its last transactions. */
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  let admin: Admin | undefined;
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

  /** The group's committed offset of a partition (the next to read), or 0 when it has none. */
  async function committedOffset(topic: string, partition: number): Promise<bigint> {
    if (!admin) {
      const made = kafka.admin();
      admin = made;
      await made.connect().catch((error: unknown) => {
        admin = undefined;
        throw error;
      });
    }
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const offset = offsets?.partitions.find((p) => p.partition === partition)?.offset;
    return offset !== undefined && BigInt(offset) > 0n ? BigInt(offset) : 0n;
  }

  async function release(key: string): Promise<void> {
    const held = producers.get(key);
    producers.delete(key);
    ready.delete(key);
    floors.delete(key);
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
        ...(options.minBytes === undefined ? {} : { minBytes: options.minBytes }),
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
        eachBatch: async (payload) => {
          if (stopping) return;
          const running = eachBatch(payload);
          inFlight.add(running);
          try {
            await running;
          } finally {
            inFlight.delete(running);
          }
        },
      });
    },
    async stop() {
      if (consumer && options.closing) await closeTransactions(consumer);
      await consumer?.disconnect();
      await Promise.all([...producers.keys()].map(release));
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
      assignment = new Set();
    },
  };

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const key = partitionKey(batch.topic, batch.partition);
    if (fenced.has(key)) {
      // Another instance holds this partition's transactional id: wait for the group to say whose it is.
      throw new ProducerFencedError(`${key} is held by another instance; waiting for the next group join`);
    }
    const producer = producerFor(batch.topic, batch.partition);
    let prepared = ready.get(key);
    if (!prepared) {
      // Fence the previous owner (and let its open transaction end) before reading state it wrote. Its
      // transaction complete, the group's offset is where this partition really stands.
      prepared = producer.connect().then(async () => {
        floors.set(key, await committedOffset(batch.topic, batch.partition));
        await options.assigned?.(batch.topic, batch.partition);
      });
      ready.set(key, prepared);
      prepared.catch(() => ready.delete(key));
    }
    await prepared;
    // Past the batch's last record, or past the transaction markers and aborted records after it when the fetch held them.
    const last = batch.messages.at(-1)!;
    const next = (BigInt(batch.lastOffset()) > BigInt(last.offset) ? BigInt(batch.lastOffset()) : BigInt(last.offset)) + 1n;
    const floor = floors.get(key) ?? 0n;
    const messages = BigInt(batch.messages[0]!.offset) >= floor ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= floor);
    if (messages.length < batch.messages.length) logger.info({ partition: key, from: batch.messages[0]!.offset, committed: floor.toString(), skipped: batch.messages.length - messages.length }, 'records already processed and committed skipped (a group join read an older offset)');
    if (messages.length === 0) {
      // All below the committed offset; what lies between them and `next` is markers and aborted records.
      resolveOffset((next - 1n).toString());
      return;
    }
    const input: InputBatch = { topic: batch.topic, partition: batch.partition, records: messages.map((m) => consumedRecord(batch.topic, batch.partition, m)) };
    try {
      const output = await options.process(input);
      await heartbeat();
      const sent = await producer.commit(output, {
        offsets: { consumerGroupId: groupId, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next.toString() }] }] },
      });
      floors.set(key, next);
      options.committed?.(input, sent);
      resolveOffset((next - 1n).toString());
    } catch (error) {
      await options.aborted?.(input, error);
      if (error instanceof ProducerFencedError) {
        fenced.add(key);
        ready.delete(key);
        floors.delete(key);
        logger.warn({ partition: key }, 'fenced: another instance took this partition over');
      }
      throw error;
    }
  }

  /** A clean stop's last transaction of each partition held (see `closing`), before the group is left. */
  async function closeTransactions(running: Consumer): Promise<void> {
    stopping = true;
    try {
      running.pause(options.topics.map((topic) => ({ topic })));
    } catch {
      // Not running (it crashed for good): nothing is fetched anyway.
    }
    await Promise.allSettled([...inFlight]);
    for (const [key, held] of producers) {
      const prepared = ready.get(key);
      if (!prepared || fenced.has(key)) continue;
      const batch: InputBatch = { topic: held.topic, partition: held.partition, records: [] };
      try {
        await prepared;
        const records = (await options.closing!(held.topic, held.partition)).filter((r) => r.messages.length > 0);
        if (records.length === 0) continue;
        const sent = await held.producer.commit(records);
        options.committed?.(batch, sent);
      } catch (error) {
        await options.aborted?.(batch, error);
        logger.warn({ err: error, partition: key }, 'the last transaction before the stop did not commit');
      }
    }
  }
}
