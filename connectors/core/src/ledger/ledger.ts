import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Consumer, Kafka } from 'kafkajs';
import { ensureTopics, topicEndOffsets, type Logger, type TopicSpec } from '@hub/runtime';
import { LEDGER_TOPIC, parseLedgerEntry, type FileProgress, type LedgerEntry, type Watermark } from './entry.ts';
import { LedgerStore } from './store.ts';

/**
 * The once-only ledger of one connector instance (一次且仅一次): a local SQLite
 * store, kept in step with `ledger.connectors`, the topic every publishing
 * transaction also writes to. On start it applies what was committed since the
 * stored offset (read_committed), so a crash between a Kafka commit and the
 * local write loses nothing; then it keeps tailing the topic, so what another
 * instance of the same connector publishes is known here too.
 */
export interface ConnectorLedger {
  readonly connector: string;
  readonly instanceId: string;
  /**
   * Catches up with `ledger.connectors` and starts tailing it; resolves once
   * caught up. Call it only after this instance's transactional producer has
   * connected, so that a transaction left open by its previous run is aborted
   * and cannot hold the catch-up back (the publisher does this).
   */
  start(): Promise<void>;
  /** The ids among `ids` already published (events or dead letters). */
  known(ids: readonly string[]): Set<string>;
  /**
   * Records a committed transaction locally, right after the commit. With the
   * entry's position on `ledger.connectors` (from the produce answer), the tail
   * does not apply the same entry a second time when it reads it back.
   */
  recordCommitted(entry: LedgerEntry, position?: LedgerPosition): void;
  fileProgress(source: string, fileId: string): FileProgress | undefined;
  watermark(source: string): Watermark | undefined;
  /** Whether the catch-up is done and the tail still runs (for /health). */
  readonly healthy: boolean;
  publishedCount(): number;
  close(): Promise<void>;
}

export interface LedgerOptions {
  kafka: Kafka;
  logger: Logger;
  connector: string;
  instanceId: string;
  /** The SQLite file; see `ledgerPath`. */
  path: string;
}

/** Where a ledger entry lies on `ledger.connectors`. */
export interface LedgerPosition {
  partition: number;
  offset: string;
}

/** Entries recorded locally that the tail has not read back yet: a handful, unless the tail is stuck. */
const MAX_RECORDED_AHEAD = 1_000;

/** `<dataDir>/connectors/<connector>/<instanceId>/ledger.sqlite`: one file per instance, so two processes never share one. */
export function ledgerPath(dataDir: string, connector: string, instanceId: string): string {
  return join(dataDir, 'connectors', connector, instanceId, 'ledger.sqlite');
}

/** Kept forever: a new instance's ledger is rebuilt from it. One message per batch, so it stays small. */
export const LEDGER_TOPIC_SPEC: TopicSpec = { topic: LEDGER_TOPIC, partitions: 3, retentionMs: -1 };

