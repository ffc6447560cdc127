import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalog } from '@hub/catalog/testing';
import { decideAgreement, evolveAgreement, initialAgreementState, type AgreementCommand, type AgreementEvent, type AgreementState } from '@hub/router';
import { startRouterInProcess, type InProcessRouter } from '@hub/router/testing';
import { createAvroSerde, createEventCodec, createKafka, createLogger, ensureTopics, readUntil, type ConsumedRecord, type EventCodec, type Kafka, type Producer, type ReadEvent } from '@hub/runtime';
import { logicalTypes, topicFor, type ResidentIdentity } from '@hub/schemas';
import { hubTopics } from '@hub/topology';
import { testBrokers, uniqueName } from '@hub/test-support';

/**
 * Data requests (数据共享申请) on the router, in this process, against the
 * real broker and catalog: housing asks ps about residents (answered from the
 * record store, masked; verified without a field shown; not found), tax asks
 * without an agreement (refused, and ps told), hrss outside its region; a
 * resource registered in the catalog without a connector is forwarded to ps,
 * which answers or lets it time out; a restart resumes the store from its
 * file, a deleted file is read again from Kafka.
 *
 * Only ps is ever told anything (deliveries.ps), a department no sink suite
 * on the shared broker counts. The residents are loaded as if a day ago,
 * before any agreement of the run, so no subscription delivers them; the
 * agreements made here are revoked at the end.
 */
const logger = createLogger('requests-test', 'warn');
const run = randomUUID().slice(0, 8);
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;
let producer: Producer;
let events: EventCodec;
let router: InProcessRouter;
let dataDir: string;
const instanceId = uniqueName('router-requests');
const agreements = { housing: `AG-REQH${run}`, permits: `AG-REQP${run}`, hrss: `AG-REQR${run}` };
const agreementStates = new Map<string, AgreementState>();

/** Residents of Nanning, each with an ID number of this run (a valid check character is not needed here). */
const serial = String(parseInt(run.slice(0, 4), 16) % 1000).padStart(3, '0');
const residents: ResidentIdentity[] = Array.from({ length: 20 }, (_, i) => ({
  eventId: randomUUID(),
  occurredAt: new Date(Date.now() - 86_400_000),
  sourceDepartment: 'ps',
  idNumber: `450103198001${String(i).padStart(2, '0')}${serial}${i % 2 === 0 ? 'X' : '1'}`,
  previousIdNumber: null,
  name: i % 2 === 0 ? '韦建国' : '欧阳春花',
  sex: i % 2 === 0 ? 'MALE' : 'FEMALE',
  ethnicity: '02',
  birthDate: '1980-01-01',
  address: '广西壮族自治区南宁市青秀区民族大道100号',
  divisionCode: '450103',
}));
const [first, second] = residents as [ResidentIdentity, ResidentIdentity];

/** A resource ps registered in the catalog with no connector: its records never come through the hub. */
const PERMITS = {
  subject: 'records.ps.residence-permit-value',
  schema: {
    type: 'record', name: 'ResidencePermit', namespace: 'gov.hub.test', doc: '居住证信息 (test resource without a connector)',
    fields: [
      { name: 'permitNo', type: 'string', doc: '居住证号' },
      { name: 'idNumber', type: 'string', doc: '身份证号', 'confluent:tags': ['ID_NUMBER'] },
      { name: 'name', type: 'string', doc: '姓名', 'confluent:tags': ['NAME'] },
      { name: 'divisionCode', type: 'string', doc: '居住地区划' },
      { name: 'validUntil', type: 'string', doc: '有效期至' },
    ],
  },
  properties: { owner: 'ps', sharing: 'conditional', updateCycle: 'daily', resourceCode: 'ps.residence-permit', title: '居住证信息（测试资源）', keyFields: 'permitNo' },
};

async function writeResidents(records: readonly ResidentIdentity[]): Promise<void> {
  const messages = [];
  for (const data of records) {
    const { record } = await events.toRecord({ type: 'ResidentIdentity', data, metadata: { source: '/test/ps' } });
    // Loaded a day ago: before every agreement of the run, so no subscription delivers them.
    messages.push({ ...record, timestamp: String(Date.now() - 86_400_000) });
  }
  await producer.send({ topic: topicFor('ResidentIdentity'), acks: -1, messages });
}

