// First: it swaps modules of kafkajs before kafkajs is loaded (its read_committed filter, its message grouping).
import './kafkajs-preload.ts';
import { assertReadCommittedFilter } from './read-committed.ts';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { brokerList } from '../config.ts';
import { installFastRecordEncoding } from './record-encoding.ts';

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
 * Records are encoded by `installFastRecordEncoding` (same bytes, a fraction of the CPU),
 * and read_committed consumers drop every aborted transaction's records (`read-committed.ts`).
 */
export function createKafka(options: { brokers: string; clientId: string; logger: Logger } & Partial<Omit<KafkaConfig, 'brokers' | 'clientId'>>): Kafka {
  const { brokers, clientId, logger, ...rest } = options;
  installFastRecordEncoding();
  assertReadCommittedFilter();
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
