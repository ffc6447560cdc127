import type { WorkingCalendar } from '@hub/calendar';
import { consumedRecord, type ConsumedRecord, type Consumer, type EventCodec, type Kafka, type Logger, type RecordSender } from '@hub/runtime';
import { CaseCache, type StoredCaseEvents, type VersionedCaseEvent } from '../cases/fold.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { offsetRanges, projectBatch, projectedTables } from './batch.ts';
import { DEAD_LETTER_TOPIC, deadLetterRecord } from './dead-letter.ts';
import type { ProjectionMetrics } from './metrics.ts';
import { caseEventFromRow } from './rows.ts';

export interface ProjectorOptions {
  kafka: Kafka;
  codec: Pick<EventCodec, 'fromRecord'>;
  /** The idempotent producer the dead letters go through. */
  sender: RecordSender;
  store: AnalyticsStore;
  calendar: WorkingCalendar;
  logger: Logger;
  metrics: ProjectionMetrics;
  groupId: string;
  topics: readonly string[];
  /** Records one insert takes at most. */
  batchRows: number;
  /** Longest a record waits for its insert. */
  batchMs: number;
  sessionTimeoutMs?: number;
  /** Cases held in memory between batches; others are folded again from the store. */
  caseCacheSize?: number;
  /** After every flush that landed: what it took, and where each partition stands (the next offset to read). */
  onFlushed?(flush: FlushSummary): void;
  /** A batch of only transaction markers moved a partition on (a rebuild counts it as read). */
  onPosition?(topic: string, partition: number, next: bigint): void;
}

export interface FlushSummary {
  records: number;
  deadLetters: number;
  seconds: number;
  /** `topic:partition` → the next offset to read. */
  positions: Map<string, bigint>;
}

export interface Projector {
  start(): Promise<void>;
  /** Flushes what waits, then leaves the group. */
  stop(): Promise<void>;
  readonly healthy: boolean;
  /** What the last flush failed with, until one lands. */
  readonly lastError: Error | undefined;
}

interface Waiting {
  records: ConsumedRecord[];
  /** `topic:partition` → the offset to commit (one past what was read). */
  next: Map<string, bigint>;
  /** `topic:partition` → the first offset read (where to read again from if nothing was committed before a failure). */
  first: Map<string, bigint>;
  firstAt: number;
  /** Discarded: a flush before it failed, so its records are read again. */
  generation: number;
}

/** Share of a full batch after which a pause in what arrives flushes at once (a rebuild, not a trickle of live events). */
const IDLE_FLUSH_SHARE = 0.1;
const IDLE_FLUSH_MS = 50;
const partitionOf = (key: string): { topic: string; partition: number } => {
  const at = key.lastIndexOf(':');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
};
/** How often a batch waiting for its flush tells the group it is alive (kafkajs sends at most one per heartbeat interval). */
const HEARTBEAT_MS = 1_000;

/**
 * The projection: one consumer group over the hub's topics (read_committed),
 * whose records are gathered across partitions into inserts of up to
 * `batchRows` records, about one a second. A flush decodes the records,
 * folds the case events into their cases, inserts every table's rows (each
 * insert deduplicated by a token from the topic, partition and offset
 * range), writes the dead letters, and only then commits the offsets. A
 * crash anywhere before the commit reads the same records again, and the
 * tables, keyed by event, case and task, count them once.
 */
