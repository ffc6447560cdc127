import type { WorkingCalendar } from '@hub/calendar';
import type { EventCodec, Kafka, Logger, RecordSender } from '@hub/runtime';
import { Registry } from 'prom-client';
import { openStore, type AnalyticsStore, type StoreOptions } from '../store/store.ts';
import { createProjectionMetrics } from './metrics.ts';
import { createProjector } from './projector.ts';

export interface RebuildOptions {
  kafka: Kafka;
  codec: Pick<EventCodec, 'fromRecord'>;
  sender: RecordSender;
  calendar: WorkingCalendar;
  logger: Logger;
  store: StoreOptions;
  groupId: string;
  topics: readonly string[];
  batchRows: number;
  batchMs: number;
  /** After every flush: events read so far of `total`. */
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export interface RebuildResult {
  /** Records the topics held when the rebuild began (what it read up to). */
  total: number;
  /** Records read (events and dead letters). */
  read: number;
  deadLetters: number;
  seconds: number;
  stopped: boolean;
}

/**
 * The projection again from the start of the topics: the store's database
 * dropped and made anew by its migrations (so no deduplication token of the
 * old tables can hold back a row), the consumer group's offsets deleted, and
 * every record the topics hold now read and projected, with the group's
 * offsets committed as it goes. The service must not run meanwhile: it holds
 * the same group and, with chDB, the same data folder.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { kafka, logger } = options;
  const started = Date.now();
  const dropping = await openStore({ ...options.store, migrations: [] });
  await dropping.command(`DROP DATABASE IF EXISTS \`${dropping.database}\` SYNC`);
  await dropping.close();
  const store: AnalyticsStore = await openStore(options.store);

  const admin = kafka.admin();
  await admin.connect();
  const targets = new Map<string, bigint>();
  let total = 0;
  try {
    await admin.deleteGroups([options.groupId]).catch((error: unknown) => {
      // A group that never committed does not exist: nothing to delete.
      logger.debug({ err: error }, 'consumer group not deleted');
    });
    for (const topic of options.topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) targets.set(`${topic}:${partition}`, BigInt(high));
        total += Number(BigInt(high) - BigInt(low));
      }
    }
  } finally {
    await admin.disconnect();
  }

  let read = 0;
  let deadLetters = 0;
  const positions = new Map<string, bigint>();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const check = () => {
    for (const [key, end] of targets) if ((positions.get(key) ?? -1n) < end) return;
    finish();
  };
  const moved = (key: string, next: bigint) => {
    if ((positions.get(key) ?? -1n) < next) positions.set(key, next);
  };
  const projector = createProjector({
    kafka,
    codec: options.codec,
    sender: options.sender,
    store,
    calendar: options.calendar,
    logger,
    metrics: createProjectionMetrics(new Registry()),
    groupId: options.groupId,
    topics: options.topics,
    batchRows: options.batchRows,
    batchMs: options.batchMs,
    onFlushed(flush) {
      read += flush.records;
      deadLetters += flush.deadLetters;
      for (const [key, next] of flush.positions) moved(key, next);
      options.onProgress?.(read, total);
      check();
    },
    onPosition(topic, partition, next) {
      moved(`${topic}:${partition}`, next);
      check();
    },
  });
  const aborted = new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
  try {
    // The bar starts before the group is joined: its rate counts the whole projection, however few flushes it takes.
    options.onProgress?.(0, total);
    check();
    await projector.start();
    await Promise.race([finished, aborted]);
  } finally {
    await projector.stop();
    await store.close();
  }
  return { total, read, deadLetters, seconds: (Date.now() - started) / 1000, stopped: options.signal?.aborted ?? false };
}