/** The agreement's events as the router would decide them (its own aggregate), written to exchange.agreements. */
async function agreementSteps(agreementId: string, ...commands: Array<(at: Date) => AgreementCommand>): Promise<void> {
  let state = agreementStates.get(agreementId) ?? initialAgreementState();
  const written: AgreementEvent[] = [];
  for (const [i, command] of commands.entries()) {
    const decided = decideAgreement(command(new Date(Date.now() - 60_000 + i * 1_000)), state);
    if (!decided.ok) throw new Error(`${agreementId}: ${decided.error.message}`);
    for (const event of decided.events) {
      state = evolveAgreement(state, event);
      written.push(event);
    }
  }
  agreementStates.set(agreementId, state);
  const messages = [];
  for (const event of written) messages.push((await events.toRecord({ type: event.type, data: event.data, metadata: { source: '/test' } } as never)).record);
  await producer.send({ topic: topicFor('AgreementRequested'), acks: -1, messages });
}

const grant = (agreementId: string, subscriber: string, resourceCode: string, maskedFields: string[], divisionPrefix?: string) =>
  agreementSteps(
    agreementId,
    (at) => ({ type: 'RequestAgreement', data: { agreementId, occurredAt: at, subscriber, resourceCode, resource: { resourceCode, owner: 'ps', sharing: 'conditional', maskedFields }, purpose: '资格审核', ...(divisionPrefix === undefined ? {} : { divisionPrefix }) } }),
    (at) => ({ type: 'ApproveAgreement', data: { agreementId, occurredAt: at, by: 'ps', approved: true } }),
  );

const routerEnv = (extra: Record<string, string> = {}) => ({
  KAFKA_BROKERS: testBrokers(), SCHEMA_REGISTRY_URL: catalog.url, HUB_DATA_DIR: dataDir, ROUTER_INSTANCE_ID: instanceId, ROUTER_REQUEST_DEADLINE_MS: '20000', ...extra,
});

const ask = (body: Record<string, unknown>) => router.app.inject({ method: 'POST', url: '/internal/v1/exchange/requests', payload: body });
const respond = (requestId: string, body: Record<string, unknown>) => router.app.inject({ method: 'POST', url: `/internal/v1/exchange/requests/${requestId}/response`, payload: body });
const view = (requestId: string, department: string) => router.app.inject({ method: 'GET', url: `/internal/v1/exchange/requests/${requestId}?department=${department}` });

/** Events of a topic about one request (its key), decoded. */
async function eventsOf(topic: string, requestId: string, count: number): Promise<ReadEvent[]> {
  const ours = (r: ConsumedRecord) => r.key?.toString() === requestId || (r.value?.includes(requestId) ?? false);
  const records = await readUntil(kafka, topic, (all) => all.filter(ours).length >= count, { logger, timeoutMs: 30_000 });
  return Promise.all(records.filter(ours).map((r) => events.fromRecord(r)));
}

