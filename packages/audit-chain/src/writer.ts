import { ensureTopics, topicEndOffsets, type Kafka, type Logger, type TopicRecords } from '@hub/runtime';
import {
  appendEntries,
  checkpointDue,
  DEFAULT_CHECKPOINT_POLICY,
  genesisHead,
  signCheckpoint,
  type AuditEntry,
  type AuditRecord,
  type ChainHead,
  type CheckpointPolicy,
  type CheckpointState,
} from './chain.ts';
import type { SigningKey } from './keys.ts';
import { auditKafkaRecord, type LoggedRecord } from './records.ts';
import { AUDIT_TOPIC, AUDIT_TOPIC_SPEC, readAuditTails } from './topic.ts';

export interface AuditWriterOptions {
  kafka: Kafka;
  logger: Logger;
  signingKey: SigningKey;
  /** CloudEvents source of the records, e.g. `/hub/router`. */
  source: string;
  topic?: string;
  /** When to sign a partition's head; see `DEFAULT_CHECKPOINT_POLICY`. */
  checkpoints?: Partial<CheckpointPolicy>;
  /** The wall clock: a checkpoint's `signedAt`, and when the next one is due. */
  now?: () => Date;
}

/**
 * Writes the exchange audit trail into its caller's Kafka transactions, so an
 * entry commits atomically with the delivery or answer it describes.
 *
 * Each partition of `audit.exchange` is one hash chain, and one chain has one
 * writer: the caller makes sure that no two transactions that write the same
 * audit partition are open at once, in this process or any other (the router
 * writes audit partition N only from the transactions of its input partition
 * N, whose transactional id the exactly-once processor fences on a handover).
 *
 * Like the router's batches (`services/router/src/routing/batch.ts`), what
 * `entries` decides is worked out on a copy of the partition's head and
 * becomes the head only on `committed`; `aborted` drops it, and the batch that
 * comes again chains from the same head, to the same hashes.
 */
export interface AuditWriter {
  readonly topic: string;
  /** Which key signs the checkpoints. */
  readonly keyId: string;
  /** Partitions of the audit topic, known once started. */
  readonly partitions: number;
  /** Creates the topic when missing, and restores every partition's head from its tail. */
  start(): Promise<void>;
  /** Restores one partition's head from its tail again: when a handover gives it here (after the fence). Drops anything uncommitted. */
  restore(partition: number): Promise<void>;
  /**
   * The records that chain these entries onto the partition's head (its
   * uncommitted head, when this transaction already wrote some), followed by
   * a signed checkpoint when one is due: to send in the caller's transaction.
   * With no entries, only a checkpoint that has come due (or nothing).
   */
  entries(partition: number, entries: readonly AuditEntry[]): TopicRecords;
  /** A checkpoint of the partition's head now, whether due or not (nothing when nothing is unsigned): before a clean stop. */
  checkpoint(partition: number): TopicRecords;
  /** The transaction that carried the partition's records committed: its head is the partition's now. */
  committed(partition: number): void;
  /** The transaction did not commit: its records never happened. */
  aborted(partition: number): void;
  /** The partition went elsewhere: its head here is stale from now on, until `restore`. */
  revoked(partition: number): void;
  /** The committed head of a partition held here. */
  head(partition: number): ChainHead | undefined;
}

export class AuditWriterError extends Error {
  override name = 'AuditWriterError';
}

interface PartitionChain extends CheckpointState {
  head: ChainHead;
}

/** Where a partition's chain stands, from the last records of the partition. */
export function chainFromTail(partition: number, tail: readonly LoggedRecord[], restoredAt: Date): PartitionChain {
  let head = genesisHead(partition);
  let checkpoint: { seq: number; at: number } | undefined;
  for (const record of tail) {
    if ('entry' in record && record.entry.partition === partition) {
      head = { partition, seq: record.entry.seq, hash: record.entry.hash };
    } else if ('checkpoint' in record && record.checkpoint.partition === partition && record.checkpoint.seq >= head.seq) {
      head = { partition, seq: record.checkpoint.seq, hash: record.checkpoint.hash };
      checkpoint = { seq: record.checkpoint.seq, at: Date.parse(record.checkpoint.signedAt) };
    }
  }
  if (head.seq === 0) return { head, sinceCheckpoint: 0, lastCheckpointAt: restoredAt.getTime() };
  // No checkpoint in the tail read: the next entries are signed at once.
  if (!checkpoint) return { head, sinceCheckpoint: head.seq, lastCheckpointAt: undefined };
  return { head, sinceCheckpoint: head.seq - checkpoint.seq, lastCheckpointAt: Number.isNaN(checkpoint.at) ? undefined : checkpoint.at };
}

