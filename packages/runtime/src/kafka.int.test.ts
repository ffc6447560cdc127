import { beforeAll, describe, expect, it } from 'vitest';
import type { Kafka, EachMessagePayload } from 'kafkajs';
import { testBrokers, uniqueName, eventually } from '@hub/test/support';
import { createKafka, ensureTopics } from './kafka.ts';
import { createLogger } from './logger.ts';

const logger = createLogger('runtime-test', 'warn');
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka({ brokers: testBrokers(), clientId: 'runtime-int', logger });
});

async function readAll(topic: string, expected: number, isolation: 'read_committed' | 'read_uncommitted' = 'read_committed') {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), readUncommitted: isolation === 'read_uncommitted' });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { seen.push(message.value!.toString()); } });
  try {
    await eventually(() => (seen.length >= expected ? true : undefined), 30_000, `${expected} messages on ${topic}`);
    // Give anything beyond the expected count (duplicates, aborted records) a chance to show up.
    await new Promise((r) => setTimeout(r, 500));
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('kafkajs against the real broker', () => {
  const input = uniqueName('t.input');
  const output = uniqueName('t.output');

  beforeAll(async () => {
    const created = await ensureTopics(kafka, [{ topic: input }, { topic: output }]);
    expect(created.sort()).toEqual([input, output].sort());
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

    const seen = await readAll(input, 50);
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

  it('runs a transactional read-process-write: outputs and input offsets commit together, aborts stay invisible', async () => {
    const groupId = uniqueName('processor');
    const producer = kafka.producer({ transactionalId: uniqueName('tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();

    // An aborted transaction first: its records must never be read with read_committed.
    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [{ key: 'x', value: 'aborted' }] });
    await aborted.abort();

    const consumer = kafka.consumer({ groupId, readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: input, fromBeginning: true });
    let processed = 0;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }: EachMessagePayload) => {
        const tx = await producer.transaction();
        try {
          await tx.send({ topic: output, messages: [{ key: message.key, value: `processed:${message.value!.toString()}` }] });
          await tx.sendOffsets({
            consumerGroupId: groupId,
            topics: [{ topic, partitions: [{ partition, offset: (BigInt(message.offset) + 1n).toString() }] }],
          });
          await tx.commit();
          processed++;
        } catch (error) {
          await tx.abort();
          throw error;
        }
      },
    });
    await eventually(() => (processed >= 50 ? true : undefined), 60_000, '50 processed records');
    await consumer.disconnect();
    await producer.disconnect();

    const outputs = await readAll(output, 50);
    expect(outputs).toHaveLength(50);
    expect(outputs).not.toContain('aborted');
    expect(new Set(outputs).size).toBe(50);

    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [input] });
    const topicOffsets = await admin.fetchTopicOffsets(input);
    await admin.disconnect();
    const committed = Object.fromEntries(offsets!.partitions.map((p) => [p.partition, p.offset]));
    for (const p of topicOffsets) expect(committed[p.partition]).toBe(p.high);
  });
});
