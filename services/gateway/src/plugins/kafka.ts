import fp from 'fastify-plugin';
import type { Kafka } from 'kafkajs';
import { DEAD_LETTER_TOPIC, LEDGER_TOPIC_SPEC } from '@hub/connector-core';
import { createAvroSerde, createKafka, ensureTopics, type AvroSerde, type Logger } from '@hub/runtime';
import { logicalTypes, topicFor } from '@hub/schemas';
import type { GatewayConfig } from '../config.ts';
import type { ResourceDirectory } from '../records/resources.ts';

declare module 'fastify' {
  interface FastifyInstance {
    kafka: Kafka;
    serde: AvroSerde;
  }
}

/**
 * The Kafka client and the registry serde; makes sure every topic the gateway
 * writes exists, all in one go before the publishers start: several of them
 * creating the same missing topic at once would race (TOPIC_ALREADY_EXISTS).
 */
export const kafkaPlugin = fp<{ config: GatewayConfig; logger: Logger; directory: ResourceDirectory }>(
  async (app, { config, logger, directory }) => {
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `hub-${config.GATEWAY_INSTANCE_ID}`, logger });
    await ensureTopics(kafka, [
      { topic: config.GATEWAY_AUDIT_TOPIC },
      { topic: topicFor('CaseSubmitted') },
      { topic: DEAD_LETTER_TOPIC },
      LEDGER_TOPIC_SPEC,
      ...directory.list().map((r) => ({ topic: r.topic })),
    ]);
    app.decorate('kafka', kafka);
    app.decorate('serde', createAvroSerde({ registryUrl: config.SCHEMA_REGISTRY_URL, logicalTypes, clientId: `hub-${config.GATEWAY_INSTANCE_ID}` }));
  },
  { name: 'gateway-kafka', fastify: '5.x' },
);