export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const { kafka, signingKey, source } = options;
  const topic = options.topic ?? AUDIT_TOPIC;
  const logger = options.logger.child({ component: 'audit-writer', topic });
  const policy: CheckpointPolicy = { ...DEFAULT_CHECKPOINT_POLICY, ...options.checkpoints };
  const now = options.now ?? (() => new Date());
  const held = new Map<number, PartitionChain>();
  const pending = new Map<number, PartitionChain>();
  let partitions = 0;

  async function restoreAll(wanted: readonly number[]): Promise<void> {
    for (const partition of wanted) pending.delete(partition);
    const tails = await readAuditTails({ kafka, logger, topic, partitions: wanted, window: Math.min(256, policy.entries + 1), maxWindow: 4 * policy.entries + 64 });
    const at = now();
    for (const partition of wanted) {
      const chain = chainFromTail(partition, tails.get(partition) ?? [], at);
      held.set(partition, chain);
      logger.debug({ partition, seq: chain.head.seq, sinceCheckpoint: chain.sinceCheckpoint }, 'audit chain head restored');
    }
  }

  function inRange(partition: number): void {
    if (partitions === 0) throw new AuditWriterError(`the audit writer of ${topic} is not started`);
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) throw new AuditWriterError(`${topic} has partitions 0–${partitions - 1}; there is no partition ${partition}`);
  }

  function base(partition: number): PartitionChain {
    inRange(partition);
    const chain = pending.get(partition) ?? held.get(partition);
    if (!chain) throw new AuditWriterError(`partition ${partition} of ${topic} is not held here: restore(${partition}) when it is assigned`);
    return chain;
  }

  function write(partition: number, entries: readonly AuditEntry[], force: boolean): TopicRecords {
    const from = base(partition);
    const { chained, head } = appendEntries(from.head, entries);
    const records: AuditRecord[] = chained.map((data) => ({ type: 'AuditEntry', data }));
    let next: PartitionChain = { head, sinceCheckpoint: from.sinceCheckpoint + chained.length, lastCheckpointAt: from.lastCheckpointAt };
    const at = now();
    if (force ? next.sinceCheckpoint > 0 : checkpointDue(next, policy, at)) {
      records.push({ type: 'AuditCheckpoint', data: signCheckpoint(head, at, signingKey.privateKey) });
      next = { head, sinceCheckpoint: 0, lastCheckpointAt: at.getTime() };
    }
    if (records.length > 0) pending.set(partition, next);
    return { topic, messages: records.map((record) => auditKafkaRecord(record, source)) };
  }

  return {
    topic,
    keyId: signingKey.keyId,
    get partitions() {
      return partitions;
    },
    async start() {
      await ensureTopics(kafka, [{ ...AUDIT_TOPIC_SPEC, topic }]);
      partitions = (await topicEndOffsets(kafka, topic)).size;
      await restoreAll(Array.from({ length: partitions }, (_, p) => p));
    },
    async restore(partition) {
      inRange(partition);
      await restoreAll([partition]);
    },
    entries: (partition, entries) => write(partition, entries, false),
    checkpoint: (partition) => write(partition, [], true),
    committed(partition) {
      const chain = pending.get(partition);
      if (!chain) return;
      held.set(partition, chain);
      pending.delete(partition);
    },
    aborted(partition) {
      pending.delete(partition);
    },
    revoked(partition) {
      pending.delete(partition);
      held.delete(partition);
    },
    head: (partition) => held.get(partition)?.head,
  };
}
