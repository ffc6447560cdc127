import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import { retry } from '../async/backoff.ts';

export interface TopicSpec {
  topic: string;
  partitions?: number;
  /** `compact` for state topics (the catalog's), `delete` otherwise. */
  cleanupPolicy?: 'delete' | 'compact';
  retentionMs?: number;
  /** 1 on a single-node cluster; raise it (or set KAFKA_REPLICATION_FACTOR) on a real cluster. */
  replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet; existing ones are left alone. Safe
 * when several processes start at once: a topic another one created in the
 * meantime counts as there.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  const unique = [...new Map(specs.map((s) => [s.topic, s])).values()];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = unique.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return [];
    const topics: ITopicConfig[] = missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.partitions ?? 3,
      // kafkajs speaks CreateTopics v3 at most, which cannot ask for the broker's default (-1).
      replicationFactor: s.replicationFactor ?? Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1),
      configEntries: [
        { name: 'cleanup.policy', value: s.cleanupPolicy ?? 'delete' },
        ...(s.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(s.retentionMs) }]),
      ],
    }));
    try {
      await admin.createTopics({ topics, waitForLeaders: true });
    } catch (error) {
      const now = new Set(await admin.listTopics());
      if (!missing.every((s) => now.has(s.topic))) throw error;
    }
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The end offset (high watermark) of each partition of a topic. Right after a
 * topic is created, or while the broker elects leaders, the broker answers
 * "not the leader" for a moment and kafkajs' admin does not retry that itself;
 * retriable answers are retried here with a growing pause. A caller that
 * asks often passes its own connected `admin`.
 */
export async function topicEndOffsets(kafka: Kafka, topic: string, { attempts = 10, admin }: { attempts?: number; admin?: Admin } = {}): Promise<Map<number, bigint>> {
  const client = admin ?? kafka.admin();
  if (!admin) await client.connect();
  try {
    const offsets = await retry(() => client.fetchTopicOffsets(topic), {
      baseMs: 200,
      maxMs: 2_000,
      maxAttempts: attempts,
      retriable: (error) => (error as { retriable?: boolean }).retriable === true,
    });
    return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    if (!admin) await client.disconnect();
  }
}
