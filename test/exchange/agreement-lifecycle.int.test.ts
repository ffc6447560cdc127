import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCatalog } from '@hub/catalog/testing';
import { createAvroSerde, createEventCodec, createKafka, createLogger, readToEnd, type EventCodec, type Kafka } from '@hub/runtime';
import { logicalTypes, topicFor, type BusinessLicence, type DeliveryEnvelope, type ExchangeMonitoring } from '@hub/schemas';
import { beijingDate, mulberry32, resourceSimulator, simulatedRegion, simulateRecords } from '@hub/simulators';
import { eventually, startServiceProcess, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';

/**
 * A sharing agreement's life beyond its request and answer, through the real
 * gateway and router (each its own process) and the real catalog: the
 * catalog operator changes a resource's sharing condition, and the agreement
 * says why it stops and when it holds again; every change is monitored; and
 * an agreement with `snapshot: true` first receives the latest record of
 * every key, then the stream. The subscriber is ps, whose deliveries no sink
 * suite on the shared broker counts.
 */
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;
let events: EventCodec;
let router: ServiceProcess;
let gateway: ServiceProcess;
const logger = createLogger('agreement-lifecycle-test', process.env.TEST_LOG_LEVEL ?? 'warn');

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = createKafka({ brokers: testBrokers(), clientId: 'agreement-lifecycle-test', logger });
  events = createEventCodec(createAvroSerde({ registryUrl: catalog.url, logicalTypes, clientId: 'agreement-lifecycle-test' }));
  const common = { KAFKA_BROKERS: testBrokers(), SCHEMA_REGISTRY_URL: catalog.url, HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-agreements-')), LOG_LEVEL: 'info' };
  // The catalogue is read again every half second, so an operator's change reaches the agreements at once.
  router = await startServiceProcess({
    dir: 'services/router',
    name: 'the router',
    env: { ...common, ROUTER_INSTANCE_ID: uniqueName('router'), ROUTER_TICK_INTERVAL_MS: '0', ROUTER_CATALOGUE_REFRESH_MS: '500' },
    hostVariable: 'ROUTER_HOST',
    portVariable: 'ROUTER_PORT',
  });
  gateway = await startServiceProcess({ dir: 'services/gateway', name: 'the gateway', env: { ...common, GATEWAY_INSTANCE_ID: uniqueName('gw') }, hostVariable: 'GATEWAY_HOST', portVariable: 'GATEWAY_PORT' });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await router?.stop();
  await catalog?.close();
});

const call = (department: 'ps' | 'tax' | 'market', method: string, path: string, body?: unknown) =>
  fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer dev-${department}-token`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

interface View {
  agreementId: string;
  status: string;
  reason?: string;
  history: Array<{ type: string; reason?: string }>;
}

async function ask(body: Record<string, unknown>): Promise<{ agreementId: string; status: string }> {
  const asked = await call('ps', 'POST', '/v1/agreements', body);
  expect(asked.status, await asked.clone().text()).toBe(201);
  return (await asked.json()) as { agreementId: string; status: string };
}

const read = async (agreementId: string): Promise<View> => (await (await call('ps', 'GET', `/v1/agreements/${agreementId}`)).json()) as View;

/**
 * The catalog operator sets a resource's sharing condition (共享属性): the
 * latest schema registered again with the new metadata. The change is dated
 * in a property of its own: metadata equal to an earlier version's would find
 * that version (as Confluent does) and register nothing, and the catalogue
 * lists the latest version.
 */
async function setSharing(resourceCode: string, sharing: string): Promise<void> {
  const resources = (await (await fetch(`${catalog.url}/catalog/resources`)).json()) as Array<{ subject: string; resourceCode: string | null }>;
  const subject = resources.find((r) => r.resourceCode === resourceCode)?.subject;
  expect(subject, `the catalog lists ${resourceCode}`).toBeDefined();
  const latest = (await (await fetch(`${catalog.url}/subjects/${encodeURIComponent(subject!)}/versions/latest`)).json()) as { metadata: { properties: Record<string, string> } };
  const metadata = { ...latest.metadata, properties: { ...latest.metadata.properties, sharing, sharingChangedAt: new Date().toISOString() } };
  const registered = await fetch(`${catalog.url}/subjects/${encodeURIComponent(subject!)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: '', metadata }),
  });
  expect(registered.status, await registered.clone().text()).toBe(200);
  const listed = (await (await fetch(`${catalog.url}/catalog/resources`)).json()) as Array<{ resourceCode: string | null; sharing: string | null }>;
  expect(listed.find((r) => r.resourceCode === resourceCode)?.sharing).toBe(sharing);
}

