import { Kafka, logLevel, type KafkaConfig, type LogEntry, type ITopicConfig } from 'kafkajs';
import type { Logger } from './logger.ts';
import { brokerList } from './config.ts';
import { installFastRecordEncoding } from './kafkajs-encoding.ts';

// kafkajs prints a migration notice about its v2 partitioner on every producer.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

// Retried by kafkajs itself (or, for the idempotent producer notice, expected with bounded retries).
const knownNoise = /coordinator (is loading|is not available)|not the correct coordinator|leadership election|another concurrent operation on the same transaction|Limiting retries for the idempotent producer/i;

/**
 * A kafkajs client whose own log lines go through the service's pino logger.
 * kafkajs logs retriable broker answers (a coordinator still loading after a
 * start) at ERROR although it retries them; those are demoted to debug.
 * Records are encoded by `installFastRecordEncoding` (same bytes, a fraction of the CPU).
 */
export function createKafka(options: { brokers: string; clientId: string; logger: Logger } & Partial<Omit<KafkaConfig, 'brokers' | 'clientId'>>): Kafka {
  const { brokers, clientId, logger, ...rest } = options;
  installFastRecordEncoding();
  const child = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: brokerList(brokers),
    logLevel: logLevel.INFO,
    logCreator: () => ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const retriable = knownNoise.test(`${message} ${typeof extra.error === 'string' ? extra.error : ''}`);
      child[retriable ? 'debug' : (levels[level] ?? 'info')]({ namespace, ...extra }, message);
    },
    retry: { initialRetryTime: 100, retries: 8 },
    ...rest,
  });
}

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
