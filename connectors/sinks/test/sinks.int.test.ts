import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from '@hub/runtime';
import { startCatalog } from '@hub/catalog/testing';
import { eventually, testBrokers, uniqueName } from '@hub/test-support';
import { buildApp } from '../src/app.ts';
import { loadSinksConfig } from '../src/config.ts';
import type { SinkDeadLetter } from '../src/delivery/dead-letter.ts';
import { verifySignature } from '../src/delivery/webhook.ts';
import { deliveryWriter, readTopic, testKafka, testLogger } from './kafka-support.ts';
import { startReceiver } from './receiver.ts';

let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;
let writer: Awaited<ReturnType<typeof deliveryWriter>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sinks: FastifyInstance;
const groupPrefix = uniqueName('sinks-int');
const outbox = mkdtempSync(join(tmpdir(), 'sinks-hrss-outbox-'));

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = testKafka();
  writer = await deliveryWriter(kafka, catalog.url);
  receiver = await startReceiver({
    // Fails each delivery's first two attempts, then takes it; slow enough that parallel keys overlap.
    '/tax': (_request, attempt) => ({ status: attempt <= 2 ? 503 : 200, delayMs: 40 }),
    '/land': () => ({ status: 400 }),
    '/market': () => ({ status: 200, delayMs: 1_500 }),
    '/housing': () => ({ status: 200 }),
  });
  const config = loadSinksConfig({
    KAFKA_BROKERS: testBrokers(),
    SCHEMA_REGISTRY_URL: catalog.url,
    SINKS_DEPARTMENTS: 'tax,land,market,housing,hrss',
    SINKS_WEBHOOKS: ['tax', 'land', 'market', 'housing'].map((d) => `${d}=${receiver.url}/${d}`).join(','),
    SINKS_OUTBOXES: `hrss=${outbox}`,
    SINKS_GROUP_ID: groupPrefix,
    SINKS_CONCURRENCY: '4',
    SINKS_TIMEOUT_MS: '300',
    SINKS_MAX_ATTEMPTS: '4',
    SINKS_BACKOFF_BASE_MS: '20',
    SINKS_BACKOFF_MAX_MS: '200',
    LOG_LEVEL: 'warn',
  });
  sinks = await buildApp(config, { logger: testLogger() });
  await sinks.ready();
  await eventually(async () => ((await sinks.inject('/health')).statusCode === 200 ? true : undefined), 60_000, 'every sink consuming');
});

afterAll(async () => {
  await sinks?.close();
  await writer?.close();
  await receiver?.close();
  await catalog?.close();
  rmSync(outbox, { recursive: true, force: true });
});

async function deadLetters(predicate: (letter: SinkDeadLetter) => boolean, expected: number): Promise<SinkDeadLetter[]> {
  const messages = await readTopic(kafka, 'dlq.sinks', (m) => m.map((x) => JSON.parse(x.value!.toString()) as SinkDeadLetter).filter(predicate).length >= expected);
  return messages.map((x) => JSON.parse(x.value!.toString()) as SinkDeadLetter).filter(predicate);
}

