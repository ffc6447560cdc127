import { createTopicReader, ReaderTimeoutError, topicEndOffsets, type Kafka, type Logger, type TopicSpec } from '@hub/runtime';
import { loggedRecord, type LoggedRecord } from './records.ts';

export const AUDIT_TOPIC = 'audit.exchange';

/**
 * The audit trail is never compacted (every entry counts, not the latest per
 * key) and never expires (retention.ms -1), like the connectors' ledger. Size
 * retention stays the broker's default (none). One partition per chain.
 */
export const AUDIT_TOPIC_SPEC: TopicSpec = { topic: AUDIT_TOPIC, partitions: 3, cleanupPolicy: 'delete', retentionMs: -1 };

export interface ReadAuditOptions {
  kafka: Kafka;
  logger: Logger;
  topic?: string;
  /** Per partition, where to start (the beginning when left out); a partition given its end is not read. */
  from?: ReadonlyMap<number, bigint>;
  /** The records of one partition, in order (read_committed: what aborted transactions wrote never comes). */
  onRecords(partition: number, records: LoggedRecord[]): void | Promise<void>;
  timeoutMs?: number;
  groupPrefix?: string;
}

/**
 * Reads the audit topic up to the end it has now, with the kit's topic reader
 * (a fresh consumer group, read_committed), handing each batch over as logged
 * records, so an export or a verification never holds Kafka's buffers.
 * Returns every partition of the topic with its end offset, empty ones too.
 */
export async function readAuditTopic(options: ReadAuditOptions): Promise<Map<number, bigint>> {
  const { kafka, logger } = options;
  const topic = options.topic ?? AUDIT_TOPIC;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const ends = await topicEndOffsets(kafka, topic);
  const from = options.from;
  const reader = createTopicReader({
    kafka,
    logger,
    topic,
    groupPrefix: options.groupPrefix ?? 'hub-audit-read',
    maxWaitTimeInMs: 200,
    ...(from ? { resumeFrom: () => from } : {}),
    onRecords: (partition, records) => options.onRecords(partition, records.map(loggedRecord)),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      reader.start(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ReaderTimeoutError(`reading ${topic} to its end took more than ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return ends;
  } finally {
    clearTimeout(timer);
    await reader.close();
  }
}

/**
 * The last records of each given partition: from `window` records before its
 * end, the window doubling until it holds an entry or a checkpoint (a
 * transaction's markers and aborted records take offsets too) or reaches the
 * beginning, and then until it holds a checkpoint too, up to `maxWindow`.
 * What a writer restores its chain heads from.
 */
export async function readAuditTails(options: {
  kafka: Kafka;
  logger: Logger;
  topic?: string;
  partitions: readonly number[];
  window?: number;
  maxWindow?: number;
}): Promise<Map<number, LoggedRecord[]>> {
  const { kafka, logger } = options;
  const topic = options.topic ?? AUDIT_TOPIC;
  const maxWindow = BigInt(options.maxWindow ?? 8_192);
  const tails = new Map<number, LoggedRecord[]>();
  let window = BigInt(options.window ?? 256);
  let wanted = [...options.partitions];
  for (;;) {
    const ends = await topicEndOffsets(kafka, topic);
    const from = new Map<number, bigint>();
    for (const [partition, end] of ends) from.set(partition, wanted.includes(partition) ? (end > window ? end - window : 0n) : end);
    const read = new Map<number, LoggedRecord[]>(wanted.map((p) => [p, []]));
    await readAuditTopic({
      kafka, logger, topic, from, groupPrefix: 'hub-audit-tail',
      onRecords(partition, records) {
        read.get(partition)?.push(...records);
      },
    });
    const again: number[] = [];
    for (const partition of wanted) {
      const records = read.get(partition) ?? [];
      tails.set(partition, records);
      const atBeginning = (from.get(partition) ?? 0n) === 0n;
      const hasLink = records.some((r) => 'entry' in r || 'checkpoint' in r);
      const hasCheckpoint = records.some((r) => 'checkpoint' in r);
      if (!atBeginning && (!hasLink || (!hasCheckpoint && window < maxWindow))) again.push(partition);
    }
    if (again.length === 0) return tails;
    wanted = again;
    window *= 2n;
  }
}
