import { beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { testBrokers, uniqueName, eventually } from '@hub/test-support';
import { createKafka } from './client.ts';
import { ensureTopics } from './topics.ts';
import { readToEnd } from './topic-reader.ts';
import { createLogger } from '../logger.ts';

const logger = createLogger('runtime-test', 'warn');
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka({ brokers: testBrokers(), clientId: 'runtime-int', logger });
});

const readAll = async (topic: string) => (await readToEnd(kafka, topic, { logger })).map((r) => r.value!.toString());

describe('kafkajs against the real broker', () => {
  const input = uniqueName('t.input');
  
  beforeAll(async () => {
    const created = await ensureTopics(kafka, [{ topic: input }]);
    expect(created).toEqual([input]);
    // A second call creates nothing and does not fail.
    expect(await ensureTopics(kafka, [{ topic: input }])).toEqual([]);
  });

  it('produces with acks=all and idempotence, and a consumer group reads every record once', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: 50 }, (_, i) => ({ key: `case-${i % 5}`, value: `record-${i}` }));
    const acks = await producer.send({ topic: input, acks: -1, messages });
    await producer.disconnect();
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);

    const seen = await readAll(input);
    expect(seen.sort()).toEqual(messages.map((m) => m.value).sort());
  });

  it('keeps one key in one partition, in order', async () => {
    const topic = uniqueName('t.ordered');
    await ensureTopics(kafka, [{ topic, partitions: 3 }]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 10; i++) await producer.send({ topic, acks: -1, messages: [{ key: 'case-42', value: String(i) }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: uniqueName('ordered') });
    const byPartition = new Map<number, string[]>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => {
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), message.value!.toString()]);
    } });
    await eventually(() => ([...byPartition.values()].flat().length >= 10 ? true : undefined));
    await consumer.disconnect();
    expect(byPartition.size).toBe(1);
    expect([...byPartition.values()][0]).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});
