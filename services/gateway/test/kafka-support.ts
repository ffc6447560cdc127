import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, createLogger } from '@hub/runtime';
import { testBrokers, uniqueName } from '@hub/test/support';

export const quietLogger = () => createLogger('gateway-test', process.env.TEST_LOG_LEVEL ?? 'warn');

export function testKafka(): Kafka {
  return createKafka({ brokers: testBrokers(), clientId: 'gateway-test-reader', logger: quietLogger() });
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'hub-gateway-'));
}

export function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value)?.toString();
}

/**
 * Reads a topic from the beginning (read_committed) until `done` says so, then
 * waits `settleMs` more so that anything beyond (a duplicate) shows up too.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  done: (messages: KafkaMessage[]) => boolean,
  options: { timeoutMs?: number; settleMs?: number } = {},
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('gateway-test-reader'), readUncommitted: false, maxWaitTimeInMs: 200 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachBatch: async ({ batch }) => { messages.push(...batch.messages); } });
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    while (!done(messages)) {
      if (Date.now() > deadline) throw new Error(`timed out reading ${topic}: ${messages.length} messages so far`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, options.settleMs ?? 1_500));
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
