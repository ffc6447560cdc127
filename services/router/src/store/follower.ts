import { createTopicReader, topicEndOffsets, type ConsumedRecord, type Kafka, type Logger, type TopicReader } from '@hub/runtime';
import type { TopicPositions } from './database.ts';

export interface FollowerOptions<P = ConsumedRecord[]> {
  kafka: Kafka;
  logger: Logger;
  topics: readonly string[];
  /** Prefix of the readers' consumer groups (each start joins fresh ones; the positions are the file's). */
  groupPrefix: string;
  positions: TopicPositions;
  /** Reads a batch before it is applied (decodes its Avro, which is asynchronous); the records themselves without it. */
  prepare?(topic: string, partition: number, records: ConsumedRecord[]): Promise<P>;
  /** Applies one batch of one partition; runs inside the SQLite transaction that stores the position after it. */
  apply(topic: string, partition: number, prepared: P): void;
  /** Forgets what was applied of a topic (its log was made anew: the file's positions lie past its end). */
  forget(topic: string): void;
  maxWaitTimeInMs?: number;
  /** Bytes a fetch waits for (see `TopicReaderOptions.minBytes`). */
  minBytes?: number;
}

/** Topics followed into a table of the router's file, each batch applied with its position in one transaction. */
export interface Follower {
  /** Reads every topic from where the file left off (from the beginning for a new file) to its end. */
  start(): Promise<void>;
  /** Measures the topics' ends now and resolves once every partition is read up to them. */
  catchUp(timeoutMs?: number): Promise<void>;
  readonly readers: ReadonlyMap<string, TopicReader>;
  /** Whether the first catch-up is done. */
  readonly caughtUp: boolean;
  /** Why a reader stopped for good, if one did. */
  readonly failure: Error | undefined;
  /** Records applied since the start: a restart that resumes applies only what came after. */
  readonly applied: number;
  close(): Promise<void>;
}

/**
 * One reader per topic (`createTopicReader` of @hub/runtime), resumed from the
 * positions the file holds, each batch applied in the same SQLite transaction
 * as the position after it: a crash between two batches loses neither and
 * applies nothing twice. Batches of only transaction markers move the
 * position too.
 */
export function createFollower<P = ConsumedRecord[]>(options: FollowerOptions<P>): Follower {
  const { kafka, positions } = options;
  const logger = options.logger.child({ component: 'follower' });
  let applied = 0;
  let caughtUp = false;
  const applyBatch = async (topic: string, partition: number, records: ConsumedRecord[]) => {
    const prepared = options.prepare ? await options.prepare(topic, partition, records) : (records as P);
    positions.atomically(() => {
      options.apply(topic, partition, prepared);
      positions.save(topic, partition, BigInt(records[records.length - 1]!.offset) + 1n);
    });
  };
  const readers = new Map<string, TopicReader>(
    options.topics.map((topic) => [
      topic,
      createTopicReader({
        kafka,
        logger,
        topic,
        groupPrefix: options.groupPrefix,
        resumeFrom: () => positions.of(topic),
        async onRecords(partition, records) {
          await applyBatch(topic, partition, records);
          applied += records.length;
        },
        onProgress: (partition, next) => positions.save(topic, partition, next),
        ...(options.maxWaitTimeInMs === undefined ? {} : { maxWaitTimeInMs: options.maxWaitTimeInMs }),
        ...(options.minBytes === undefined ? {} : { minBytes: options.minBytes }),
      }),
    ]),
  );

  /** A file kept across a broker made anew (a fresh dev Kafka) holds positions past the topics' ends: read those topics again. */
  async function forgetRecreated(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const topic of options.topics) {
        const stored = positions.of(topic);
        if (stored.size === 0) continue;
        const ends = await topicEndOffsets(kafka, topic, { admin });
        const past = [...stored].filter(([partition, next]) => next > (ends.get(partition) ?? 0n));
        if (past.length === 0) continue;
        logger.warn({ topic, partitions: past.map(([partition]) => partition) }, 'the file has read further than the topic holds: the topic was made anew, it is read again from the beginning');
        positions.atomically(() => {
          options.forget(topic);
          positions.forget(topic);
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  return {
    async start() {
      await forgetRecreated();
      await Promise.all([...readers.values()].map((reader) => reader.start()));
      caughtUp = true;
    },
    async catchUp(timeoutMs) {
      await Promise.all([...readers.values()].map((reader) => reader.catchUp(timeoutMs)));
    },
    readers,
    get caughtUp() {
      return caughtUp;
    },
    get failure() {
      for (const reader of readers.values()) if (reader.failure) return reader.failure;
      return undefined;
    },
    get applied() {
      return applied;
    },
    async close() {
      await Promise.all([...readers.values()].map((reader) => reader.close()));
    },
  };
}