/** The forward of a question about `permitNo` on deliveries.ps: its request id. */
async function forwardedRequestId(permitNo: string): Promise<string> {
  const about = (r: ConsumedRecord) => r.value?.includes(permitNo) ?? false;
  const [record] = (await readUntil(kafka, 'deliveries.ps', (all) => all.some(about), { logger, timeoutMs: 30_000 })).filter(about);
  const envelope = await events.fromRecord(record!);
  if (envelope.type !== 'DeliveryEnvelope') throw new Error(envelope.type);
  expect(envelope.data).toMatchObject({ recipient: 'ps', agreementId: null, resourceCode: 'ps.residence-permit', sourceTopic: 'exchange.requests' });
  return envelope.data.requestId!;
}

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  const registered = await fetch(`${catalog.url}/subjects/${PERMITS.subject}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(PERMITS.schema), metadata: { properties: PERMITS.properties } }),
  });
  expect(registered.status, await registered.clone().text()).toBe(200);
  kafka = createKafka({ brokers: testBrokers(), clientId: 'requests-test', logger });
  await ensureTopics(kafka, hubTopics());
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  events = createEventCodec(createAvroSerde({ registryUrl: catalog.url, logicalTypes, clientId: 'requests-test' }));
  await writeResidents(residents);
  await grant(agreements.housing, 'housing', 'ps.resident-identity', ['idNumber', 'previousIdNumber', 'name', 'address']);
  await grant(agreements.permits, 'housing', 'ps.residence-permit', ['idNumber', 'name']);
  await grant(agreements.hrss, 'hrss', 'ps.resident-identity', ['idNumber', 'previousIdNumber', 'name', 'address'], '450300');
  dataDir = mkdtempSync(join(tmpdir(), 'hub-router-requests-'));
  router = await startRouterInProcess(routerEnv());
}, 180_000);

afterAll(async () => {
  await router?.close();
  // Nothing of this suite goes on delivering in the suites after it.
  for (const agreementId of Object.values(agreements)) {
    if (agreementStates.get(agreementId)?.status !== 'granted') continue;
    await agreementSteps(agreementId, (at) => ({ type: 'RevokeAgreement', data: { agreementId, occurredAt: new Date(Math.max(at.getTime(), Date.now())), by: 'ps', reason: 'test over' } }));
  }
  await producer?.disconnect();
  await catalog?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('data requests answered from the record store', () => {
  it('answers the latest record of the key, its sensitive fields masked as the agreement says, and writes the exchange once', async () => {
    const response = await ask({ requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: first.idNumber.toLowerCase() }, purpose: '公租房申请资格审核' });
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json() as { requestId: string; status: string; record: Record<string, unknown>; maskedFields: string[] };
    expect(answer).toMatchObject({ status: 'answered', maskedFields: ['idNumber', 'name', 'address'] });
    expect(answer.requestId).toMatch(/^DR-[0-9A-Z]{26}$/);
    expect(answer.record).toMatchObject({ idNumber: `${first.idNumber.slice(0, 6)}********${first.idNumber.slice(14)}`, name: '韦**', address: '广西壮族自治区南宁市青秀区********', divisionCode: '450103', sex: 'MALE', birthDate: '1980-01-01' });
    expect(response.body).not.toContain(first.idNumber);

    const [requested] = await eventsOf('exchange.requests', answer.requestId, 1);
    expect(requested).toMatchObject({ type: 'ExchangeRequested', data: { requester: 'housing', owner: 'ps', resourceCode: 'ps.resident-identity', agreementId: agreements.housing, kind: 'QUESTION', verifyFields: null, deadline: null } });
    const [responded] = await eventsOf('exchange.responses', answer.requestId, 1);
    expect(responded).toMatchObject({ type: 'ExchangeResponded', data: { outcome: 'ANSWERED', responder: 'ps', agreementId: agreements.housing, maskedFields: ['idNumber', 'name', 'address'], answer: { name: '韦**' } } });
    const monitoring = await eventsOf('exchange.monitoring', answer.requestId, 1);
    expect(monitoring).toHaveLength(1);
    expect(monitoring[0]!.data).toMatchObject({
      exchangeId: answer.requestId, kind: 'ANSWER', requester: 'housing', provider: 'ps', resourceCode: 'ps.resident-identity', agreementId: agreements.housing,
      requestId: answer.requestId, recordKey: first.idNumber, sourceEventId: first.eventId, maskedFields: ['idNumber', 'name', 'address'], succeeded: true,
    });
    const sizes = monitoring[0]!.data as { requestSize: number; responseSize: number };
    expect(sizes.requestSize).toBeGreaterThan(50);
    expect(sizes.responseSize).toBeGreaterThan(100);
    const got = await view(answer.requestId, 'housing');
    expect(got.json()).toMatchObject({ ...answer, requester: 'housing', owner: 'ps', resource: 'ps.resident-identity', askedAt: expect.any(String), answeredAt: expect.any(String) });
    expect((await view(answer.requestId, 'tax')).statusCode).toBe(404);
  });

  it('verifies given values without revealing any field: true and false, and no record', async () => {
    const response = await ask({ requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: second.idNumber }, purpose: '核验申请人身份', verify: { name: '欧阳春花', divisionCode: '450102' } });
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json() as Record<string, unknown>;
    expect(answer).toEqual({ requestId: expect.any(String), status: 'answered', matches: { name: true, divisionCode: false } });
    expect(response.body).not.toContain('欧阳');
    const [requested] = await eventsOf('exchange.requests', String(answer.requestId), 1);
    expect(requested!.data).toMatchObject({ verifyFields: ['name', 'divisionCode'] });
    // The values checked are not kept on the log (only the key asked by).
    expect(JSON.stringify(requested!.data)).not.toContain('欧阳春花');
    const [monitoring] = await eventsOf('exchange.monitoring', String(answer.requestId), 1);
    expect(monitoring!.data).toMatchObject({ kind: 'VERIFICATION', maskedFields: [], succeeded: true });
  });

  it('answers not-found for a key the hub has no record of', async () => {
    const response = await ask({ requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: '450103199901010000' }, purpose: '公租房申请资格审核' });
    expect(response.json()).toEqual({ requestId: expect.any(String), status: 'not-found' });
    const [monitoring] = await eventsOf('exchange.monitoring', String(response.json().requestId), 1);
    expect(monitoring!.data).toMatchObject({ kind: 'NOT_FOUND', agreementId: agreements.housing, succeeded: true });
  });

  it('refuses a department without an agreement, with the reason, and tells the owner', async () => {
    const response = await ask({ requester: 'tax', resource: 'ps.resident-identity', key: { idNumber: first.idNumber }, purpose: '个税专项附加扣除核查' });
    expect(response.json()).toEqual({ requestId: expect.any(String), status: 'refused', reason: 'tax has no agreement on ps.resident-identity' });
    const requestId = String(response.json().requestId);
    const [notice] = await eventsOf('deliveries.ps', requestId, 1);
    expect(notice).toMatchObject({ type: 'DeliveryEnvelope', data: { recipient: 'ps', requestId, agreementId: null, resourceCode: 'ps.resident-identity', sourceTopic: 'exchange.responses', maskedFields: [] } });
    const [monitoring] = await eventsOf('exchange.monitoring', requestId, 1);
    expect(monitoring!.data).toMatchObject({ kind: 'REFUSAL', requester: 'tax', provider: 'ps', agreementId: null, succeeded: false, faultCode: 'no-agreement' });
  });

  it('refuses a record outside the agreement’s region', async () => {
    const response = await ask({ requester: 'hrss', resource: 'ps.resident-identity', key: { idNumber: first.idNumber }, purpose: '参保核查' });
    expect(response.json()).toMatchObject({ status: 'refused', reason: `the record lies outside 450300, the region of agreement ${agreements.hrss}` });
  });

  it('names the field at fault: the resource, a missing or extra key field, a field to verify the record type has not', async () => {
    const problem = async (body: Record<string, unknown>) => {
      const response = await ask({ requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: first.idNumber }, purpose: '核查', ...body });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      return (response.json() as { errors: Array<{ field: string; message: string }> }).errors.map((e) => e.field);
    };
    expect(await problem({ resource: 'ps.no-such-resource' })).toEqual(['resource']);
    expect(await problem({ key: { name: '韦建国' } })).toEqual(['key.idNumber', 'key.name']);
    expect(await problem({ verify: { phone: '13800001234' } })).toEqual(['verify.phone']);
    expect(await problem({ requester: 'nobody' })).toEqual(['requester']);
    expect(await problem({ purpose: undefined })).toEqual(['purpose']);
  });
});

describe('data requests forwarded to the owner’s system', () => {
  it('holds the question until the owner answers, then answers the record masked; only the owner answers, once', async () => {
    const permitNo = `JZ-${run}-1`;
    const held = ask({ requester: 'housing', resource: 'ps.residence-permit', key: { permitNo }, purpose: '公租房申请资格审核' });
    const requestId = await forwardedRequestId(permitNo);
    expect((await view(requestId, 'housing')).json()).toMatchObject({ requestId, status: 'pending', requester: 'housing', owner: 'ps', resource: 'ps.residence-permit' });
    expect((await respond(requestId, { responder: 'tax', status: 'not-found' })).statusCode).toBe(403);
    expect((await respond('DR-UNKNOWN', { responder: 'ps', status: 'not-found' })).statusCode).toBe(404);
    const stray = await respond(requestId, { responder: 'ps', status: 'answered', record: { permitNo, phone: '13800001234' } });
    expect(stray.statusCode).toBe(400);
    expect(stray.json().errors).toEqual([{ field: 'record.phone', message: 'ps.residence-permit has no field phone' }]);
    const record = { permitNo, idNumber: first.idNumber, name: '韦建国', divisionCode: '450103', validUntil: '2027-12-31' };
    const answered = await respond(requestId, { responder: 'ps', status: 'answered', record });
    expect(answered.json()).toEqual({ requestId, status: 'answered' });
    const answer = await held;
    expect(answer.json()).toEqual({ requestId, status: 'answered', record: { ...record, idNumber: `${first.idNumber.slice(0, 6)}********${first.idNumber.slice(14)}`, name: '韦**' }, maskedFields: ['idNumber', 'name'] });
    expect((await respond(requestId, { responder: 'ps', status: 'not-found' })).statusCode).toBe(409);
    const kinds = (await eventsOf('exchange.monitoring', requestId, 2)).map((e) => (e.data as { kind: string }).kind);
    expect(kinds).toEqual(['FORWARD', 'RESPONSE']);
  });
});

describe('the router restarted', () => {
  it('resumes the record store from its file, follows new records, keeps past requests and takes an owner’s late answer', async () => {
    const permitNo = `JZ-${run}-late`;
    void ask({ requester: 'housing', resource: 'ps.residence-permit', key: { permitNo }, purpose: '公租房申请资格审核' }).catch(() => undefined);
    const lateId = await forwardedRequestId(permitNo);
    const past = (await ask({ requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: first.idNumber }, purpose: '复核' })).json() as { requestId: string };
    await router.close();

    const moved: ResidentIdentity = { ...first, eventId: randomUUID(), address: '广西壮族自治区南宁市兴宁区朝阳路12号', divisionCode: '450102' };
    await writeResidents([moved]);
    router = await startRouterInProcess(routerEnv({ ROUTER_REQUEST_DEADLINE_MS: '3000' }));
    // Only what came after the stop is read: the one new record.
    expect(router.app.recordStore.applied).toBe(1);
    const answer = (await ask({ requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: first.idNumber }, purpose: '复核' })).json();
    expect(answer).toMatchObject({ status: 'answered', record: { divisionCode: '450102', address: '广西壮族自治区南宁市兴宁区******' } });
    expect((await view(past.requestId, 'ps')).json()).toMatchObject({ requestId: past.requestId, status: 'answered', requester: 'housing' });

    expect((await respond(lateId, { responder: 'ps', status: 'not-found' })).json()).toEqual({ requestId: lateId, status: 'not-found' });
    expect((await view(lateId, 'housing')).json()).toMatchObject({ status: 'not-found', answeredAt: expect.any(String) });
  });

  it('times a forwarded question out at its deadline, once, and refuses the owner’s answer after it', async () => {
    const permitNo = `JZ-${run}-timeout`;
    const started = Date.now();
    const response = await ask({ requester: 'housing', resource: 'ps.residence-permit', key: { permitNo }, purpose: '公租房申请资格审核' });
    const seconds = (Date.now() - started) / 1000;
    const answer = response.json() as { requestId: string; status: string; reason: string };
    expect(answer).toMatchObject({ status: 'timeout', reason: expect.stringMatching(/^ps did not answer by /) });
    expect(seconds).toBeGreaterThanOrEqual(2.9);
    expect(seconds).toBeLessThan(10);
    expect((await respond(answer.requestId, { responder: 'ps', status: 'not-found' })).statusCode).toBe(409);
    const responses = await eventsOf('exchange.responses', answer.requestId, 1);
    expect(responses.map((e) => (e.data as { outcome: string }).outcome)).toEqual(['TIMEOUT']);
    const kinds = (await eventsOf('exchange.monitoring', answer.requestId, 2)).map((e) => (e.data as { kind: string }).kind);
    expect(kinds).toEqual(['FORWARD', 'TIMEOUT']);
  });

  it('reads a deleted file again from Kafka: the records and the past requests', async () => {
    const past = (await ask({ requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: second.idNumber }, purpose: '复核' })).json() as { requestId: string };
    await router.close();
    rmSync(join(dataDir, 'router', instanceId), { recursive: true, force: true });
    router = await startRouterInProcess(routerEnv());
    expect(router.app.recordStore.applied).toBeGreaterThanOrEqual(residents.length + 1);
    expect((await ask({ requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: second.idNumber }, purpose: '复核' })).json()).toMatchObject({ status: 'answered', record: { name: '欧***' } });
    // Read back from exchange.responses, where the answer travels as text.
    expect((await view(past.requestId, 'housing')).json()).toMatchObject({ requestId: past.requestId, status: 'answered', record: { name: '欧***', divisionCode: '450103' }, maskedFields: ['idNumber', 'name', 'address'] });
  });
});
