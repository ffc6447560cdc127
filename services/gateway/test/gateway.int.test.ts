import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from '@hub/runtime';
import { createAvroSerde } from '@hub/runtime';
import { logicalTypes, type CaseSubmitted } from '@hub/schemas';
import { startCatalog } from '@hub/catalog/testing';
import { recordEventId, rejectionId, type DeadLetter, type NativeRecord } from '@hub/connector-core';
import { testBrokers, uniqueName } from '@hub/test-support';
import { buildApp } from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';
import type { AuditEvent } from '../src/audit/audit-event.ts';
import { batchesWithBadRecords, bearer, personCase, residentRecord } from './support.ts';
import { header, quietLogger, readTopic, tempDataDir, testKafka } from './kafka-support.ts';

let catalog: Awaited<ReturnType<typeof startCatalog>>;
let gateway: FastifyInstance;
let kafka: Kafka;

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = testKafka();
  const config = loadGatewayConfig({
    KAFKA_BROKERS: testBrokers(),
    SCHEMA_REGISTRY_URL: catalog.url,
    HUB_DATA_DIR: tempDataDir(),
    GATEWAY_INSTANCE_ID: uniqueName('gw-int'),
    LOG_LEVEL: 'warn',
  });
  gateway = await buildApp(config, { logger: quietLogger() });
  await gateway.ready();
});

afterAll(async () => {
  await gateway?.close();
  await catalog?.close();
});

const push = (records: unknown[], who: 'ps' | 'tax' = 'ps', headers: Record<string, string> = {}) =>
  gateway.inject({
    method: 'POST',
    url: '/v1/records/ps/resident-identity',
    headers: { 'content-type': 'application/json', ...bearer(who), ...headers },
    payload: JSON.stringify(records),
  });

