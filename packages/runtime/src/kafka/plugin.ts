import fp from 'fastify-plugin';
import type { Kafka, Producer } from 'kafkajs';
import { logicalTypes } from '@hub/schemas';
import type { Logger } from '../logger.ts';
import { createAvroSerde, type AvroSerde } from '../serde.ts';
import { createKafka } from './client.ts';
import { createEventCodec, type EventCodec } from './event-codec.ts';
import type { SentRecords, TopicRecords } from './records.ts';
import { ensureTopics, type TopicSpec } from './topics.ts';

/** An idempotent producer (acks=all) outside transactions: audit lines, dead letters of the sinks. */
export interface RecordSender {
  send(records: TopicRecords): Promise<SentRecords[]>;
  /** Records of several topics in one produce request per broker (one round trip for all), acks=all. */
  sendBatch?(records: readonly TopicRecords[]): Promise<SentRecords[]>;
}

declare module 'fastify' {
  interface FastifyInstance {
    kafka: Kafka;
    serde: AvroSerde;
    /** Kafka record ↔ `{ type, data, metadata }` for the event types of schemas/. */
    events: EventCodec;
    /** The service's idempotent producer; connected at start, disconnected on close. */
    recordSender: RecordSender;
  }
}

export interface KafkaPluginOptions {
  brokers: string;
  clientId: string;
  registryUrl: string;
  logger: Logger;
  /** Topics the service reads or writes, made sure of in one go at start (several publishers creating one topic at once would race). */
  topics?: readonly TopicSpec[];
}

/**
 * The Kafka client, the registry serde, the event codec and one idempotent
 * producer, for every service: `app.register(kafkaPlugin, { … })`, then
 * plugins that depend on `hub-kafka` make their own transactional producers,
 * readers and processors from `app.kafka` and close them in their own onClose.
 */
export const kafkaPlugin = fp<KafkaPluginOptions>(
  async (app, options) => {
    const kafka = createKafka({ brokers: options.brokers, clientId: options.clientId, logger: options.logger });
    if (options.topics && options.topics.length > 0) await ensureTopics(kafka, [...options.topics]);
    const serde = createAvroSerde({ registryUrl: options.registryUrl, logicalTypes, clientId: options.clientId });
    const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    app.decorate('kafka', kafka);
    app.decorate('serde', serde);
    app.decorate('events', createEventCodec(serde));
    app.decorate('recordSender', {
      send: (records: TopicRecords) => producer.send({ ...records, acks: -1 }),
      sendBatch: (records: readonly TopicRecords[]) => producer.sendBatch({ topicMessages: [...records], acks: -1 }),
    });
    app.addHook('onClose', async () => {
      await producer.disconnect();
    });
  },
  { name: 'hub-kafka', fastify: '5.x' },
);