describe('delivering deliveries.<dept> to department webhooks', () => {
  it('retries 503s with backoff, signs each delivery, keeps the order of each key, and runs keys in parallel', async () => {
    const keys = ['case-A', 'case-B', 'case-C'];
    const written = keys.flatMap((key) => [1, 2, 3, 4].map((n) => ({ key, deliveryId: `DL-${key}-${n}` })));
    await writer.write('tax', written);

    // Only this test's deliveries: other suites on the shared broker deliver to tax too (agreement notices, say).
    const ours = new Set(written.map((w) => w.deliveryId));
    const delivered = () => receiver.requests.filter((r) => r.path === '/tax' && r.headers['x-hub-delivery-attempt'] === '3' && ours.has(String(r.headers['ce-subject'])));
    await eventually(() => (delivered().length >= 12 ? true : undefined), 60_000, '12 deliveries to tax');

    const attemptsOf = (eventId: string) => receiver.requests.filter((r) => r.path === '/tax' && r.headers['x-hub-event-id'] === eventId).map((r) => r.headers['x-hub-delivery-attempt']);
    for (const request of delivered()) {
      // The department verifies the hub's signature over the raw body with its secret.
      expect(verifySignature(request.body, 'dev-tax-secret', String(request.headers['x-hub-signature-256']))).toBe(true);
      expect(verifySignature(request.body, 'dev-land-secret', String(request.headers['x-hub-signature-256']))).toBe(false);
      const body = JSON.parse(request.body);
      expect(request.headers['x-hub-event-id']).toBe(body.eventId);
      expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(request.headers).toMatchObject({ 'ce-specversion': '1.0', 'ce-id': body.eventId, 'ce-type': 'gov.hub.delivery.DeliveryEnvelope', 'ce-source': '/hub/router', 'ce-subject': body.deliveryId });
      expect(attemptsOf(body.eventId)).toEqual(['1', '2', '3']);
      expect(body).toMatchObject({ recipient: 'tax', resourceCode: 'market.business-licence', payloadSchemaId: writer.payloadSchemaId, correlationId: `corr-${body.deliveryId}` });
      expect(body.payload).toMatchObject({ eventId: writer.licence.eventId, creditCode: writer.licence.creditCode });
      expect(Buffer.from(body.payloadAvroBase64, 'base64').length).toBeGreaterThan(0);
    }
    // In key order: each key's deliveries arrived (and were taken) one after the other.
    for (const key of keys) {
      const order = receiver.requests.filter((r) => r.path === '/tax' && JSON.parse(r.body).deliveryId.startsWith(`DL-${key}-`)).map((r) => JSON.parse(r.body).deliveryId as string);
      expect(order).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4].map((n) => `DL-${key}-${n}`));
    }
    // Different keys in parallel, never more than SINKS_CONCURRENCY at once.
    expect(receiver.peakInFlight('/tax')).toBeGreaterThanOrEqual(2);
    expect(receiver.peakInFlight('/tax')).toBeLessThanOrEqual(4);

    // The receiver logs a request before it answers: give the sink a moment to count the last answers.
    // At least this test's 12 and their 24 retries (other suites' deliveries to tax count too).
    const counter = (text: string, name: string) => Number(new RegExp(`${name}\\{[^}]*department="tax"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const metrics = await eventually(async () => {
      const text = (await sinks.inject('/metrics')).body;
      return counter(text, 'sinks_delivered_total') >= 12 && counter(text, 'sinks_in_flight') === 0 ? text : undefined;
    }, 10_000, '12 delivered in /metrics');
    expect(counter(metrics, 'sinks_retried_total')).toBeGreaterThanOrEqual(24);

    // Offsets are committed once everything is delivered.
    await eventually(async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [committed] = await admin.fetchOffsets({ groupId: `${groupPrefix}.tax`, topics: ['deliveries.tax'] });
        const ends = await admin.fetchTopicOffsets('deliveries.tax');
        return ends.filter((end) => end.high !== '0').every((end) => committed!.partitions.find((p) => p.partition === end.partition)?.offset === end.high) ? true : undefined;
      } finally {
        await admin.disconnect();
      }
    }, 20_000, 'committed offsets of the tax sink');
  });

  it('dead-letters a delivery the department refuses (400) at once, with the attempt recorded', async () => {
    const [envelope] = await writer.write('land', [{ key: 'case-L', deliveryId: 'DL-land-refused' }]);
    const [letter] = await deadLetters((l) => l.deliveryId === 'DL-land-refused', 1);
    expect(letter).toMatchObject({
      component: 'sinks',
      department: 'land',
      webhook: `${receiver.url}/land`,
      source: { topic: 'deliveries.land', key: 'case-L' },
      eventId: envelope!.eventId,
      reason: 'permanent',
      detail: 'refused by the department system (HTTP 400)',
      attempts: [{ attempt: 1, status: 400, verdict: 'permanent', at: expect.any(String), durationMs: expect.any(Number) }],
      body: { deliveryId: 'DL-land-refused', recipient: 'land' },
    });
    expect(receiver.requests.filter((r) => r.path === '/land')).toHaveLength(1);
    expect((await sinks.inject('/metrics')).body).toMatch(/sinks_failed_total\{[^}]*department="land"[^}]*reason="permanent"[^}]*\} 1/);
  });

  it('dead-letters a delivery whose webhook times out on every attempt, with every attempt recorded', async () => {
    await writer.write('market', [{ key: 'case-M', deliveryId: 'DL-market-slow' }]);
    const [letter] = await deadLetters((l) => l.deliveryId === 'DL-market-slow', 1);
    expect(letter!.reason).toBe('exhausted');
    expect(letter!.detail).toBe('gave up after 4 attempts; last: timeout after 300 ms');
    expect(letter!.attempts.map((a) => [a.attempt, a.error, a.verdict])).toEqual([1, 2, 3, 4].map((n) => [n, 'timeout after 300 ms', 'transient']));
    for (const attempt of letter!.attempts) expect(attempt.durationMs).toBeGreaterThanOrEqual(290);
    expect(Date.parse(letter!.attempts[3]!.at)).toBeGreaterThan(Date.parse(letter!.attempts[0]!.at));
  });

  it('dead-letters a message that is not a DeliveryEnvelope without calling the webhook', async () => {
    await writer.writeRaw('housing', 'case-H', Buffer.from('not avro at all'));
    const [letter] = await deadLetters((l) => l.department === 'housing' && l.source.key === 'case-H', 1);
    expect(letter).toMatchObject({ reason: 'undecodable', attempts: [], body: null, originalValueBase64: Buffer.from('not avro at all').toString('base64') });
    expect(receiver.requests.filter((r) => r.path === '/housing')).toHaveLength(0);
  });

  it('writes the deliveries of a department that takes files to its outbox folder, one signed file each', async () => {
    const run = uniqueName('DL-hrss');
    const envelopes = await writer.write('hrss', [1, 2, 3].map((n) => ({ key: `case-${run}`, deliveryId: `${run}-${n}` })));
    const ours = () => readdirSync(outbox).filter((name) => name.endsWith('.json') && name.includes(encodeURIComponent(run)));
    await eventually(() => (ours().length === 3 ? true : undefined), 30_000, 'three files in the hrss outbox');
    const names = ours().sort();
    expect(names.map((name) => JSON.parse(readFileSync(join(outbox, name), 'utf8')).deliveryId)).toEqual(envelopes.map((e) => e.deliveryId).sort());
    for (const name of names) {
      const body = readFileSync(join(outbox, name));
      expect(verifySignature(body, 'dev-hrss-secret', readFileSync(join(outbox, `${name}.sha256`), 'utf8').trim())).toBe(true);
      expect(JSON.parse(body.toString('utf8'))).toMatchObject({ recipient: 'hrss', payloadSchemaId: writer.payloadSchemaId });
    }
    expect(readdirSync(outbox).filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(receiver.requests.filter((r) => r.path === '/hrss')).toHaveLength(0);
    await eventually(async () => (/sinks_delivered_total\{[^}]*department="hrss"[^}]*\} 3/.test((await sinks.inject('/metrics')).body) ? true : undefined), 10_000, '3 delivered in /metrics');
  });
});
