import {
  backoffDelay,
  createTopicReader,
  createTransactionalProducer,
  ensureTopics,
  isTooLarge,
  ReaderTimeoutError,
  SerialQueue,
  sleep,
  type Kafka,
  type Logger,
  type TopicReader,
} from '@hub/runtime';
import type { RegistryEvent } from '../registry/events.ts';
import { RecordTooLarge, StoreTimeout, StoreUnavailable, type SchemaStore, type WriteAttempt } from './schema-store.ts';
import { decodeRecord, encodeEvent } from './topic-records.ts';

export interface KafkaStoreOptions {
  kafka: Kafka;
  /** The compacted topic, `_schemas` by default; one partition. */
  topic: string;
  logger: Logger;
  /** How long a read-back or catch-up may take before the request fails with 50002. */
  timeoutMs?: number;
  /** How many times a write is tried again after another instance fenced this one. */
  maxWriteAttempts?: number;
}

/**
 * The Kafka adapter of the store port: the registry's events are records of a
 * compacted, single-partition topic.
 *
 * Reading: the kit's topic reader (its own group, read_committed) replays the
 * topic from the beginning and keeps following it, so every instance sees
 * every write; transaction markers move its position too.
 *
 * Writing, safe with several instances: every instance writes through a
 * transactional producer with the SAME transactional id (derived from the
 * topic). Kafka lets only the producer that initialised last commit; the
 * others are fenced. So a write is: hold the producer (initialising it fences
 * the others and waits for their open transactions to finish), catch up to the
 * topic's end, decide on that state, and commit. If another instance took the
 * producer over in between, the commit fails and the write is tried again from
 * a fresh catch-up, so no two instances ever commit decisions made on the same
 * state: an id or a version cannot be handed out twice. Deciding again after
 * an ambiguous failure is harmless: a schema that did get written is found and
 * its id answered.
 */
export function kafkaSchemaStore(options: KafkaStoreOptions): SchemaStore {
  const { kafka, topic, timeoutMs = 30_000, maxWriteAttempts = 8 } = options;
  const logger = options.logger.child({ component: 'kafka-store', topic });
  const writes = new SerialQueue();
  // Retries stay bounded (kafkajs warns about that for idempotent producers): a write that
  // fails is aborted and tried again with a new producer, so sequence numbers start afresh.
  const writer = createTransactionalProducer({ kafka, logger, transactionalId: `catalog-writer.${topic}`, transactionTimeoutMs: timeoutMs * 2 });
  let reader: TopicReader | undefined;
  let closed = false;

  const unavailable = (error: unknown): Error => {
    if (error instanceof StoreUnavailable || error instanceof StoreTimeout) return error;
    if (error instanceof ReaderTimeoutError) return new StoreTimeout(error.message);
    return new StoreUnavailable(`Kafka did not take the write: ${messageOf(error)}`);
  };

  async function catchUp(): Promise<void> {
    if (!reader) throw new StoreUnavailable('the store is not open');
    if (reader.failure) throw new StoreUnavailable(`the catalog stopped reading ${topic}: ${reader.failure.message}`);
    await reader.catchUp(timeoutMs);
  }

  async function append(events: readonly RegistryEvent[]): Promise<bigint> {
    const [metadata] = await writer.commit([{ topic, messages: events.map(encodeEvent) }]);
    if (!metadata?.baseOffset) throw new StoreUnavailable(`the broker did not say where the records of ${topic} went`);
    return BigInt(metadata.baseOffset) + BigInt(events.length - 1);
  }

  const pause = (attempt: number): Promise<void> => sleep(backoffDelay({ baseMs: 50, maxMs: 4_000 }, attempt));

  return {
    async open(apply) {
      await ensureTopics(kafka, [{ topic, partitions: 1, cleanupPolicy: 'compact' }]);
      const admin = kafka.admin();
      await admin.connect();
      try {
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = metadata.topics[0]?.partitions.length ?? 0;
        if (partitions !== 1) throw new StoreUnavailable(`topic ${topic} has ${partitions} partitions; the catalog needs exactly one (ids are allocated in log order)`);
      } finally {
        await admin.disconnect();
      }
      reader = createTopicReader({
        kafka,
        logger,
        topic,
        groupPrefix: `${topic}.reader`,
        // A short long-poll: new records still arrive at once, and closing does not wait 5 s for the poll.
        maxWaitTimeInMs: 1_000,
        onRecords: (_partition, records) => {
          for (const record of records) {
            const event = record.key ? decodeRecord({ key: record.key.toString(), value: record.value?.toString() ?? null }) : undefined;
            if (event) apply(event);
            else logger.warn({ offset: record.offset }, 'skipped a record the catalog does not understand');
          }
        },
      });
      await reader.start();
      logger.info({ position: reader.position(0).toString() }, 'caught up with the topic');
    },

    write<T>(attempt: () => WriteAttempt<T>): Promise<T> {
      return writes.run(async () => {
        for (let attemptNumber = 1; ; attemptNumber++) {
          if (closed) throw new StoreUnavailable('the store is closed');
          try {
            // Holding the writer fences every other instance's and waits for their open
            // transactions to end, so the catch-up that follows reads the whole truth.
            await writer.connect();
            await catchUp();
          } catch (error) {
            await writer.reset();
            if (attemptNumber >= maxWriteAttempts) throw unavailable(error);
            await pause(attemptNumber);
            continue;
          }
          const { events, answer } = attempt(); // a refusal (domain error) goes straight to the caller
          if (events.length === 0) return answer;
          let last: bigint;
          try {
            last = await append(events);
          } catch (error) {
            if (isTooLarge(error)) throw new RecordTooLarge(`the record is larger than the broker accepts: ${messageOf(error)}`);
            await writer.reset();
            if (attemptNumber >= maxWriteAttempts) throw unavailable(error);
            logger.info({ err: error, attempt: attemptNumber }, 'write not committed (another instance holds the writer?); deciding again');
            await pause(attemptNumber);
            continue;
          }
          try {
            await reader!.reached(0, last + 1n, timeoutMs);
          } catch (error) {
            throw unavailable(error);
          }
          return answer;
        }
      });
    },

    async check() {
      if (!reader) throw new Error('not open');
      if (reader.failure) throw new Error(`stopped reading ${topic}: ${reader.failure.message}`);
    },

    async close() {
      closed = true;
      await writes.drained();
      await Promise.allSettled([reader?.close(), writer.disconnect()]);
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