describe('the gateway against the real broker and catalog', () => {
  it('is healthy once its publishers and ledgers are ready', async () => {
    const health = await gateway.inject('/health');
    expect(health.json()).toMatchObject({ status: 'ok', checks: { publishers: 'ok', cases: 'ok' } });
  });

  it('publishes a push of 10,000 records with 10% bad: every good one in Kafka once, every bad one dead-lettered with field and reason, and named in the response', async () => {
    const series = 11;
    const batches = batchesWithBadRecords(10_000, 1_000, series);
    const started = performance.now();
    const responses = [];
    for (const batch of batches) responses.push(await push(batch.records));
    const elapsed = performance.now() - started;

    const goodIds = new Set<string>();
    const badIds = new Set<string>();
    const goodKeys = new Set<string>();
    const badKeys = new Set<string>();
    responses.forEach((response, n) => {
      expect(response.statusCode).toBe(202);
      const body = response.json() as { accepted: number; duplicates: number; rejected: Array<{ index: number; field: string; reason: string }> };
      const batch = batches[n]!;
      expect(body.accepted).toBe(900);
      expect(body.duplicates).toBe(0);
      // The response names each rejected record: its index in the batch, the field, the reason.
      expect(body.rejected.map((r) => r.index)).toEqual([...batch.bad].sort((a, b) => a - b));
      for (const rejected of body.rejected) {
        expect(rejected.field).toBe('GMSFHM');
        expect(rejected.reason).toMatch(/^check character should be/);
      }
      // Other suites publish resident records to the same topic: this test's records are told apart by their deterministic ids.
      batch.records.forEach((record, index) => {
        if (batch.bad.has(index)) badIds.add(rejectionId('ps', 'resident-identity', String(record.GMSFHM), record));
        else goodIds.add(recordEventId('ps', 'resident-identity', String(record.GMSFHM), record));
        (batch.bad.has(index) ? badKeys : goodKeys).add(String(record.GMSFHM));
      });
    });
    expect(goodIds.size).toBe(9_000);
    expect(badIds.size).toBe(1_000);

    const ours = (m: { headers?: Parameters<typeof header>[0] }) => goodIds.has(header(m.headers, 'ce_id') ?? '');
    const rejectedHere = (m: { headers?: Parameters<typeof header>[0] }) => badIds.has(header(m.headers, 'ce_id') ?? '');
    const events = await readTopic(kafka, 'records.ps.resident-identity', (m) => m.filter(ours).length >= 9_000);
    const mine = events.filter(ours);
    const eventIds = mine.map((m) => header(m.headers, 'ce_id'));
    expect(mine).toHaveLength(9_000);
    expect(new Set(eventIds)).toEqual(goodIds);
    expect(new Set(mine.map((m) => m.key?.toString()))).toEqual(goodKeys);

    // Every good record decodes through the registry as a canonical ResidentIdentity.
    const serde = createAvroSerde({ registryUrl: catalog.url, logicalTypes });
    const first = await serde.decode<{ idNumber: string; sourceDepartment: string; eventId: string }>(mine[0]!.value!);
    expect(first).toMatchObject({ sourceDepartment: 'ps', eventId: header(mine[0]!.headers, 'ce_id') });

    const letters = await readTopic(kafka, 'dlq.connectors', (m) => m.filter(rejectedHere).length >= 1_000);
    const badLetters = letters.filter(rejectedHere).map((m) => JSON.parse(m.value!.toString()));
    expect(badLetters).toHaveLength(1_000);
    expect(new Set(badLetters.map((l) => l.original.GMSFHM))).toEqual(badKeys);
    for (const letter of badLetters) {
      expect(letter).toMatchObject({ connector: 'ps', department: 'ps', resource: 'resident-identity', field: 'GMSFHM', reason: expect.stringMatching(/^check character should be/), source: { kind: 'http', name: expect.stringMatching(/^gateway\//) } });
    }
    console.info(`push of 10,000 records in 10 batches of 1,000 (in-process inject): ${Math.round(elapsed)} ms, ${Math.round(10_000 / (elapsed / 1000))} records/s`);

    // A retried push publishes nothing twice: the good ones are duplicates, the bad ones are not dead-lettered again.
    const retry = await push(batches[0]!.records);
    expect(retry.json()).toMatchObject({ accepted: 0, duplicates: 900 });
    expect(retry.json().rejected).toHaveLength(100);
    const after = await readTopic(kafka, 'records.ps.resident-identity', (m) => m.filter(ours).length >= 9_000);
    expect(after.filter(ours)).toHaveLength(9_000);
    const lettersAfter = await readTopic(kafka, 'dlq.connectors', (m) => m.length >= letters.length);
    expect(lettersAfter.filter(rejectedHere)).toHaveLength(1_000);
  });

  it.each(['application/json', 'application/x-ndjson'])('publishes the good record beside one with a 900,000-character field (%s): the bad one rejected naming the field, its dead letter cut under the broker limit with the hash of the whole', async (contentType) => {
    // A name of this run: the ledger knows what earlier runs on the same broker published.
    const runName = `韦${[...`${Date.now()}${contentType.length}`].map((d) => '零一二三四五六七八九'.charAt(Number(d))).join('')}`;
    const good: NativeRecord = { ...residentRecord(contentType === 'application/json' ? 1 : 2, { series: 13 }), XM: runName };
    const poison: NativeRecord = { ...residentRecord(3, { series: 13 }), XM: runName, GMSFHM: '4'.repeat(900_000) };
    const records = [good, poison];
    const response = await gateway.inject({
      method: 'POST',
      url: '/v1/records/ps/resident-identity',
      headers: { 'content-type': contentType, ...bearer('ps') },
      payload: contentType === 'application/json' ? JSON.stringify(records) : records.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [{ index: 1, field: 'GMSFHM', reason: 'longer than 4096 characters: it has 900000' }] });

    const goodId = recordEventId('ps', 'resident-identity', String(good.GMSFHM), good);
    const events = await readTopic(kafka, 'records.ps.resident-identity', (m) => m.some((x) => header(x.headers, 'ce_id') === goodId));
    expect(events.filter((x) => header(x.headers, 'ce_id') === goodId)).toHaveLength(1);

    const badId = rejectionId('ps', 'resident-identity', undefined, poison);
    const letters = await readTopic(kafka, 'dlq.connectors', (m) => m.some((x) => header(x.headers, 'ce_id') === badId));
    const message = letters.find((x) => header(x.headers, 'ce_id') === badId)!;
    expect(message.value!.length + (message.key?.length ?? 0)).toBeLessThan(1024 * 1024);
    const letter = JSON.parse(message.value!.toString()) as DeadLetter;
    const whole = JSON.stringify(poison);
    expect(letter).toMatchObject({
      field: 'GMSFHM',
      reason: 'longer than 4096 characters: it has 900000',
      originalTruncated: true,
      originalBytes: Buffer.byteLength(whole),
      originalSha256: createHash('sha256').update(whole).digest('hex'),
      original: { XM: poison.XM, GMSFHM: `${'4'.repeat(1_024)}…` },
    });
    expect(message.key?.toString()).toMatch(/^gateway\/.+#2$/); // keyed by its row, not by a 900,000-character "key"
  });

  it('refuses tax publishing a public-security resource with 403, and the refusal is on audit.gateway', async () => {
    const requestId = uniqueName('req');
    const response = await push([residentRecord(1, { series: 12 })], 'tax', { 'x-request-id': requestId });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const audit = await readTopic(kafka, 'audit.gateway', (m) => m.some((x) => x.value?.toString().includes(requestId)));
    const message = audit.find((x) => x.value?.toString().includes(requestId))!;
    const event = JSON.parse(message.value!.toString()) as AuditEvent;
    expect(event).toMatchObject({ actor: 'tax', action: 'records.push', target: 'ps.resident-identity', outcome: 'refused', status: 403, requestId, reason: { code: 'GW_FORBIDDEN_RESOURCE' } });
    expect(message.key?.toString()).toBe('tax');
    expect(header(message.headers, 'ce_type')).toBe('gov.hub.audit.GatewayRequest');
  });

  it('submits a case as CaseSubmitted on cases.events; a retry with the same Idempotency-Key yields the same case and no second event', async () => {
    const key = uniqueName('W07');
    const submit = () => gateway.inject({ method: 'POST', url: '/v1/cases', headers: { 'content-type': 'application/json', ...bearer('window'), 'idempotency-key': key }, payload: JSON.stringify(personCase) });
    const first = await submit();
    expect(first.statusCode).toBe(201);
    const { caseId, eventId } = first.json() as { caseId: string; eventId: string };
    const second = await submit();
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual({ caseId, eventId });
    expect(second.headers['idempotent-replayed']).toBe('true');

    const other = await gateway.inject({ method: 'POST', url: '/v1/cases', headers: { 'content-type': 'application/json', ...bearer('window') }, payload: JSON.stringify(personCase) });
    expect(other.statusCode).toBe(201);
    expect(other.json().caseId).not.toBe(caseId);

    const messages = await readTopic(kafka, 'cases.events', (m) => m.some((x) => x.key?.toString() === caseId));
    const ofCase = messages.filter((m) => m.key?.toString() === caseId);
    expect(ofCase).toHaveLength(1);
    expect(header(ofCase[0]!.headers, 'ce_id')).toBe(eventId);
    expect(header(ofCase[0]!.headers, 'ce_type')).toBe('gov.hub.cases.CaseSubmitted');
    const serde = createAvroSerde({ registryUrl: catalog.url, logicalTypes });
    const event = await serde.decode<CaseSubmitted>(ofCase[0]!.value!);
    expect(event).toMatchObject({ eventId, caseId, applicant: { kind: 'PERSON', name: '韦建国', idNumber: personCase.applicant.idNumber }, centreId: 'NN-XN-ZWZX', windowId: 'W07', channel: 'WINDOW', divisionCode: '450102' });
    expect(event.occurredAt).toBeInstanceOf(Date);
  });
});
