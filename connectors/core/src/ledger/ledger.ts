import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createTopicReader, ensureTopics, type ConsumedRecord, type Kafka, type Logger, type TopicReader, type TopicSpec } from '@hub/runtime';
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
  let reader: TopicReader | undefined;
  let started: Promise<void> | undefined;
  /** Own entries recorded right after their commit, by position, until the tail reads them back. */
  const recordedAhead = new Map<string, LedgerEntry>();
  const positionKey = (position: LedgerPosition): string => `${position.partition}:${position.offset}`;
  /** Once caught up, what the tail reads was written during this run: this run's own entries may be among them. */
  let live = false;

  function applyBatch(partition: number, records: ConsumedRecord[]): void {
    store.atomically(() => {
      for (const record of records) {
        const position = { partition, offset: record.offset };
        const entry = record.key?.toString() === connector && record.value ? parseLedgerEntry(record.value.toString()) : undefined;
        if (!entry || entry.connector !== connector) {
          store.saveOffset(partition, record.offset);
          continue;
        }
        // This run's own entries were recorded right after each commit, and a later batch may
        // have moved the watermark on since: applying an own watermark again would set it back.
        // An entry recorded at this very position with the same content is not applied twice;
        // other own entries (a commit that succeeded although its answer was lost) have their
        // ids and file progress applied, which only grow.
        const ownLive = live && entry.instanceId === instanceId;
        const recorded = ownLive ? recordedAhead.get(positionKey(position)) : undefined;
        if (recorded) recordedAhead.delete(positionKey(position));
        if (recorded && isDeepStrictEqual(recorded, entry)) {
          store.saveOffset(partition, record.offset); // recorded right after its commit: nothing to apply
        } else if (ownLive) {
          const { watermark: _ownWatermark, ...rest } = entry;
          store.apply(rest, position);
        } else {
          store.apply(entry, position);
        }
      }
    });
  }

  async function start(): Promise<void> {
    await ensureTopics(kafka, [LEDGER_TOPIC_SPEC]);
    const resumeFrom = (): Map<number, bigint> => new Map([...store.offsets()].map(([partition, offset]) => [partition, BigInt(offset) + 1n]));
    logger.info({ applied: Object.fromEntries(store.offsets()) }, 'ledger catching up with ledger.connectors');
    reader = createTopicReader({
      kafka,
      logger,
      topic: LEDGER_TOPIC,
      // Offsets live in SQLite, never in Kafka.
      groupPrefix: `hub-ledger-${connector}-${instanceId}`,
      resumeFrom,
      onRecords: applyBatch,
      // Batches of only aborted records or transaction markers move the stored position on too.
      onProgress: (partition, next) => store.saveOffset(partition, (next - 1n).toString()),
    });
    await reader.start();
    live = true;
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
      if (!position || reader === undefined || BigInt(position.offset) < reader.position(position.partition)) return; // already read back
      if (recordedAhead.size >= MAX_RECORDED_AHEAD) recordedAhead.clear(); // the tail is stuck: it applies them again, which is harmless
      recordedAhead.set(positionKey(position), entry);
    },
    fileProgress: (source, fileId) => store.fileProgress(source, fileId),
    watermark: (source) => store.watermark(source),
    get healthy() {
      return reader !== undefined && reader.caughtUp && reader.failure === undefined;
    },
    publishedCount: () => store.publishedCount(),
    async close() {
      await reader?.close();
      store.close();
    },
  };
}
