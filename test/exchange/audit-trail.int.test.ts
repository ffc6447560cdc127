import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataFolderPublicKey, verifyAuditTopic, type ChainedEntry, type LoggedRecord } from '@hub/audit-chain';
import { startCatalog } from '@hub/catalog/testing';
import { createKafka, createLogger, type Kafka } from '@hub/runtime';
import type { DeliveryEnvelope, ExchangeMonitoring } from '@hub/schemas';
import { startServiceProcess, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';
import { auditUntil, exchangeDriver, grantAgreements, publishRecords, readEnvelopes, readMonitoring, revokeAgreements, simulatedRecords, type ExchangeDriver } from './exchange-driver.ts';

/**
 * The exchange audit trail (留痕) through the real router process: every
 * record delivered under an agreement is monitored on exchange.monitoring in
 * the delivery's transaction, and the router's audit scribe chains each
 * monitoring record into the audit topic. The deliveries go to ps (a
 * department no sink suite on a shared broker counts); the run has an audit
 * topic of its own (ROUTER_AUDIT_TOPIC), so that its chain is signed by its
 * own key only, whatever other suites wrote into audit.exchange.
 */
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;
let driver: ExchangeDriver;
let common: Record<string, string>;
let dataDir: string;
const auditTopic = uniqueName('audit.exchange.test');
const logger = createLogger('audit-trail-test', 'warn');
const running = new Set<ServiceProcess>();
const licences = [uniqueName('AG-AUDIT-L1'), uniqueName('AG-AUDIT-L2')];
const permits = [uniqueName('AG-AUDIT-P1')];
const ours = new Set([...licences, ...permits]);

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = createKafka({ brokers: testBrokers(), clientId: 'audit-trail-test', logger });
  driver = exchangeDriver(kafka, catalog.url);
  dataDir = mkdtempSync(join(tmpdir(), 'hub-audit-trail-'));
  common = {
    KAFKA_BROKERS: testBrokers(), SCHEMA_REGISTRY_URL: catalog.url, HUB_DATA_DIR: dataDir, LOG_LEVEL: 'info',
    ROUTER_TICK_INTERVAL_MS: '0', ROUTER_SESSION_TIMEOUT_MS: '10000', ROUTER_AUDIT_TOPIC: auditTopic,
  };
}, 180_000);

afterAll(async () => {
  if (driver) await revokeAgreements(driver, [...ours].map((agreementId) => ({ agreementId, subscriber: 'ps' as const }))).catch(() => undefined);
  for (const router of running) await router.stop();
  await catalog?.close();
});

async function startRouter(name: string): Promise<ServiceProcess> {
  const router = await startServiceProcess({ dir: 'services/router', name, env: { ...common, ROUTER_INSTANCE_ID: name }, hostVariable: 'ROUTER_HOST', portVariable: 'ROUTER_PORT' });
  running.add(router);
  await router.waitFor((line) => line.msg === 'audit scribe started', 90_000, 'the audit scribe');
  return router;
}

const entriesOf = (records: LoggedRecord[]) => records.flatMap((r) => ('entry' in r ? [r.entry] : []));
const oursIn = (entries: ChainedEntry[]) => entries.filter((e) => e.entry.agreementId !== undefined && ours.has(e.entry.agreementId) && e.entry.action === 'delivery');

async function expectIntact(): Promise<void> {
  const verification = await verifyAuditTopic({ kafka, logger, topic: auditTopic, publicKey: readDataFolderPublicKey(dataDir) });
  expect(verification.problems).toEqual([]);
  expect(verification.ok).toBe(true);
}

