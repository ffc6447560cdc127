import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, testBrokers, uniqueName } from '@hub/test-support';
import { createLogger } from '../logger.ts';
import { createKafka } from './client.ts';
import { createExactlyOnceProcessor, type InputBatch } from './exactly-once.ts';
import type { Kafka } from './records.ts';
import { readToEnd } from './topic-reader.ts';
import { createTransactionalProducer } from './transactional-producer.ts';
import { ensureTopics } from './topics.ts';

const logger = createLogger('runtime-exactly-once-test', process.env.TEST_LOG_LEVEL ?? 'warn');
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka({ brokers: testBrokers(), clientId: 'runtime-exactly-once-int', logger });
});

describe('the exactly-once processor on a clean stop', () => {
  it('writes each held partition\'s last transaction (no offsets), tells `committed` of it, and a restart processes nothing again', async () => {
    const input = uniqueName('eos.input');
    const output = uniqueName('eos.output');
    const groupId = uniqueName('eos-group');
    await ensureTopics(kafka, [{ topic: input, partitions: 3 }, { topic: output, partitions: 3 }]);
    const writer = createTransactionalProducer({ kafka, logger, transactionalId: uniqueName('eos-writer') });
    await writer.commit([{ topic: input, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) }]);
    await writer.disconnect();

    const seen: string[] = [];
    const committedEmpty: number[] = [];
    const start = () => {
      const processor = createExactlyOnceProcessor({
        kafka, logger, groupId, topics: [input], transactionalIdPrefix: groupId,
        process: (batch: InputBatch) => {
          for (const record of batch.records) seen.push(record.value!.toString());
          return [{ topic: output, messages: batch.records.map((r) => ({ key: r.key, value: r.value })) }];
        },
        committed(batch) {
          if (batch.records.length === 0) committedEmpty.push(batch.partition);
        },
        closing: (_topic, partition) => [{ topic: output, messages: [{ partition, key: null, value: `last-words-${partition}` }] }],
      });
      return processor;
    };
    const first = start();
    await first.start();
    await eventually(async () => (seen.length >= 30 ? true : undefined), 60_000, 'the 30 records processed');
    const held = [...first.assignment].map((key) => Number(key.slice(key.lastIndexOf(':') + 1))).sort();
    await first.stop();
    expect(committedEmpty.sort()).toEqual(held);
    const written = (await readToEnd(kafka, output, { logger })).map((r) => r.value!.toString());
    expect(written.filter((v) => v.startsWith('last-words-')).sort()).toEqual(held.map((p) => `last-words-${p}`));
    expect(written.filter((v) => v.startsWith('v'))).toHaveLength(30);

    // The last transactions moved no offsets and the batches' did: nothing comes again.
    const second = start();
    await second.start();
    await eventually(async () => (second.assignment.size === 3 ? true : undefined), 60_000, 'the second run to hold the partitions');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await second.stop();
    expect(seen).toHaveLength(30);
  });
});
