import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { consumedRecord, type ConsumedRecord } from './records.ts';
import { topicEndOffsets } from './topics.ts';

export interface TopicReaderOptions {
  kafka: Kafka;
  logger: Logger;
  topic: string;
  /**
   * Prefix of the reader's consumer group. Each start joins a fresh group: the
   * reader's position is its caller's (in memory, or stored beside its state),
   * never Kafka's, and a new group never waits out a killed predecessor's session.
   */
  groupPrefix: string;
  /**
   * The next offset to read per partition, asked at every group join (a
   * rebalance could reset the position); partitions it leaves out are read
   * from the beginning.
   */
  resumeFrom?: () => ReadonlyMap<number, bigint>;
  /** The records of a partition, in order, each once (read_committed: aborted ones never come). */
  onRecords(partition: number, records: ConsumedRecord[]): void | Promise<void>;
  /**
   * The next offset to read of a partition, after each batch, batches of only
   * transaction markers or aborted records too (they move the position without records).
   */
  onProgress?(partition: number, next: bigint): void;
  /** Longest wait of a fetch with nothing new: records still arrive at once, and closing never waits longer. */
  maxWaitTimeInMs?: number;
  /**
   * Bytes a fetch waits for (up to `maxWaitTimeInMs`) before it answers; 1 by
   * default, so every record comes at once. A reader of a busy topic that can
   * lag a little sets more: fewer, larger batches.
   */
  minBytes?: number;
}

/**
 * Replays a topic from where its caller left off to its end, then follows it:
 * the hub's state topics (the catalog's schemas, the connectors' ledger, the
 * router's changelogs) are read this way. `start` resolves once the reader has
 * caught up with the end the topic had when it started; `catchUp` and
 * `reached` wait for later positions (a write read back).
 */
export interface TopicReader {
  start(): Promise<void>;
  /** Measures the topic's end now and resolves once every partition is read up to it. */
  catchUp(timeoutMs?: number): Promise<void>;
  /** Resolves once `partition` is read up to `offset` (the next offset to read is at least `offset`). */
  reached(partition: number, offset: bigint, timeoutMs?: number): Promise<void>;
  /** The next offset to read of a partition. */
  position(partition: number): bigint;
  /** Whether the first catch-up is done. */
  readonly caughtUp: boolean;
  /** Why the reader stopped for good (its consumer crashed and will not restart). */
  readonly failure: Error | undefined;
  close(): Promise<void>;
}

export class ReaderTimeoutError extends Error {
  override name = 'ReaderTimeoutError';
}

export class ReaderStoppedError extends Error {
  override name = 'ReaderStoppedError';
}

