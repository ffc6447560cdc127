import { cloudEventHeaders, createAvroSerde, createKafka, createLogger, ensureTopics, readUntil, type AvroSerde, type ConsumedRecord, type Kafka } from '@hub/runtime';
import { loadSchema, logicalTypes, subjectName, topicFor, type DeliveryEnvelope, type DepartmentCode } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { testBrokers } from '@hub/test-support';

export const testLogger = () => createLogger('sinks-test', process.env.TEST_LOG_LEVEL ?? 'warn');

export function testKafka(): Kafka {
  return createKafka({ brokers: testBrokers(), clientId: 'sinks-test', logger: testLogger() });
}

/**
 * Writes deliveries the way the router does: the DeliveryEnvelope in the
 * Confluent wire format through the registry, its payload (a BusinessLicence)
 * as bare Avro of the payload schema, CloudEvents headers, key = `key`.
 */
export async function deliveryWriter(kafka: Kafka, registryUrl: string) {
  const serde: AvroSerde = createAvroSerde({ registryUrl, logicalTypes });
  const licence = samples.BusinessLicence;
  const payloadTopic = 'records.market.business-licence';
  const payloadSubject = subjectName(payloadTopic, 'gov.hub.records.market.BusinessLicence');
  const payloadSchemaId = await serde.register(payloadSubject, loadSchema('BusinessLicence') as never);
  const payloadWire = await serde.encode(payloadSchemaId, licence);
  const payload = payloadWire.subarray(5);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const envelopeIds = new Map<string, number>();
  return {
    serde,
    payloadSchemaId,
    licence,
    async write(department: DepartmentCode, deliveries: Array<{ key: string; deliveryId: string }>): Promise<DeliveryEnvelope[]> {
      const topic = topicFor('DeliveryEnvelope', department);
      await ensureTopics(kafka, [{ topic }]);
      let envelopeId = envelopeIds.get(topic);
      if (envelopeId === undefined) {
        envelopeId = await serde.register(subjectName(topic, 'gov.hub.delivery.DeliveryEnvelope'), loadSchema('DeliveryEnvelope') as never);
        envelopeIds.set(topic, envelopeId);
      }
      const envelopes: DeliveryEnvelope[] = deliveries.map(({ deliveryId }) => ({
        ...samples.DeliveryEnvelope,
        eventId: `${deliveryId}>${department}`,
        deliveryId,
        recipient: department,
        payloadSubject,
        payloadSchemaId,
        payload,
        correlationId: `corr-${deliveryId}`,
      }));
      const messages = await Promise.all(envelopes.map(async (envelope, i) => ({
        key: deliveries[i]!.key,
        value: await serde.encode(envelopeId, envelope),
        headers: cloudEventHeaders({ id: envelope.eventId, type: 'gov.hub.delivery.DeliveryEnvelope', source: '/hub/router', time: envelope.occurredAt, subject: envelope.deliveryId, correlationId: envelope.correlationId }),
      })));
      // One message per request keeps the order of one key as written.
      for (const message of messages) await producer.send({ topic, acks: -1, messages: [message] });
      return envelopes;
    },
    async writeRaw(department: DepartmentCode, key: string, value: Buffer): Promise<void> {
      await ensureTopics(kafka, [{ topic: topicFor('DeliveryEnvelope', department) }]);
      await producer.send({ topic: topicFor('DeliveryEnvelope', department), acks: -1, messages: [{ key, value }] });
    },
    close: () => producer.disconnect(),
  };
}

/** Everything committed on a topic, read again until `done` says so. */
export function readTopic(kafka: Kafka, topic: string, done: (records: ConsumedRecord[]) => boolean): Promise<ConsumedRecord[]> {
  return readUntil(kafka, topic, done, { logger: testLogger() });
}