export function openLedger(options: LedgerOptions): ConnectorLedger {
  const { kafka, connector, instanceId } = options;
  const logger = options.logger.child({ component: 'ledger', connector, instanceId });
  const store = new LedgerStore(options.path);
  let consumer: Consumer | undefined;
  let started: Promise<void> | undefined;
  let caughtUp = false;
  let crashed = false;
  /** Own entries recorded right after their commit, by position, until the tail reads them back. */
  const recordedAhead = new Map<string, LedgerEntry>();
  const positionKey = (position: LedgerPosition): string => `${position.partition}:${position.offset}`;
  /** Last offset the tail applied, per partition. */
  const tailedUpTo = new Map<number, bigint>();

  async function start(): Promise<void> {
    await ensureTopics(kafka, [LEDGER_TOPIC_SPEC]);
    const ends = await topicEndOffsets(kafka, LEDGER_TOPIC);
    const applied = store.offsets();
    const nextOf = (partition: number): bigint => {
      const offset = applied.get(partition);
      return offset === undefined ? 0n : BigInt(offset) + 1n;
    };
    // Partitions with committed entries (or markers) not applied yet.
    const behind = new Set([...ends].filter(([partition, end]) => nextOf(partition) < end).map(([partition]) => partition));
    logger.info({ behind: [...behind], applied: Object.fromEntries(applied) }, 'ledger catching up with ledger.connectors');

    let markCaughtUp!: () => void;
    const caughtUpNow = new Promise<void>((resolve) => {
      markCaughtUp = () => {
        caughtUp = true;
        resolve();
      };
    });

    // A fresh group per start: offsets live in SQLite, never in Kafka, and a new
    // group never waits for a killed predecessor's session to time out.
    const tail = kafka.consumer({
      groupId: `hub-ledger-${connector}-${instanceId}-${randomUUID().slice(0, 8)}`,
      readUncommitted: false,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    consumer = tail;
    tail.on(tail.events.CRASH, (event) => {
      // kafkajs restarts the consumer after a retriable error; only a final stop is unhealthy.
      if (!event.payload.restart) crashed = true;
      logger[event.payload.restart ? 'warn' : 'error']({ err: event.payload.error, restart: event.payload.restart }, 'ledger tail failed');
    });
    tail.on(tail.events.GROUP_JOIN, () => {
      crashed = false;
      // Resume after the last applied offset (on every join: a rebalance could reset the position).
      for (const [partition, offset] of store.offsets()) {
        tail.seek({ topic: LEDGER_TOPIC, partition, offset: (BigInt(offset) + 1n).toString() });
      }
    });
    tail.on(tail.events.END_BATCH_PROCESS, (event) => {
      const { partition, lastOffset } = event.payload;
      // Batches of only aborted records or transaction markers pass here too; they move the position on.
      store.saveOffset(partition, lastOffset);
      tailedUpTo.set(partition, BigInt(lastOffset));
      const end = ends.get(partition);
      if (end !== undefined && behind.has(partition) && BigInt(lastOffset) + 1n >= end) {
        behind.delete(partition);
        if (behind.size === 0 && !caughtUp) markCaughtUp();
      }
    });
    await tail.connect();
    await tail.subscribe({ topic: LEDGER_TOPIC, fromBeginning: true });
    await tail.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition) ?? 0n;
        store.atomically(() => {
          for (const message of batch.messages) {
            const position = { partition: batch.partition, offset: message.offset };
            const entry = message.key?.toString() === connector && message.value ? parseLedgerEntry(message.value.toString()) : undefined;
            if (!entry || entry.connector !== connector) {
              store.saveOffset(position.partition, position.offset);
              continue;
            }
            // This run's own entries were recorded right after each commit, and a later batch may
            // have moved the watermark on since: applying an own watermark again would set it back.
            // An entry recorded at this very position with the same content is not applied twice;
            // other own entries (a commit that succeeded although its answer was lost) have their
            // ids and file progress applied, which only grow.
            const ownLive = entry.instanceId === instanceId && BigInt(message.offset) >= end;
            const recorded = ownLive ? recordedAhead.get(positionKey(position)) : undefined;
            if (recorded) recordedAhead.delete(positionKey(position));
            if (recorded && isDeepStrictEqual(recorded, entry)) {
              store.saveOffset(position.partition, position.offset); // recorded right after its commit: nothing to apply
            } else if (ownLive) {
              const { watermark: _ownWatermark, ...rest } = entry;
              store.apply(rest, position);
            } else {
              store.apply(entry, position);
            }
          }
        });
        const last = batch.messages.at(-1);
        if (last) tailedUpTo.set(batch.partition, BigInt(last.offset));
      },
    });
    if (behind.size === 0) markCaughtUp();
    await caughtUpNow;
    logger.info({ published: store.publishedCount() }, 'ledger caught up');
  }

  return {
    connector,
    instanceId,
    start() {
      started ??= start();
      return started;
    },
    known: (ids) => store.known(ids),
    recordCommitted(entry, position) {
      store.apply(entry);
      if (!position || BigInt(position.offset) <= (tailedUpTo.get(position.partition) ?? -1n)) return; // already read back
      if (recordedAhead.size >= MAX_RECORDED_AHEAD) recordedAhead.clear(); // the tail is stuck: it applies them again, which is harmless
      recordedAhead.set(positionKey(position), entry);
    },
    fileProgress: (source, fileId) => store.fileProgress(source, fileId),
    watermark: (source) => store.watermark(source),
    get healthy() {
      return caughtUp && !crashed;
    },
    publishedCount: () => store.publishedCount(),
    async close() {
      await consumer?.disconnect();
      store.close();
    },
  };
}