export function createTopicReader(options: TopicReaderOptions): TopicReader {
  const { kafka, topic } = options;
  const logger = options.logger.child({ component: 'topic-reader', topic });
  const positions = new Map<number, bigint>();
  const waiters = new Set<{ partition: number; offset: bigint; resolve: () => void; reject: (error: Error) => void }>();
  let consumer: Consumer | undefined;
  /** One admin connection for every catch-up (the router asks before many of its batches). */
  let admin: Admin | undefined;
  let failure: Error | undefined;
  let caughtUp = false;
  let started: Promise<void> | undefined;

  const position = (partition: number): bigint => positions.get(partition) ?? 0n;

  function advance(partition: number, next: bigint): void {
    if (next <= position(partition)) return;
    positions.set(partition, next);
    for (const waiter of waiters) {
      if (waiter.partition === partition && waiter.offset <= next) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  function stopWaiters(error: Error): void {
    for (const waiter of waiters) waiter.reject(error);
    waiters.clear();
  }

  function reached(partition: number, offset: bigint, timeoutMs = 30_000): Promise<void> {
    if (failure) return Promise.reject(new ReaderStoppedError(`stopped reading ${topic}: ${failure.message}`, { cause: failure }));
    if (offset <= position(partition)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        partition,
        offset,
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (error: Error) => { clearTimeout(timer); reject(error); },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new ReaderTimeoutError(`reading ${topic}[${partition}] up to offset ${offset} took more than ${timeoutMs} ms (at ${position(partition)})`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  async function endOffsets(): Promise<Map<number, bigint>> {
    if (!admin) {
      const made = kafka.admin();
      await made.connect();
      admin = made;
    }
    return topicEndOffsets(kafka, topic, { admin });
  }

  async function catchUp(timeoutMs?: number): Promise<void> {
    const ends = await endOffsets();
    await Promise.all([...ends].map(([partition, end]) => reached(partition, end, timeoutMs)));
  }

  async function start(): Promise<void> {
    const ends = await endOffsets();
    for (const [partition, next] of options.resumeFrom?.() ?? []) advance(partition, next);
    const reader = kafka.consumer({
      groupId: `${options.groupPrefix}.${randomUUID().slice(0, 8)}`,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 500,
      ...(options.minBytes === undefined ? {} : { minBytes: options.minBytes }),
    });
    consumer = reader;
    reader.on(reader.events.CRASH, ({ payload }) => {
      // kafkajs restarts the consumer after a retriable error; only a final stop is a failure.
      logger[payload.restart ? 'warn' : 'error']({ err: payload.error, restart: payload.restart }, 'reader failed');
      if (payload.restart) return;
      failure = payload.error;
      stopWaiters(new ReaderStoppedError(`stopped reading ${topic}: ${payload.error.message}`, { cause: payload.error }));
    });
    reader.on(reader.events.GROUP_JOIN, () => {
      failure = undefined;
      // Resume after what was applied, on every join: a rebalance could reset the consumer's position.
      for (const [partition, next] of options.resumeFrom?.() ?? []) advance(partition, next);
      for (const [partition, next] of positions) reader.seek({ topic, partition, offset: next.toString() });
    });
    reader.on(reader.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic !== topic) return;
      // A fetch whose records all lie before the offset asked for has no first offset, and kafkajs gives the high
      // watermark as its last, which a read_committed reader has not reached (records of open transactions are
      // below it): it says nothing of where the reader is.
      if (payload.firstOffset === null) return;
      const next = BigInt(payload.lastOffset) + 1n;
      if (next > position(payload.partition)) {
        advance(payload.partition, next);
        options.onProgress?.(payload.partition, next);
      }
    });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const from = position(batch.partition);
        const records: ConsumedRecord[] = [];
        // A batch fetched again after a rebalance starts before what was applied: skip that part.
        for (const message of batch.messages) if (BigInt(message.offset) >= from) records.push(consumedRecord(topic, batch.partition, message));
        if (records.length > 0) await options.onRecords(batch.partition, records);
        const last = records.at(-1);
        if (last) advance(batch.partition, BigInt(last.offset) + 1n);
      },
    });
    await Promise.all([...ends].map(([partition, end]) => reached(partition, end, 10 * 60_000)));
    // The end is the last stable offset, which lags a commit until the broker has written its markers
    // (they follow the EndTxn answer by milliseconds). Measured again after the group join, it takes
    // in what was committed just before the start.
    await catchUp(10 * 60_000);
    caughtUp = true;
    logger.debug({ positions: Object.fromEntries([...positions].map(([p, o]) => [p, o.toString()])) }, 'caught up');
  }

  return {
    start() {
      started ??= start();
      return started;
    },
    catchUp,
    reached,
    position,
    get caughtUp() {
      return caughtUp;
    },
    get failure() {
      return failure;
    },
    async close() {
      stopWaiters(new ReaderStoppedError(`the reader of ${topic} is closing`));
      await consumer?.disconnect();
      await admin?.disconnect();
      admin = undefined;
    },
  };
}

/**
 * Everything committed on `topic` up to its end as it is now, read as a hub
 * consumer reads it (read_committed). A record written before the call is in
 * the answer, however late it came: what tests count event ids in, without
 * waiting "a little longer" for duplicates.
 */
export async function readToEnd(kafka: Kafka, topic: string, options: { logger: Logger; timeoutMs?: number }): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  const reader = createTopicReader({
    kafka,
    logger: options.logger,
    topic,
    groupPrefix: 'hub-read-to-end',
    maxWaitTimeInMs: 200,
    onRecords: (_partition, batch) => { for (const record of batch) records.push(record); },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      reader.start(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ReaderTimeoutError(`reading ${topic} to its end took more than ${options.timeoutMs ?? 60_000} ms`)), options.timeoutMs ?? 60_000);
      }),
    ]);
    return records;
  } finally {
    clearTimeout(timer);
    await reader.close();
  }
}

/**
 * `readToEnd` again and again until `done` holds for what is there (records
 * written by a process the caller waits on), or fails after `timeoutMs`.
 */
export async function readUntil(
  kafka: Kafka,
  topic: string,
  done: (records: ConsumedRecord[]) => boolean,
  options: { logger: Logger; timeoutMs?: number },
): Promise<ConsumedRecord[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const records = await readToEnd(kafka, topic, { logger: options.logger, timeoutMs: Math.max(1_000, deadline - Date.now()) });
    if (done(records)) return records;
    if (Date.now() > deadline) throw new ReaderTimeoutError(`timed out reading ${topic}: ${records.length} records so far`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
