import type { AddressInfo } from 'node:net';
import avro from 'avsc';
import type { FastifyInstance } from 'fastify';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCatalogueResources } from '@hub/catalogue-client';
import { createKafka, createLogger, ensureTopics } from '@hub/runtime';
import { eventually, testBrokers, uniqueName } from '@hub/test-support';
import { buildApp } from '../src/app.ts';
import { loadCatalogConfig } from '../src/config.ts';

const TOKEN = 'client-test-operator-token';
const logger = createLogger('catalog-client-test', 'warn');

const taxClearance = {
  type: 'record', name: 'TaxClearance', namespace: 'gov.hub.records.tax', doc: 'Tax clearance (完税证明).',
  fields: [
    { name: 'creditCode', type: 'string', 'confluent:tags': ['CREDIT_CODE'] },
    { name: 'taxpayerName', type: 'string', 'confluent:tags': ['NAME'] },
    { name: 'cleared', type: 'boolean' },
    { name: 'amountPaid', type: { type: 'bytes', logicalType: 'decimal', precision: 14, scale: 2 } },
    { name: 'years', type: { type: 'array', items: 'int' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};

describe('@kafkajs/confluent-schema-registry against the catalog on a real port', () => {
  let app: FastifyInstance;
  let registry: SchemaRegistry;
  let url: string;

  beforeAll(async () => {
    const config = loadCatalogConfig({
      KAFKA_BROKERS: testBrokers(), CATALOG_TOPIC: uniqueName('_schemas.client'), CATALOG_OPERATOR_TOKEN: TOKEN,
      CATALOG_SEED_SCHEMAS: 'false', LOG_LEVEL: 'warn',
    });
    app = await buildApp(config, { logger });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // The client's own basic auth carries the operator token as the password.
    registry = new SchemaRegistry({ host: url, auth: { username: 'operator', password: TOKEN }, retry: { retries: 0 } });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('registers, and finds the id again by subject and by schema', async () => {
    const subject = 'records.tax.tax-clearance-gov.hub.records.tax.TaxClearance';
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(taxClearance) }, { subject });
    expect(id).toBeGreaterThan(0);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);
    expect(await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(taxClearance) })).toBe(id);
    expect(await registry.getRegistryId(subject, 1)).toBe(id);
    // The client sets the subject's level to BACKWARD after a first registration, and reads it back next time.
    const config = await fetch(`${url}/config/${subject}`).then((r) => r.json());
    expect(config).toEqual({ compatibilityLevel: 'BACKWARD' });
    const again = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(taxClearance) }, { subject });
    expect(again.id).toBe(id);
    // The catalogue view over HTTP, as other services read it.
    const resources = await fetchCatalogueResources(url);
    expect(resources.find((r) => r.subject === subject)).toMatchObject({ id, maskedFields: ['creditCode', 'taxpayerName'], owner: null });
  });

  it('encodes in the Confluent wire format byte for byte, and decodes', async () => {
    const subject = uniqueName('records.tax.wire') + '-value';
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(taxClearance) }, { subject });
    const value = { creditCode: '91350100M000100Y43', taxpayerName: '福州某某贸易有限公司', cleared: true, amountPaid: Buffer.from([0x01, 0xe2, 0x40]), years: [2023, 2024], note: null };
    const encoded = await registry.encode(id, value);
    const avroBinary = avro.Type.forSchema(taxClearance as never).toBuffer(value);
    const header = Buffer.alloc(5);
    header.writeUInt8(0, 0);
    header.writeUInt32BE(id, 1);
    expect(encoded.subarray(0, 1)).toEqual(Buffer.from([0]));
    expect(encoded.readUInt32BE(1)).toBe(id);
    expect(encoded.subarray(5)).toEqual(avroBinary);
    expect(encoded).toEqual(Buffer.concat([header, avroBinary]));
    // A fresh client knows nothing cached: it fetches the schema by id from the catalog to decode.
    const fresh = new SchemaRegistry({ host: url });
    expect(await fresh.decode(encoded)).toEqual(value);
  });

  it('carries messages through Kafka: encode, produce, consume, decode', async () => {
    const topic = uniqueName('records.tax.clearance');
    const subject = `${topic}-value`;
    const kafka = createKafka({ brokers: testBrokers(), clientId: 'catalog-client-test', logger });
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(taxClearance) }, { subject });
    const value = { creditCode: '91350100M000100Y43', taxpayerName: '某某公司', cleared: false, amountPaid: Buffer.from([0x00]), years: [], note: '欠税' };
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: value.creditCode, value: await registry.encode(id, value) }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: uniqueName('catalog-client-test') });
    const received: unknown[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { received.push(await registry.decode(message.value!)); } });
    await eventually(() => (received.length > 0 ? true : undefined), 30_000, 'the record');
    await consumer.disconnect();
    expect(received).toEqual([value]);
  }, 60_000);

  it('refuses an incompatible schema with the reason, and writes without the token', async () => {
    const subject = uniqueName('records.tax.evolving') + '-value';
    await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(taxClearance) }, { subject });
    const breaking = { ...taxClearance, fields: [...taxClearance.fields, { name: 'district', type: 'string' }] };
    await expect(registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(breaking) }, { subject }))
      .rejects.toThrow(/READER_FIELD_MISSING_DEFAULT_VALUE at 'district'/);
    const anonymous = new SchemaRegistry({ host: url, retry: { retries: 0 } });
    await expect(anonymous.register({ type: SchemaType.AVRO, schema: JSON.stringify({ ...taxClearance, name: 'Other' }) }, { subject: uniqueName('x') }))
      .rejects.toThrow(/Unauthorized/);
  });
});