/** Every event of a topic decoded, `data` as the schema has it. */
async function readAll<T>(topic: string): Promise<Array<{ data: T; timestamp: number }>> {
  const out = [];
  for (const record of await readToEnd(kafka, topic, { logger })) {
    try {
      out.push({ data: (await events.fromRecord(record)).data as T, timestamp: Number(record.timestamp) });
    } catch {
      // Not a hub event (nothing this suite wrote): not ours to read.
    }
  }
  return out;
}

describe('a change of the sharing condition in the catalogue', () => {
  it('suspends the agreements that no longer hold, saying why, and reinstates them when the condition comes back; each change is monitored once', async () => {
    // ps asks tax for its taxpayer registrations (conditional); tax approves.
    const { agreementId, status } = await ask({ resource: 'tax.taxpayer-registration', purpose: '户籍人口纳税登记比对' });
    expect(status).toBe('pending');
    expect((await call('tax', 'POST', `/v1/agreements/${agreementId}/approval`, { approved: true })).status).toBe(200);

    await setSharing('tax.taxpayer-registration', 'not-shared');
    const suspended = await eventually(async () => {
      const view = await read(agreementId);
      return view.status === 'suspended' ? view : undefined;
    }, 30_000, 'the agreement suspended');
    expect(suspended.reason).toMatch(/^tax\.taxpayer-registration is not shared \(不予共享\) in the catalogue since .*: nothing is delivered under the agreement$/);
    expect(suspended.history.at(-1)).toMatchObject({ type: 'AgreementSuspended', reason: suspended.reason });

    await setSharing('tax.taxpayer-registration', 'conditional');
    const reinstated = await eventually(async () => {
      const view = await read(agreementId);
      return view.status === 'granted' ? view : undefined;
    }, 30_000, 'the agreement reinstated');
    expect(reinstated.reason).toBeUndefined();
    expect(reinstated.history.map((h) => h.type)).toEqual(['AgreementRequested', 'AgreementGranted', 'AgreementSuspended', 'AgreementReinstated']);

    // Some more reads of the catalogue, each of which (and every instance) could have sent the change again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await read(agreementId)).history).toHaveLength(4);
    // Keyed by exchange (the agreement's event id), so across partitions: in the agreement's order by version.
    const version = (m: ExchangeMonitoring) => Number(m.exchangeId.slice(m.exchangeId.lastIndexOf(':') + 1));
    const monitored = (await readAll<ExchangeMonitoring>(topicFor('ExchangeMonitoring'))).map((m) => m.data).filter((m) => m.agreementId === agreementId).sort((a, b) => version(a) - version(b));
    expect(monitored.map((m) => m.faultCode)).toEqual(['AgreementRequested', 'AgreementGranted', 'AgreementSuspended', 'AgreementReinstated']);
    expect(monitored.every((m) => m.kind === 'AGREEMENT' && m.requester === 'ps' && m.provider === 'tax' && m.resourceCode === 'tax.taxpayer-registration' && m.succeeded)).toBe(true);
    expect(monitored[2]).toMatchObject({ eventId: `${agreementId}:3:monitoring`, exchangeId: `${agreementId}:3`, faultString: suspended.reason });
  }, 120_000);
});

