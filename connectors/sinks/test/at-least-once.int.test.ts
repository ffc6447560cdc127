import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '@hub/runtime';
import { startCatalog } from '@hub/catalog/testing';
import { eventually, testBrokers, uniqueName } from '@hub/test-support';
import { buildApp } from '../src/app.ts';
import { loadSinksConfig } from '../src/config.ts';
import { deliveryWriter, testKafka, testLogger } from './kafka-support.ts';
import { startReceiver } from './receiver.ts';

let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = testKafka();
});
afterAll(async () => {
  await catalog?.close();
});

describe('offsets are committed only after a delivery is made', () => {
  it('a sink stopped while a delivery is still being retried delivers it after the restart', async () => {
    let open = false;
    const receiver = await startReceiver({ '/civil': () => ({ status: open ? 204 : 503 }) });
    const writer = await deliveryWriter(kafka, catalog.url);
    const config = loadSinksConfig({
      KAFKA_BROKERS: testBrokers(),
      SCHEMA_REGISTRY_URL: catalog.url,
      SINKS_DEPARTMENTS: 'civil',
      SINKS_WEBHOOKS: `civil=${receiver.url}/civil`,
      SINKS_GROUP_ID: uniqueName('sinks-restart'),
      SINKS_MAX_ATTEMPTS: '100',
      SINKS_BACKOFF_BASE_MS: '50',
      SINKS_BACKOFF_MAX_MS: '100',
      LOG_LEVEL: 'warn',
    });
    try {
      const [envelope] = await writer.write('civil', [{ key: 'case-C', deliveryId: 'DL-civil-1' }]);
      const first = await buildApp(config, { logger: testLogger() });
      await eventually(() => (receiver.requests.length >= 3 ? true : undefined), 60_000, 'three failed attempts');
      await first.close();

      const admin = kafka.admin();
      await admin.connect();
      const [offsets] = await admin.fetchOffsets({ groupId: `${config.SINKS_GROUP_ID}.civil`, topics: ['deliveries.civil'] });
      await admin.disconnect();
      // Nothing committed: the delivery was neither made nor dead-lettered.
      expect(offsets!.partitions.every((p) => p.offset === '-1')).toBe(true);

      open = true;
      const before = receiver.requests.length;
      const second = await buildApp(config, { logger: testLogger() });
      try {
        await eventually(() => (receiver.requests.slice(before).some((r) => r.headers['x-hub-event-id'] === envelope!.eventId) ? true : undefined), 60_000, 'the delivery after the restart');
        // A restart begins the attempts anew; the event id lets the department drop a repeat.
        expect(receiver.requests.slice(before)[0]!.headers['x-hub-delivery-attempt']).toBe('1');
        // Counted once delivered (other suites on the shared broker may have left deliveries to civil before it, which this sink delivers too).
        await eventually(async () => (Number((await second.inject('/metrics')).body.match(/sinks_delivered_total\{[^}]*department="civil"[^}]*\} (\d+)/)?.[1] ?? 0) >= 1 ? true : undefined), 10_000, 'delivered counter');
      } finally {
        await second.close();
      }
    } finally {
      await writer.close();
      await receiver.close();
    }
  });
});
