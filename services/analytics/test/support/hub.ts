import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startCatalog } from '@hub/catalog/testing';
import { createAvroSerde, createEventCodec, createKafka, createLogger, ensureTopics, type EventCodec, type HubEvent, type Kafka, type Producer } from '@hub/runtime';
import { logicalTypes } from '@hub/schemas';
import { hubTopics } from '@hub/topology';
import { testBrokers, uniqueName } from '@hub/test-support';
import { buildApp } from '../../src/app.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';

/** A catalog (the registry), a producer writing hub events as the hub does, and the topics: what an analytics suite publishes through. */
export interface TestHub {
  kafka: Kafka;
  registryUrl: string;
  codec: EventCodec;
  publish(events: readonly HubEvent[]): Promise<void>;
  close(): Promise<void>;
}

export async function startTestHub(): Promise<TestHub> {
  const catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  const logger = createLogger('analytics-test', 'warn');
  const kafka = createKafka({ brokers: testBrokers(), clientId: uniqueName('analytics-test'), logger });
  await ensureTopics(kafka, hubTopics());
  const codec = createEventCodec(createAvroSerde({ registryUrl: catalog.url, logicalTypes }));
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  return {
    kafka,
    registryUrl: catalog.url,
    codec,
    async publish(events) {
      for (let i = 0; i < events.length; i += 2_000) {
        const topicMessages = await codec.toTopicRecords(events.slice(i, i + 2_000));
        await producer.sendBatch({ topicMessages, acks: -1 });
      }
    },
    async close() {
      await producer.disconnect();
      await catalog.close();
    },
  };
}

/** The analytics service in this process, its chDB under a fresh folder and its own consumer group. */
export async function startAnalytics(hub: TestHub, env: Record<string, string> = {}): Promise<{ app: FastifyInstance; dataDir: string }> {
  const dataDir = env.HUB_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hub-analytics-'));
  const config = loadAnalyticsConfig({
    KAFKA_BROKERS: testBrokers(),
    SCHEMA_REGISTRY_URL: hub.registryUrl,
    HUB_DATA_DIR: dataDir,
    ANALYTICS_GROUP_ID: uniqueName('analytics-test'),
    ANALYTICS_INSTANCE_ID: uniqueName('analytics'),
    ANALYTICS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const app = await buildApp(config);
  return { app, dataDir };
}
