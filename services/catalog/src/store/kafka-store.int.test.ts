import { afterAll, describe, expect, it } from 'vitest';
import { createKafka, createLogger } from '@hub/runtime';
import { testBrokers, uniqueName } from '@hub/test-support';
import { kafkaSchemaStore } from './kafka-store.ts';
import { schemaStoreContract } from './schema-store.contract.ts';
import { encodeEvent } from './topic-records.ts';

const logger = createLogger('catalog-store-test', 'warn');
const kafka = () => createKafka({ brokers: testBrokers(), clientId: 'catalog-store-test', logger });

schemaStoreContract('Kafka', () => {
  const topic = uniqueName('_schemas.test');
  return { store: () => kafkaSchemaStore({ kafka: kafka(), topic, logger, timeoutMs: 20_000 }) };
}, 60_000);

describe('the Kafka store topic', () => {
  const admin = kafka().admin();
  afterAll(() => admin.disconnect());

  it('is compacted, has one partition, and holds Confluent-style keys', async () => {
    const topic = uniqueName('_schemas.layout');
    const store = kafkaSchemaStore({ kafka: kafka(), topic, logger });
    await store.open(() => undefined);
    const event = { type: 'CompatibilitySet' as const, data: { subject: null, compatibility: 'FULL' as const } };
    await store.write(() => ({ events: [event], answer: null }));
    await store.close();
    await admin.connect();
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata?.partitions).toHaveLength(1);
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }], includeSynonyms: false });
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('compact');
    expect(encodeEvent(event)).toEqual({ key: '{"keytype":"CONFIG","subject":null,"magic":0}', value: '{"compatibilityLevel":"FULL"}' });
  }, 60_000);
});
