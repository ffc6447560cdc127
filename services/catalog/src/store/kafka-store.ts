import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { ensureTopics, type Logger } from '@hub/runtime';
import type { RegistryEvent } from '../registry/events.ts';
import { RecordTooLarge, StoreTimeout, StoreUnavailable, type SchemaStore, type WriteAttempt } from './schema-store.ts';
import { SerialQueue } from './serial-queue.ts';
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
 * Reading: a consumer (its own group, read_committed) replays the topic from
 * the beginning and keeps following it, so every instance sees every write.
 * `position` is the next offset to read; transaction markers move it too.
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
  const transactionalId = `catalog-writer.${topic}`;
  const writes = new SerialQueue();
  let admin: Admin | undefined;
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let position = 0n;
  let failure: Error | undefined;
  let closed = false;
  const waiters = new Set<{ offset: bigint; resolve: () => void; reject: (error: Error) => void }>();

  function advance(next: bigint): void {
    if (next <= position) return;
    position = next;
    for (const waiter of waiters) {
      if (waiter.offset <= position) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  function reached(offset: bigint): Promise<void> {
    if (failure) return Promise.reject(new StoreUnavailable(`the catalog stopped reading ${topic}: ${failure.message}`));
    if (offset <= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        offset,
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (error: Error) => { clearTimeout(timer); reject(error); },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new StoreTimeout(`reading ${topic} up to offset ${offset} took more than ${timeoutMs} ms (at ${position})`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  async function endOffset(): Promise<bigint> {
    if (!admin) throw new StoreUnavailable('the store is not open');
    // read_committed: the last stable offset, past every committed transaction.
    const offsets = await admin.fetchTopicOffsets(topic);
    const partition = offsets.find((o) => o.partition === 0);
    if (!partition) throw new StoreUnavailable(`topic ${topic} has no partition 0`);
    return BigInt(partition.high);
  }

  async function catchUp(): Promise<void> {
    await reached(await endOffset());
  }

  async function writer(): Promise<Producer> {
    if (producer) return producer;
    // Retries stay bounded (kafkajs warns about that for idempotent producers): a write that
    // fails is aborted and tried again with a new producer, so sequence numbers start afresh.
    const candidate = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, transactionTimeout: timeoutMs * 2 });
    await candidate.connect();
    // kafkajs initialises the transactional producer id on the first transaction, not on
    // connect. Do it now, before catching up: it fences every other instance's writer and
    // waits for their open transactions to end, so what we read next is the whole truth.
    const opening = await candidate.transaction();
    await opening.abort(); // nothing was sent: no marker is written
    producer = candidate;
    return candidate;
  }

  async function dropWriter(): Promise<void> {
    const current = producer;
    producer = undefined;
    await current?.disconnect().catch(() => undefined);
  }

  async function append(events: RegistryEvent[]): Promise<bigint> {
    const transaction = await (await writer()).transaction();
    try {
      const [metadata] = await transaction.send({ topic, acks: -1, messages: events.map(encodeEvent) });
      await transaction.commit();
      if (!metadata?.baseOffset) throw new StoreUnavailable(`the broker did not say where the records of ${topic} went`);
      return BigInt(metadata.baseOffset) + BigInt(events.length - 1);
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }

  return {
    async open(apply) {
      await ensureTopics(kafka, [{ topic, partitions: 1, cleanupPolicy: 'compact' }]);
      admin = kafka.admin();
      await admin.connect();
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = metadata.topics[0]?.partitions.length ?? 0;
      if (partitions !== 1) throw new StoreUnavailable(`topic ${topic} has ${partitions} partitions; the catalog needs exactly one (ids are allocated in log order)`);

      consumer = kafka.consumer({
        groupId: `${topic}.reader.${randomUUID()}`, readUncommitted: false, allowAutoTopicCreation: false,
        // A short long-poll: new records still arrive at once, and closing does not wait 5 s for the poll.
        maxWaitTimeInMs: 1_000,
      });
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        // Also fires for batches of transaction markers only, which move the position without events.
        if (payload.topic === topic) advance(BigInt(payload.lastOffset) + 1n);
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        failure = payload.error;
        logger.error({ err: payload.error }, 'the catalog stopped reading its topic');
        for (const waiter of waiters) waiter.reject(new StoreUnavailable(`the catalog stopped reading ${topic}: ${payload.error.message}`));
        waiters.clear();
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset < position) continue; // already applied (a batch fetched again after a rebalance)
            const event = message.key ? decodeRecord({ key: message.key.toString(), value: message.value?.toString() ?? null }) : undefined;
            if (event) apply(event);
            else logger.warn({ offset: message.offset }, 'skipped a record the catalog does not understand');
            advance(offset + 1n);
          }
        },
      });
      await catchUp();
      logger.info({ position: position.toString() }, 'caught up with the topic');
    },

    write<T>(attempt: () => WriteAttempt<T>): Promise<T> {
      return writes.run(async () => {
        for (let attemptNumber = 1; ; attemptNumber++) {
          if (closed) throw new StoreUnavailable('the store is closed');
          try {
            await writer();
            await catchUp();
          } catch (error) {
            await dropWriter();
            if (attemptNumber >= maxWriteAttempts) throw asStoreError(error);
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
            await dropWriter();
            if (attemptNumber >= maxWriteAttempts) throw asStoreError(error);
            logger.info({ err: error, attempt: attemptNumber }, 'write not committed (another instance holds the writer?); deciding again');
            await pause(attemptNumber);
            continue;
          }
          await reached(last + 1n);
          return answer;
        }
      });
    },

    async check() {
      if (failure) throw new Error(`stopped reading ${topic}: ${failure.message}`);
      if (!consumer) throw new Error('not open');
    },

    async close() {
      closed = true;
      for (const waiter of waiters) waiter.reject(new StoreUnavailable('the store is closing'));
      waiters.clear();
      await writes.run(() => undefined);
      await Promise.allSettled([consumer?.disconnect(), dropWriter(), admin?.disconnect()]);
    },
  };
}

function pause(attempt: number): Promise<void> {
  const ms = Math.min(2_000, 25 * 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function asStoreError(error: unknown): Error {
  if (error instanceof StoreUnavailable || error instanceof StoreTimeout) return error;
  return new StoreUnavailable(`Kafka did not take the write: ${messageOf(error)}`);
}

function isTooLarge(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const type = (e as { type?: unknown }).type;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true;
  }
  return false;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
