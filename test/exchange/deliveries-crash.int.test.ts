import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataFolderPublicKey, verifyAuditTopic, type LoggedRecord } from '@hub/audit-chain';
import { startCatalog } from '@hub/catalog/testing';
import { createKafka, createLogger, type Kafka } from '@hub/runtime';
import type { DepartmentCode } from '@hub/schemas';
import { startServiceProcess, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';
import { auditUntil, exchangeDriver, grantAgreements, publishRecords, readEnvelopes, readMonitoring, revokeAgreements, simulatedRecords, type ExchangeDriver } from './exchange-driver.ts';

/**
 * kill -9 of the router while a burst of records is being delivered: several
 * records topics, each partition its own transactional producer in the
 * deliveries, all writing deliveries.ps and exchange.monitoring. The killed
 * instance leaves one open transaction per input partition; the restarted one
 * takes the partitions over once the dead member's session has timed out
 * (10 s here), fences them (their transactions are aborted) and delivers the
 * rest. Then every matching record is delivered exactly once under each
 * agreement (compared by source event id, read_committed as a department's
 * system reads it), monitored once, and chained once into an intact trail.
 */
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;
let driver: ExchangeDriver;
let common: Record<string, string>;
let dataDir: string;
const logger = createLogger('deliveries-crash-test', 'warn');
const auditTopic = uniqueName('audit.exchange.crash');
const running = new Set<ServiceProcess>();
const burst = Number(process.env.TEST_CRASH_RECORDS ?? 3_000);

/** ps subscribes to three unconditional resources (two agreements on the licences), none of them its own. */
const plan = [
  { resourceCode: 'market.business-licence', agreements: [uniqueName('AG-CRASH-L1'), uniqueName('AG-CRASH-L2')], records: burst },
  { resourceCode: 'market.food-business-permit', agreements: [uniqueName('AG-CRASH-F1')], records: burst / 2 },
  { resourceCode: 'housing.construction-permit', agreements: [uniqueName('AG-CRASH-C1')], records: burst / 2 },
];
const subscriber: DepartmentCode = 'ps';
const ours = new Set(plan.flatMap((p) => p.agreements));

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = createKafka({ brokers: testBrokers(), clientId: 'deliveries-crash-test', logger });
  driver = exchangeDriver(kafka, catalog.url);
  dataDir = mkdtempSync(join(tmpdir(), 'hub-deliveries-crash-'));
  common = {
    KAFKA_BROKERS: testBrokers(), SCHEMA_REGISTRY_URL: catalog.url, HUB_DATA_DIR: dataDir, LOG_LEVEL: 'info',
    ROUTER_TICK_INTERVAL_MS: '0', ROUTER_SESSION_TIMEOUT_MS: '10000', ROUTER_AUDIT_TOPIC: auditTopic,
  };
}, 180_000);

afterAll(async () => {
  if (driver) await revokeAgreements(driver, [...ours].map((agreementId) => ({ agreementId, subscriber }))).catch(() => undefined);
  for (const router of running) await router.stop();
  await catalog?.close();
});

async function startRouter(name: string): Promise<ServiceProcess> {
  const router = await startServiceProcess({ dir: 'services/router', name, env: { ...common, ROUTER_INSTANCE_ID: name }, hostVariable: 'ROUTER_HOST', portVariable: 'ROUTER_PORT' });
  running.add(router);
  return router;
}

