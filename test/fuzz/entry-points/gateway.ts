import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { startCatalog } from '@hub/catalog/testing';
import { recordEventId } from '@hub/connector-core';
import { readCommitted } from '@hub/connector-core/testing';
import { buildApp, loadGatewayConfig } from '@hub/gateway';
import { generateResidentId } from '@hub/identifiers';
import { createKafka, createLogger, type Kafka } from '@hub/runtime';
import { caseInput, damaged, ndjsonInput, pushInput, type CaseInput, type NdjsonInput, type PushInput } from '../arbitraries/http.ts';
import { jsonText } from '../arbitraries/values.ts';
import type { Answer, EntryPoint } from '../kit/entry-point.ts';
import { gatewayResident, gatewayResidentColumns, goodResidents } from '../kit/good-records.ts';

const RECORDS_TOPIC = 'records.ps.resident-identity';
const PUSH_URL = '/v1/records/ps/resident-identity';
const tokens = { ps: 'Bearer dev-ps-token', window: 'Bearer dev-window-token' };

/** A 4xx's reason as problem+json gives it: its field errors, or its detail. */
export function problemReason(response: LightMyRequestResponse): string | undefined {
  try {
    const problem = response.json() as { detail?: unknown; errors?: Array<{ field?: unknown; reason?: unknown }> };
    const named = (problem.errors ?? []).filter((e) => typeof e.field === 'string' && typeof e.reason === 'string' && e.reason !== '');
    if (named.length > 0) return named.map((e) => `${String(e.field)}: ${String(e.reason)}`).join('; ');
    return typeof problem.detail === 'string' && problem.detail !== '' ? problem.detail : undefined;
  } catch {
    return undefined;
  }
}

/** Event ids committed on a topic (read_committed), read to its end. */
export async function committedIds(kafka: Kafka, topic: string, of: 'ce_id' | 'key' = 'ce_id'): Promise<Set<string>> {
  const messages = await readCommitted(kafka, topic, 120_000);
  return new Set(messages.map((m) => (of === 'key' ? m.key : m.headers.ce_id)).filter((id): id is string => id !== undefined));
}

const missingFrom = (kafka: Kafka, topic: string, of: 'ce_id' | 'key' = 'ce_id') => async (expected: ReadonlySet<string>) => {
  if (expected.size === 0) return [];
  const committed = await committedIds(kafka, topic, of);
  return [...expected].filter((id) => !committed.has(id));
};

