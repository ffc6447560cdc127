import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, createLogger, headerText, readUntil, type ConsumedRecord, type Kafka } from '@hub/runtime';
import { testBrokers } from '@hub/test-support';

export const quietLogger = () => createLogger('gateway-test', process.env.TEST_LOG_LEVEL ?? 'warn');

export function testKafka(): Kafka {
  return createKafka({ brokers: testBrokers(), clientId: 'gateway-test-reader', logger: quietLogger() });
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'hub-gateway-'));
}

/** The first value of a header, as text. */
export const header = headerText;

/**
 * Everything committed on a topic (read_committed), read again until `done`
 * says so: records the gateway answered for are committed before its answer,
 * so a duplicate is already there when the expected ones are.
 */
export function readTopic(kafka: Kafka, topic: string, done: (records: ConsumedRecord[]) => boolean, options: { timeoutMs?: number } = {}): Promise<ConsumedRecord[]> {
  return readUntil(kafka, topic, done, { logger: quietLogger(), ...options });
}