describe('a new agreement with snapshot: true', () => {
  it('first receives the latest record of every key that reached the hub before its grant, once each, then the stream; nothing twice', async () => {
    const now = new Date();
    const context = { region: simulatedRegion(mulberry32(11)), now, today: beijingDate(now) };
    const natives = (seed: number, count: number) => Array.from(simulateRecords(resourceSimulator('market.business-licence'), mulberry32(seed), context, { badShare: 0, count }), (r) => r.native as Record<string, unknown>);
    const seed = Date.now() % 1_000_000_007;
    const push = async (records: Array<Record<string, unknown>>) => {
      const pushed = await call('market', 'POST', '/v1/records/market/business-licence', records);
      expect(pushed.status, await pushed.clone().text()).toBe(202);
    };
    const codeOf = (native: Record<string, unknown>) => String(native.TYSHXYDM);

    // Before the grant: 600 licences, more than a snapshot page holds. After it: one of them changed, and five new ones (the stream's).
    const before = natives(seed, 600);
    await push(before);
    const { agreementId, status } = await ask({ resource: 'market.business-licence', purpose: '户籍与经营主体信息比对', snapshot: true });
    expect(status).toBe('granted');
    const changed = { ...before[0]!, JYFW: `${String(before[0]!.JYFW)}；变更` };
    const after = natives(seed + 1, 5);
    await push([changed, ...after]);

    // What the hub holds for these keys: each record's event id, and whether it reached the hub before the grant.
    const ours = new Set([...before, ...after].map(codeOf));
    const records = (await readAll<BusinessLicence>('records.market.business-licence')).filter((r) => ours.has(r.data.creditCode));
    const grantedAt = Date.parse(((await read(agreementId)) as View & { decidedAt: string }).decidedAt);
    const superseded = records.filter((r) => r.data.creditCode === codeOf(changed) && r.timestamp < grantedAt).map((r) => r.data.eventId);
    const expected = new Set(records.map((r) => r.data.eventId).filter((id) => !superseded.includes(id)));
    expect(superseded).toHaveLength(1);
    expect(expected.size).toBe(599 + 1 + 5);

    const delivered = async () => (await readAll<DeliveryEnvelope>(topicFor('DeliveryEnvelope', 'ps'))).map((d) => d.data).filter((d) => d.agreementId === agreementId);
    await eventually(async () => {
      const ids = new Set((await delivered()).map((d) => d.sourceEventId));
      return [...expected].every((id) => ids.has(id)) ? true : undefined;
    }, 60_000, 'the snapshot and the stream delivered');
    // A moment more for anything that would come twice.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const all = await delivered();
    const count = (id: string) => all.filter((d) => d.sourceEventId === id).length;
    expect([...expected].filter((id) => count(id) !== 1)).toEqual([]);
    // The key changed after the grant: its new record is the stream's. The old one is the snapshot's only if the
    // store did not hold the new one yet when the page was read (the page skips a key whose latest came after the grant).
    expect(count(superseded[0]!)).toBeLessThanOrEqual(1);
    expect(new Set(all.map((d) => d.deliveryId)).size).toBe(all.length);
    // Every delivery, the snapshot's as the stream's, is monitored once (交换监测), in its transaction.
    const monitored = (await readAll<ExchangeMonitoring>(topicFor('ExchangeMonitoring'))).map((m) => m.data).filter((m) => m.agreementId === agreementId && m.kind === 'DELIVERY');
    expect(monitored.map((m) => m.exchangeId).sort()).toEqual(all.map((d) => d.deliveryId).sort());
    // Page by page, each its own command and transaction, until a short page.
    const pages = router.lines.filter((line) => line.msg === 'snapshot page' && line.agreementId === agreementId);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.map((page) => page.done)).toEqual([...pages.slice(1).map(() => false), true]);
    // Masked as the stream masks: no credit code of ours in any byte delivered.
    const bytes = all.map((d) => Buffer.from(d.payload).toString('latin1')).join('\n');
    for (const code of ours) expect(bytes).not.toContain(code);
  }, 180_000);
});
