import fp from 'fastify-plugin';
import type { Kafka, Producer } from 'kafkajs';
import { createAvroSerde, createKafka, ensureTopics, type AvroSerde, type Logger } from '@hub/runtime';
import { logicalTypes, topicFor, type DepartmentCode } from '@hub/schemas';
import type { SinksConfig } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    kafka: Kafka;
    serde: AvroSerde;
    /** Idempotent producer, acks=all, for dlq.sinks. */
    dlqProducer: Producer;
  }
}

/**
 * The Kafka client, the registry serde and the dead-letter producer; makes sure
 * the topics the sinks read and write exist.
 */
export const kafkaPlugin = fp<{ config: SinksConfig; logger: Logger; departments: DepartmentCode[] }>(
  async (app, { config, logger, departments }) => {
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'hub-sinks', logger });
    await ensureTopics(kafka, [
      ...departments.map((d) => ({ topic: topicFor('DeliveryEnvelope', d) })),
      { topic: config.SINKS_DLQ_TOPIC },
    ]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    app.decorate('kafka', kafka);
    app.decorate('serde', createAvroSerde({ registryUrl: config.SCHEMA_REGISTRY_URL, logicalTypes, clientId: 'hub-sinks' }));
    app.decorate('dlqProducer', producer);
    app.addHook('onClose', async () => {
      await producer.disconnect();
    });
  },
  { name: 'sinks-kafka', fastify: '5.x', dependencies: ['hub-observability'] },
);
