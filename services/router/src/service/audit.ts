import { AUDIT_TOPIC, createAuditWriter, openSigningKey, publicKeyText, type AuditEntry, type AuditWriter, type CheckpointPolicy } from '@hub/audit-chain';
import { createExactlyOnceProcessor, topicEndOffsets, type EventCodec, type ExactlyOnceProcessor, type InputBatch, type Kafka, type Logger, type TopicRecords } from '@hub/runtime';
import { topicFor } from '@hub/schemas';
import { auditEntryOf } from '../exchange/audit-entry.ts';

export const AUDIT_GROUP = 'hub-router-audit';
/** Every exchange of the hub, one record each: deliveries, answers to data requests, agreement changes. */
export const MONITORING_TOPIC = topicFor('ExchangeMonitoring');

export interface AuditScribeOptions {
  kafka: Kafka;
  events: EventCodec;
  logger: Logger;
  /** HUB_DATA_DIR: the signing key of the chain heads is `<dataDir>/audit/signing-key.pem`, made on first use. */
  dataDir: string;
  /** The audit topic (audit.exchange). Another one is another chain, with a consumer group of its own. */
  topic?: string;
  sessionTimeoutMs?: number;
  /** When a partition's head is signed (default: every 1,000 entries or 60 s). */
  checkpoints?: Partial<CheckpointPolicy>;
}

export interface AuditScribe {
  readonly processor: ExactlyOnceProcessor;
  readonly writer: AuditWriter;
  stop(): Promise<void>;
}

export class AuditScribeError extends Error {
  override name = 'AuditScribeError';
}

/**
 * The audit scribe (留痕): a consume-transform-produce step whose only input is
 * `exchange.monitoring`. Each monitoring record becomes one AuditEntry on
 * `audit.exchange`, in the same Kafka transaction as the record's offset, so
 * every exchange is written into the trail once, whoever monitored it (the
 * deliveries, the data requests, the agreements) and however many
 * transactional writers they have.
 *
 * One writer per chain: monitoring partition N is chained into audit
 * partition N, from the transactions of that input partition alone, whose
 * transactional id the exactly-once processor fences on a handover (and
 * `assigned` restores the chain's head after the fence). That holds only when
 * both topics have the same partitions, which is checked at start.
 */
export async function startAuditScribe(options: AuditScribeOptions): Promise<AuditScribe> {
  const { kafka, events } = options;
  const logger = options.logger.child({ component: 'audit-scribe' });
  const signingKey = openSigningKey(options.dataDir);
  // Printed at every start: kept where the hub's operators cannot write, it tells a swapped key (verify --public-key).
  logger.info({ keyId: signingKey.keyId, publicKey: publicKeyText(signingKey) }, 'audit trail signing key');
  const topic = options.topic ?? AUDIT_TOPIC;
  const writer = createAuditWriter({ kafka, logger, signingKey, source: '/hub/router', topic, ...(options.checkpoints === undefined ? {} : { checkpoints: options.checkpoints }) });
  // The chain's position in exchange.monitoring: a chain of its own reads it from the beginning.
  const groupId = topic === AUDIT_TOPIC ? AUDIT_GROUP : `${AUDIT_GROUP}.${topic}`;
  await writer.start();
  const monitoringPartitions = (await topicEndOffsets(kafka, MONITORING_TOPIC)).size;
  if (monitoringPartitions !== writer.partitions) {
    throw new AuditScribeError(
      `${MONITORING_TOPIC} has ${monitoringPartitions} partitions and ${writer.topic} ${writer.partitions}: each monitoring partition is chained into the audit partition of its number, so they must be equal (give both topics the same partitions)`,
    );
  }

  async function scribe(batch: InputBatch): Promise<TopicRecords[]> {
    const entries: AuditEntry[] = [];
    for (const record of batch.records) {
      let event;
      try {
        event = await events.fromRecord(record);
      } catch (error) {
        logger.error({ err: error, partition: record.partition, offset: record.offset }, 'a record of exchange.monitoring is not a hub event: no audit entry');
        continue;
      }
      if (event.type !== 'ExchangeMonitoring') {
        logger.error({ type: event.type, partition: record.partition, offset: record.offset }, 'a record of exchange.monitoring is not an ExchangeMonitoring: no audit entry');
        continue;
      }
      entries.push(auditEntryOf(event.data));
    }
    // Called with no entries too: a checkpoint that has come due by time goes out with the batch.
    return [writer.entries(batch.partition, entries)];
  }

  const processor = createExactlyOnceProcessor({
    kafka,
    logger,
    groupId,
    topics: [MONITORING_TOPIC],
    transactionalIdPrefix: groupId,
    // The trail may lag a quarter of a second: a fetch waits for 256 KiB (hundreds of records) or 250 ms, so that
    // a thousand exchanges a second make a few transactions a second, not one or more per record.
    minBytes: 256 * 1024,
    maxWaitTimeInMs: 250,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    process: scribe,
    // After the fence: the partition's tail is the truth, whatever the previous owner left.
    async assigned(_topic, partition) {
      await writer.restore(partition);
    },
    revoked(_topic, partition) {
      writer.revoked(partition);
    },
    committed(batch) {
      writer.committed(batch.partition);
    },
    aborted(batch) {
      writer.aborted(batch.partition);
    },
    // A clean stop signs every head it holds, so nothing it wrote is left unsigned.
    closing(_topic, partition) {
      return [writer.checkpoint(partition)];
    },
  });
  await processor.start();
  logger.info({ topic, partitions: writer.partitions, keyId: writer.keyId }, 'audit scribe started');
  return {
    processor,
    writer,
    stop: () => processor.stop(),
  };
}