export function createProjector(options: ProjectorOptions): Projector {
  const { kafka, store, metrics } = options;
  const logger = options.logger.child({ component: 'projection' });
  const cache = new CaseCache(options.caseCacheSize ?? 20_000);
  let consumer: Consumer | undefined;
  let healthy = true;
  let lastError: Error | undefined;
  let waiting: Waiting | undefined;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  /** Records handed over and not landed yet (gathering or being flushed). */
  let pending = 0;
  /** eachBatch calls waiting for the pending records to go down. */
  let roomWaiters: Array<() => void> = [];
  /** Bumped by a failed flush: the batches gathered after it are discarded and read again. */
  let generation = 0;
  /** Batches cut for a flush that has not landed yet, oldest first. */
  const unlanded: Waiting[] = [];
  /** `topic:partition` → the next offset committed (the group's position). */
  const committed = new Map<string, bigint>();

  const storedCaseEvents: StoredCaseEvents = async (caseIds) => {
    const rows = await store.query<{ caseId: string; version: number; type: string; data: string }>(
      `SELECT caseId, version, type, data FROM ${store.table('case_events')} FINAL WHERE caseId IN {ids:Array(String)} ORDER BY caseId, version`,
      { ids: caseIds },
    );
    const byCase = new Map<string, VersionedCaseEvent[]>();
    for (const row of rows) {
      let list = byCase.get(row.caseId);
      if (!list) byCase.set(row.caseId, (list = []));
      list.push({ caseId: row.caseId, version: Number(row.version), event: caseEventFromRow(row.type, row.data) });
    }
    return byCase;
  };

  async function flush(batch: Waiting): Promise<void> {
    const started = process.hrtime.bigint();
    const { records } = batch;
    const projected = await projectBatch(records, { codec: options.codec, calendar: options.calendar, cache, storedCaseEvents });
    const ranges = offsetRanges(records);
    for (const table of projectedTables) await store.insert(table, projected.rows[table], `${table}|${ranges}`);
    if (projected.deadLetters.length > 0) {
      await options.sender.send({ topic: DEAD_LETTER_TOPIC, messages: projected.deadLetters.map(deadLetterRecord) });
      for (const letter of projected.deadLetters) {
        metrics.deadLetters.inc({ reason: letter.reason });
        logger.warn({ topic: letter.record.topic, partition: letter.record.partition, offset: letter.record.offset, reason: letter.reason, detail: letter.detail }, 'record dead-lettered');
      }
    }
    if (consumer) {
      await consumer.commitOffsets([...batch.next].map(([key, next]) => ({ ...partitionOf(key), offset: next.toString() })));
    }
    for (const [key, next] of batch.next) committed.set(key, next);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const [topic, count] of projected.eventsByTopic) metrics.events.inc({ topic }, count);
    if (projected.gaps > 0) {
      metrics.caseGaps.inc(projected.gaps);
      logger.warn({ gaps: projected.gaps }, 'case events skipped versions of their case: an earlier event of theirs was not projected');
    }
    metrics.insertSeconds.observe(seconds);
    metrics.batchRecords.observe(records.length);
    metrics.lastFlush.setToCurrentTime();
    lastError = undefined;
    logger.debug({ records: records.length, deadLetters: projected.deadLetters.length, seconds }, 'flushed');
    options.onFlushed?.({ records: records.length, deadLetters: projected.deadLetters.length, seconds, positions: batch.next });
  }

  const released = (count: number) => {
    pending -= count;
    const waiters = roomWaiters;
    roomWaiters = [];
    waiters.forEach((wake) => wake());
  };

  /**
   * After a failed flush: every batch gathered since is dropped, and each
   * partition of theirs and of the failed one is read again from its last
   * commit (or from where this member began reading it): nothing is
   * committed past a record that did not land.
   */
  function readAgain(batches: Waiting[]): void {
    generation += 1;
    const from = new Map<string, bigint>();
    for (const batch of batches) {
      for (const [key, first] of batch.first) {
        const at = committed.get(key) ?? first;
        if ((from.get(key) ?? at + 1n) > at) from.set(key, at);
      }
    }
    for (const [key, offset] of from) {
      try {
        consumer?.seek({ ...partitionOf(key), offset: offset.toString() });
      } catch (error) {
        logger.warn({ err: error, partition: key }, 'could not seek back; the partition is read again after the next rebalance');
      }
    }
  }

  function flushNow(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = undefined;
    if (!batch) return;
    unlanded.push(batch);
    flushing = flushing.then(async () => {
      try {
        // Gathered before a failed flush was noticed: read again, not written.
        if (batch.generation === generation) await flush(batch);
      } catch (error) {
        lastError = error instanceof Error ? error : new Error(String(error));
        logger.warn({ err: error, records: batch.records.length }, 'flush failed; its records are read again');
        const gathering = waiting;
        if (gathering && gathering.generation === generation) {
          waiting = undefined;
          if (timer) clearTimeout(timer);
          timer = undefined;
          released(gathering.records.length);
        }
        readAgain([...unlanded, ...(gathering ? [gathering] : [])]);
      } finally {
        unlanded.splice(unlanded.indexOf(batch), 1);
        released(batch.records.length);
      }
    });
  }

  /**
   * The records of one partition's batch, into the batch that is gathering.
   * Returns at once while fewer than two batches' worth wait for their
   * insert (so Kafka is read while the previous flush is inserted), else
   * once a flush has made room.
   */
  async function add(records: ConsumedRecord[], key: string, first: bigint, next: bigint): Promise<void> {
    const now = Date.now();
    if (!waiting) waiting = { records: [], next: new Map(), first: new Map(), firstAt: now, generation };
    const batch = waiting;
    for (const record of records) batch.records.push(record);
    pending += records.length;
    if ((batch.next.get(key) ?? -1n) < next) batch.next.set(key, next);
    if ((batch.first.get(key) ?? first + 1n) > first) batch.first.set(key, first);
    if (timer) clearTimeout(timer);
    if (batch.records.length >= options.batchRows) flushNow();
    else {
      const due = batch.firstAt + options.batchMs - now;
      const idle = batch.records.length >= options.batchRows * IDLE_FLUSH_SHARE ? IDLE_FLUSH_MS : Infinity;
      timer = setTimeout(flushNow, Math.max(0, Math.min(due, idle)));
    }
    while (pending >= 2 * options.batchRows) await new Promise<void>((wake) => roomWaiters.push(wake));
  }

  return {
    get healthy() {
      return healthy;
    },
    get lastError() {
      return lastError;
    },
    async start() {
      const made = kafka.consumer({
        groupId: options.groupId,
        readUncommitted: false,
        allowAutoTopicCreation: false,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        maxWaitTimeInMs: 500,
        maxBytesPerPartition: 8 * 1024 * 1024,
        maxBytes: 64 * 1024 * 1024,
      });
      consumer = made;
      made.on(made.events.CRASH, ({ payload }) => {
        logger[payload.restart ? 'warn' : 'error']({ err: payload.error, restart: payload.restart }, 'consumer failed');
        if (!payload.restart) healthy = false;
      });
      made.on(made.events.GROUP_JOIN, ({ payload }) => {
        healthy = true;
        const partitions = Object.values(payload.memberAssignment).reduce((n, list) => n + list.length, 0);
        logger.info({ partitions, groupId: options.groupId }, 'partitions assigned');
      });
      made.on(made.events.END_BATCH_PROCESS, ({ payload }) => {
        // Only a batch of transaction markers: a batch with records reports its position once its flush has landed.
        if (payload.batchSize === 0) options.onPosition?.(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n);
      });
      await made.connect();
      await made.subscribe({ topics: [...options.topics], fromBeginning: true });
      await made.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // Each partition's batch waits for the flush that takes it; as many as there are partitions wait together.
        partitionsConsumedConcurrently: Math.max(1, options.topics.length * 3),
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (batch.messages.length === 0 || !isRunning() || isStale()) return;
          const last = batch.messages.at(-1)!;
          // Past the batch's last record, or past the transaction markers after it when the fetch held them.
          const next = (BigInt(batch.lastOffset()) > BigInt(last.offset) ? BigInt(batch.lastOffset()) : BigInt(last.offset)) + 1n;
          const records = new Array<ConsumedRecord>(batch.messages.length);
          for (let i = 0; i < records.length; i += 1) records[i] = consumedRecord(batch.topic, batch.partition, batch.messages[i]!);
          // The client's position moves on now, so that it fetches while the flush inserts; the group's
          // offsets are committed by the flush once it has landed, and a failed flush seeks back to them.
          resolveOffset((next - 1n).toString());
          // Waiting for room can outlast the session: the member stays in the group meanwhile.
          const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
          try {
            await add(records, `${batch.topic}:${batch.partition}`, BigInt(batch.firstOffset() ?? batch.messages[0]!.offset), next);
          } finally {
            clearInterval(beating);
          }
          await heartbeat();
        },
      });
    },
    async stop() {
      flushNow();
      await flushing;
      await consumer?.disconnect();
      consumer = undefined;
    },
  };
}
