import type { WorkingCalendar } from '@hub/calendar';
import { consumedRecord, type ConsumedRecord, type Consumer, type EventCodec, type Kafka, type Logger, type RecordSender } from '@hub/runtime';
import { CaseCache, type StoredCaseEvents, type VersionedCaseEvent } from '../cases/fold.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { deduplicationToken, projectBatch, projectedTables } from './batch.ts';
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
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  firstAt: number;
}

/** Share of a full batch after which a pause in what arrives flushes at once (a rebuild, not a trickle of live events). */
const IDLE_FLUSH_SHARE = 0.1;
const IDLE_FLUSH_MS = 50;
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
    for (const table of projectedTables) await store.insert(table, projected.rows[table], deduplicationToken(table, records));
    if (projected.deadLetters.length > 0) {
      await options.sender.send({ topic: DEAD_LETTER_TOPIC, messages: projected.deadLetters.map(deadLetterRecord) });
      for (const letter of projected.deadLetters) {
        metrics.deadLetters.inc({ reason: letter.reason });
        logger.warn({ topic: letter.record.topic, partition: letter.record.partition, offset: letter.record.offset, reason: letter.reason, detail: letter.detail }, 'record dead-lettered');
      }
    }
    if (consumer) {
      await consumer.commitOffsets([...batch.next].map(([key, next]) => {
        const at = key.lastIndexOf(':');
        return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)), offset: next.toString() };
      }));
    }
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

  function flushNow(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = undefined;
    if (!batch) return;
    flushing = flushing.then(() => flush(batch)).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (error: unknown) => {
        lastError = error instanceof Error ? error : new Error(String(error));
        logger.warn({ err: error, records: batch.records.length }, 'flush failed; its records are read again');
        batch.waiters.forEach((w) => w.reject(error));
      },
    );
  }

  /** The records of one partition's batch, in the next flush; resolves once that flush has landed. */
  function add(records: ConsumedRecord[], key: string, next: bigint): Promise<void> {
    const now = Date.now();
    if (!waiting) waiting = { records: [], next: new Map(), waiters: [], firstAt: now };
    const batch = waiting;
    for (const record of records) batch.records.push(record);
    if ((batch.next.get(key) ?? -1n) < next) batch.next.set(key, next);
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (timer) clearTimeout(timer);
    if (batch.records.length >= options.batchRows) flushNow();
    else {
      const due = batch.firstAt + options.batchMs - now;
      const idle = batch.records.length >= options.batchRows * IDLE_FLUSH_SHARE ? IDLE_FLUSH_MS : Infinity;
      timer = setTimeout(flushNow, Math.max(0, Math.min(due, idle)));
    }
    return done;
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
        options.onPosition?.(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n);
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
          // A flush of a large batch can take longer than the session: the member stays in the group meanwhile.
          const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
          try {
            await add(batch.messages.map((m) => consumedRecord(batch.topic, batch.partition, m)), `${batch.topic}:${batch.partition}`, next);
          } finally {
            clearInterval(beating);
          }
          resolveOffset((next - 1n).toString());
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