describe('the exchange audit trail', () => {
  let delivered: DeliveryEnvelope[] = [];

  it('writes one entry per delivery, with who, what, which key, under which agreement, masked fields, size and time; the chain verifies', async () => {
    const router = await startRouter(uniqueName('router-audit-a'));
    // Its public key, printed at start, is the data folder's.
    const printed = await router.waitFor((line) => line.msg === 'audit trail signing key');
    expect(String(printed.publicKey)).toContain('BEGIN PUBLIC KEY');

    await grantAgreements(driver, [
      ...licences.map((agreementId) => ({ agreementId, subscriber: 'ps' as const, resourceCode: 'market.business-licence' })),
      ...permits.map((agreementId) => ({ agreementId, subscriber: 'ps' as const, resourceCode: 'market.food-business-permit' })),
    ]);
    const licenceRecords = await simulatedRecords(driver, 'market.business-licence', 60, 301);
    const permitRecords = await simulatedRecords(driver, 'market.food-business-permit', 40, 302);
    await publishRecords(driver, 'market.business-licence', licenceRecords, { transactionalId: uniqueName('audit-test-licences'), perTransaction: 20 });
    await publishRecords(driver, 'market.food-business-permit', permitRecords, { transactionalId: uniqueName('audit-test-permits'), perTransaction: 20 });
    const expected = licenceRecords.length * licences.length + permitRecords.length * permits.length;

    delivered = await readEnvelopes(driver, 'ps', ours, (e) => ours.has(e.agreementId ?? ''), (found) => found.length >= expected);
    expect(delivered).toHaveLength(expected);
    const monitoring = await readMonitoring(driver, ours, (m) => m.kind === 'DELIVERY' && ours.has(m.agreementId ?? ''), (found) => found.length >= expected);
    expect(monitoring).toHaveLength(expected);
    const byExchange = new Map<string, ExchangeMonitoring>(monitoring.map((m) => [m.exchangeId, m]));
    const keyOf = new Map([...licenceRecords, ...permitRecords].map((r) => [r.eventId, String(r.record.key)]));

    const log = await auditUntil(kafka, auditTopic, (records) => oursIn(entriesOf(records)).length >= expected);
    const entries = oursIn(entriesOf(log));
    expect(entries).toHaveLength(expected);
    const byId = new Map(entries.map((e) => [e.entry.exchangeId, e]));
    for (const envelope of delivered) {
      const chained = byId.get(envelope.deliveryId);
      const monitored = byExchange.get(envelope.deliveryId);
      expect(chained, envelope.deliveryId).toBeDefined();
      expect(monitored, envelope.deliveryId).toBeDefined();
      expect(monitored).toMatchObject({ requester: 'ps', provider: 'market', sourceEventId: envelope.sourceEventId, recordKey: keyOf.get(envelope.sourceEventId), succeeded: true });
      expect(monitored!.responseOutAt.getTime()).toBeGreaterThanOrEqual(monitored!.requestInAt.getTime());
      expect(chained!.entry).toEqual({
        who: 'ps',
        action: 'delivery',
        resourceCode: envelope.resourceCode,
        owner: 'market',
        key: keyOf.get(envelope.sourceEventId),
        agreementId: envelope.agreementId,
        eventId: envelope.sourceEventId,
        exchangeId: envelope.deliveryId,
        maskedFields: envelope.maskedFields,
        bytes: monitored!.responseSize,
        at: monitored!.responseOutAt.toISOString(),
        succeeded: true,
      });
    }
    // The unconditional licences go out with their credit codes masked.
    expect(delivered.filter((e) => e.resourceCode === 'market.business-licence').every((e) => e.maskedFields.includes('creditCode'))).toBe(true);
    await expectIntact();
  }, 300_000);

  it('a router stopped mid-stream signs what it chained, and the next start goes on from the same heads: intact, no entry twice', async () => {
    const [first] = running;
    const more = await simulatedRecords(driver, 'market.business-licence', 240, 303);
    let stopped: Promise<void> | undefined;
    await publishRecords(driver, 'market.business-licence', more, {
      transactionalId: uniqueName('audit-test-burst'),
      perTransaction: 20,
      pauseMs: 150,
      onCommitted(published) {
        if (published === 100) {
          stopped = (async () => {
            await first!.stop();
            running.delete(first!);
            // A clean stop's last transaction: every head it held is signed.
            const log = await auditUntil(kafka, auditTopic, () => true);
            for (const partition of [0, 1, 2]) {
              const last = log.filter((r) => r.partition === partition).at(-1);
              if (last) expect('checkpoint' in last, `partition ${partition} ends with a checkpoint`).toBe(true);
            }
            await startRouter(uniqueName('router-audit-b'));
          })();
        }
      },
    });
    await stopped;
    const expected = delivered.length + more.length * licences.length;
    const envelopes = await readEnvelopes(driver, 'ps', ours, (e) => ours.has(e.agreementId ?? ''), (found) => found.length >= expected);
    expect(new Set(envelopes.map((e) => e.deliveryId)).size).toBe(envelopes.length);
    expect(envelopes).toHaveLength(expected);
    const log = await auditUntil(kafka, auditTopic, (records) => oursIn(entriesOf(records)).length >= expected);
    const entries = oursIn(entriesOf(log));
    const exchangeIds = entries.map((e) => e.entry.exchangeId);
    expect(new Set(exchangeIds).size).toBe(exchangeIds.length);
    expect(new Set(exchangeIds)).toEqual(new Set(envelopes.map((e) => e.deliveryId)));
    // Every exchange step of the whole trail once, whoever monitored it (a forwarded request is two: the forward, then the owner's answer or the timeout).
    const all = entriesOf(log).map((e) => `${e.entry.action}|${e.entry.exchangeId}`);
    expect(new Set(all).size).toBe(all.length);
    await expectIntact();
  }, 300_000);
});