export interface GatewayUnderFuzz {
  pushJson: EntryPoint<PushInput>;
  pushNdjson: EntryPoint<NdjsonInput>;
  cases: EntryPoint<CaseInput>;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The real gateway app (in-process, driven by inject) on the real catalog and broker. */
export async function startGatewayUnderFuzz(brokers: string): Promise<GatewayUnderFuzz> {
  const logger = createLogger('fuzz-gateway', process.env.FUZZ_LOG_LEVEL ?? 'silent');
  const catalog = await startCatalog(brokers, { seedSchemas: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-fuzz-gateway-'));
  const config = loadGatewayConfig({
    KAFKA_BROKERS: brokers,
    SCHEMA_REGISTRY_URL: catalog.url,
    HUB_DATA_DIR: dataDir,
    GATEWAY_INSTANCE_ID: `fuzz-${process.pid}-${Date.now()}`,
    LOG_LEVEL: 'silent',
  });
  const app = await buildApp(config, { logger });
  await app.ready();
  const kafka = createKafka({ brokers, clientId: 'fuzz-reader', logger });
  const residents = goodResidents();
  const template = gatewayResident(residents.next());

  async function push(body: Buffer, contentType: string, goodId: string, goodIndex: number): Promise<Answer> {
    const response = await app.inject({ method: 'POST', url: PUSH_URL, headers: { authorization: tokens.ps, ...(contentType ? { 'content-type': contentType } : {}) }, payload: body });
    if (response.statusCode === 202) {
      const outcome = response.json() as { rejected: Array<{ index: number; field: string; reason: string }> };
      const refused = outcome.rejected.find((r) => r.index === goodIndex);
      return { status: 202, expected: refused ? [] : [goodId], refusedGood: refused ? 1 : 0, ...(refused ? { reason: `${refused.field}: ${refused.reason}` } : {}) };
    }
    return { status: response.statusCode, reason: problemReason(response), expected: [], refusedGood: 0 };
  }

  const pushJson: EntryPoint<PushInput> = {
    name: 'gateway push, JSON',
    arbitrary: pushInput(gatewayResidentColumns, template),
    concurrency: Number(process.env.FUZZ_CONCURRENCY ?? 16),
    async send({ records, goodAt, damage }) {
      const good = gatewayResident(residents.next());
      const at = Math.min(goodAt, records.length);
      const body = [...records.slice(0, at), good, ...records.slice(at)];
      const contentType = damage.kind === 'content-type' ? damage.contentType : 'application/json';
      // A damaged body shifts, changes or drops the good record: only an undamaged one is checked for it.
      const goodIndex = damage.kind === 'none' || (damage.kind === 'content-type' && damage.contentType === 'application/json') ? at : -1;
      const answer = await push(damaged(jsonText(body), damage), contentType, recordEventId('ps', 'resident-identity', good.GMSFHM, good), goodIndex);
      return goodIndex === -1 && answer.status === 202 ? { ...answer, expected: [] } : answer;
    },
    missing: missingFrom(kafka, RECORDS_TOPIC),
  };

  const pushNdjson: EntryPoint<NdjsonInput> = {
    name: 'gateway push, NDJSON',
    arbitrary: ndjsonInput(gatewayResidentColumns, template),
    concurrency: Number(process.env.FUZZ_CONCURRENCY ?? 16),
    async send({ lines, goodAt, lineEnd, damage }) {
      const good = gatewayResident(residents.next());
      const at = Math.min(goodAt, lines.length);
      const all = [...lines.slice(0, at), { record: good }, ...lines.slice(at)];
      const text = all.map((line) => ('text' in line ? line.text : jsonText(line.record))).join(lineEnd);
      const contentType = damage.kind === 'content-type' ? damage.contentType : 'application/x-ndjson';
      // A damaged body shifts or breaks the good line: only an undamaged one is checked for it.
      const goodIndex = damage.kind === 'none' ? indexAmongLines(all, at) : -1;
      const answer = await push(damaged(text, damage), contentType, recordEventId('ps', 'resident-identity', good.GMSFHM, good), goodIndex);
      return goodIndex === -1 && answer.status === 202 ? { ...answer, expected: [] } : answer;
    },
    missing: missingFrom(kafka, RECORDS_TOPIC),
  };

  const validCase = (n: number) => ({
    applicant: { type: 'person', name: '韦建国', idNumber: generateResidentId({ division: '450102', birthDate: '1985-03-12', sequence: n % 1000 }), phone: '13907710000' },
    itemCode: '11450100MB1534568L4000117005000',
    itemName: '个体工商户设立登记',
    centre: 'NN-XN-ZWZX',
    window: 'W07',
    divisionCode: '450102',
    documents: [{ name: '个体工商户登记申请书', kind: 'original', fileRef: 'dms://nn-xn/2025/06/01/1.pdf' }, { name: '经营场所证明', kind: 'copy' }],
  });
  let submitted = 0;
  const submit = (body: Buffer, contentType: string, key?: string) =>
    app.inject({ method: 'POST', url: '/v1/cases', headers: { authorization: tokens.window, ...(contentType ? { 'content-type': contentType } : {}), ...(key !== undefined ? { 'idempotency-key': key } : {}) }, payload: body });

  const cases: EntryPoint<CaseInput> = {
    name: 'gateway cases API',
    arbitrary: caseInput(validCase(0)),
    concurrency: Number(process.env.FUZZ_CONCURRENCY ?? 16),
    async send({ body, damage, idempotencyKey }) {
      submitted += 1;
      const contentType = damage.kind === 'content-type' ? damage.contentType : 'application/json';
      // The good case beside each hostile one, with a key of its own.
      const [hostile, good] = await Promise.all([
        submit(damaged(jsonText(body), damage), contentType, idempotencyKey),
        submit(Buffer.from(JSON.stringify(validCase(submitted))), 'application/json', `fuzz-good-${process.pid}-${Date.now()}-${submitted}`),
      ]);
      // Whatever was answered 201 is a case the hub took: it must be on cases.events.
      const expected = [hostile, good].filter((r) => r.statusCode === 201).map((r) => (r.json() as { caseId: string }).caseId);
      const refusedGood = good.statusCode === 201 ? 0 : 1;
      const status = hostile.statusCode >= 500 || good.statusCode >= 500 ? Math.max(hostile.statusCode, good.statusCode) : hostile.statusCode;
      return { status, reason: status >= 400 ? problemReason(status === hostile.statusCode ? hostile : good) : undefined, expected, refusedGood };
    },
    missing: missingFrom(kafka, 'cases.events', 'key'),
  };

  return {
    pushJson,
    pushNdjson,
    cases,
    app,
    async close() {
      await app.close();
      await catalog.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The good line's record index as the gateway counts NDJSON records (blank lines are not records). */
function indexAmongLines(lines: ReadonlyArray<{ record: unknown } | { text: string }>, at: number): number {
  return lines.slice(0, at).filter((line) => !('text' in line) || line.text.trim() !== '').length;
}
