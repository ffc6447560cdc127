import { beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { testBrokers, uniqueName } from '@hub/test-support';
import { createKafka } from './client.ts';
import { ensureTopics } from './topics.ts';
import { readToEnd } from './topic-reader.ts';
import { createLogger } from '../logger.ts';

const logger = createLogger('runtime-test', 'warn');
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka({ brokers: testBrokers(), clientId: 'read-committed-int', logger });
});

describe('read_committed on the real broker', () => {
  it('given two transactions on one partition aborted in the other order than they began, none of their records is read', async () => {
    // What a kill -9 leaves: open transactions of several producers in one partition, aborted one by one as they are fenced.
    const topic = uniqueName('t.aborted');
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const producer = (name: string) => kafka.producer({ transactionalId: uniqueName(name), idempotent: true, maxInFlightRequests: 1 });
    const [early, late, committed] = [producer('early'), producer('late'), producer('committed')];
    for (const p of [early, late, committed]) await p.connect();
    try {
      const first = await early.transaction();
      await first.send({ topic, acks: -1, messages: [{ partition: 0, value: 'aborted-early-1' }] });
      const second = await late.transaction();
      await second.send({ topic, acks: -1, messages: [{ partition: 0, value: 'aborted-late-1' }] });
      await first.send({ topic, acks: -1, messages: [{ partition: 0, value: 'aborted-early-2' }] });
      await second.abort();
      await first.abort();
      const third = await committed.transaction();
      await third.send({ topic, acks: -1, messages: [{ partition: 0, value: 'committed' }] });
      await third.commit();
    } finally {
      for (const p of [early, late, committed]) await p.disconnect();
    }
    const read = (await readToEnd(kafka, topic, { logger })).map((r) => r.value!.toString());
    expect(read).toEqual(['committed']);
  });
});