describe('kill -9 of the router during a burst of records', () => {
  it('every matching record is delivered once under each agreement, monitored once and audited once; the trail is intact', async () => {
    const first = await startRouter(uniqueName('router-crash-a'));
    await grantAgreements(driver, plan.flatMap(({ resourceCode, agreements }) => agreements.map((agreementId) => ({ agreementId, subscriber, resourceCode }))));
    const records = await Promise.all(plan.map((p, i) => simulatedRecords(driver, p.resourceCode, p.records, 500 + i)));
    const expected = new Set<string>();
    plan.forEach((p, i) => { for (const agreementId of p.agreements) for (const { eventId } of records[i]!) expected.add(`${agreementId}>${eventId}`); });
    const total = records.reduce((n, r) => n + r.length, 0);

    // The burst: the three topics at once, in transactions as the connectors write them; the kill a third of the way in.
    let published = 0;
    let deliveredBeforeKill = 0;
    let crashed: Promise<void> | undefined;
    const killedAt = Math.round(total / 3);
    await Promise.all(plan.map((p, i) => publishRecords(driver, p.resourceCode, records[i]!, {
      transactionalId: uniqueName(`crash-test-${p.resourceCode}`),
      perTransaction: 50,
      pauseMs: 100,
      onCommitted() {
        published += 50;
        if (crashed === undefined && published >= killedAt) {
          const at = published;
          crashed = (async () => {
            await first.killHard();
            running.delete(first);
            const restarted = Date.now();
            // Nothing is delivered until the dead member's session times out: what is there now is the killed router's.
            const [second, before] = await Promise.all([
              startRouter(uniqueName('router-crash-b')),
              readEnvelopes(driver, subscriber, ours),
            ]);
            deliveredBeforeKill = before.length;
            await second.waitFor((line) => line.msg === 'partitions assigned' && Array.isArray(line.assignment) && line.assignment.some((a) => String(a).startsWith('records.')), 90_000, 'the restarted router to take the records partitions over');
            console.log(`kill -9 after ${at} of ${total} records published, ${deliveredBeforeKill} of ${expected.size} deliveries committed; the restarted router held the records partitions after ${((Date.now() - restarted) / 1000).toFixed(1)} s`);
          })();
        }
      },
    })));
    await crashed;
    expect(crashed).toBeDefined();
    // Killed in the middle of the deliveries, not before or after them.
    expect(deliveredBeforeKill).toBeGreaterThan(0);
    expect(deliveredBeforeKill).toBeLessThan(expected.size);

    const envelopes = await readEnvelopes(driver, subscriber, ours, (e) => ours.has(e.agreementId ?? ''), (found) => found.length >= expected.size, 300_000);
    const counts = new Map<string, number>();
    for (const envelope of envelopes) {
      // The delivery id is agreement>source event id: each record once under each agreement.
      expect(envelope.deliveryId).toBe(`${envelope.agreementId}>${envelope.sourceEventId}`);
      counts.set(envelope.deliveryId, (counts.get(envelope.deliveryId) ?? 0) + 1);
    }
    const twice = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    const missing = [...expected].filter((id) => !counts.has(id));
    const unexpected = [...counts.keys()].filter((id) => !expected.has(id));
    expect({ twice: twice.slice(0, 10), missing: missing.slice(0, 10), unexpected: unexpected.slice(0, 10) }).toEqual({ twice: [], missing: [], unexpected: [] });
    expect(envelopes).toHaveLength(expected.size);

    const monitoring = await readMonitoring(driver, ours, (m) => m.kind === 'DELIVERY' && ours.has(m.agreementId ?? ''), (found) => found.length >= expected.size, 300_000);
    const monitored = monitoring.map((m) => m.exchangeId);
    expect(new Set(monitored).size).toBe(monitored.length);
    expect(new Set(monitored)).toEqual(expected);
    expect(monitoring.every((m) => m.succeeded && m.requester === subscriber)).toBe(true);

    const entriesOf = (log: LoggedRecord[]) => log.flatMap((r) => ('entry' in r && ours.has(r.entry.entry.agreementId ?? '') && r.entry.entry.action === 'delivery' ? [r.entry.entry.exchangeId] : []));
    const log = await auditUntil(kafka, auditTopic, (records) => entriesOf(records).length >= expected.size, 300_000);
    const audited = entriesOf(log);
    expect(new Set(audited).size).toBe(audited.length);
    expect(new Set(audited)).toEqual(expected);
    const verification = await verifyAuditTopic({ kafka, logger, topic: auditTopic, publicKey: readDataFolderPublicKey(dataDir) });
    expect(verification.problems).toEqual([]);
    expect(verification.ok).toBe(true);
  }, 600_000);
});
