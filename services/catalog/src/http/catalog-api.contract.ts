import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@hub/runtime';
import { buildApp } from '../app.ts';
import { loadCatalogConfig } from '../config.ts';
import type { SchemaStore } from '../store/schema-store.ts';

export const OPERATOR_TOKEN = 'operator-token-for-tests';
export const BODY_LIMIT = 65_536;
const V1 = 'application/vnd.schemaregistry.v1+json';
const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` };

const person = (fields: unknown[] = []) => JSON.stringify({
  type: 'record', name: 'Person', namespace: 'gov.hub.contract', doc: 'A resident (居民).',
  fields: [
    { name: 'idNumber', type: 'string', 'confluent:tags': ['ID_NUMBER'] },
    { name: 'name', type: 'string', 'confluent:tags': ['NAME'] },
    ...fields,
  ],
});
const PERSON = person();
const PERSON_WITH_PHONE = person([{ name: 'phone', type: ['null', 'string'], default: null, 'confluent:tags': ['PHONE'] }]);
const PERSON_WITH_AGE = person([{ name: 'age', type: 'int' }]);

/**
 * The REST contract of the catalog, through `inject()`: status codes, error
 * codes, ids and versions of every endpoint, and every bad input. Run against
 * each store adapter.
 */
export function catalogApiContract(adapter: string, makeStore: () => SchemaStore, timeoutMs = 20_000): void {
  describe(`Confluent REST API contract (${adapter} store)`, () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      const config = loadCatalogConfig({
        CATALOG_OPERATOR_TOKEN: OPERATOR_TOKEN, CATALOG_MAX_BODY_BYTES: String(BODY_LIMIT), CATALOG_SEED_SCHEMAS: 'false', LOG_LEVEL: 'silent',
      });
      app = await buildApp(config, { store: makeStore(), logger: createLogger('catalog-contract', 'silent') });
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    const subject = (name = 'resource') => `contract.${name}.${randomUUID().slice(0, 8)}-value`;
    const call = async (method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await app.inject({
        method, url, headers: { ...(body === undefined ? {} : { 'content-type': V1 }), ...headers },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      let json: unknown;
      try {
        json = response.json();
      } catch {
        json = response.body;
      }
      return { status: response.statusCode, body: json as never, type: response.headers['content-type'], text: response.body };
    };
    const register = (s: string, schema: string, extra: Record<string, unknown> = {}) => call('POST', `/subjects/${s}/versions`, { schema, ...extra }, auth);
    const put = (url: string, body: unknown) => call('PUT', url, body, auth);
    const del = (url: string) => call('DELETE', url, undefined, auth);
    const expectError = (response: { status: number; body: unknown }, status: number, errorCode: number, message?: RegExp) => {
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ error_code: errorCode, message: message ? expect.stringMatching(message) : expect.any(String) });
    };

    describe('register and read', () => {
      it('registers, answers the same id for the same schema (any spacing, any subject), and numbers versions', async () => {
        const s = subject();
        const first = await register(s, PERSON);
        expect(first.status).toBe(200);
        expect(first.type).toBe(`${V1}; charset=utf-8`);
        expect(first.body).toEqual({ id: expect.any(Number) });
        const id = (first.body as { id: number }).id;
        expect((await register(s, JSON.stringify(JSON.parse(PERSON), null, 4))).body).toEqual({ id });
        const other = subject('other');
        expect((await register(other, PERSON)).body).toEqual({ id });
        expect((await call('GET', `/subjects/${s}/versions`)).body).toEqual([1]);
        expect((await call('GET', `/subjects/${other}/versions`)).body).toEqual([1]);

        const second = await register(s, PERSON_WITH_PHONE);
        expect(second.status).toBe(200);
        const id2 = (second.body as { id: number }).id;
        expect(id2).toBeGreaterThan(id);
        expect((await call('GET', `/subjects/${s}/versions`)).body).toEqual([1, 2]);
        for (const version of ['2', 'latest', '-1']) {
          expect((await call('GET', `/subjects/${s}/versions/${version}`)).body).toEqual({ subject: s, id: id2, version: 2, schema: PERSON_WITH_PHONE });
        }
        expect((await call('GET', `/subjects/${s}/versions/1`)).body).toEqual({ subject: s, id, version: 1, schema: PERSON });
        const raw = await call('GET', `/subjects/${s}/versions/1/schema`);
        expect(raw.status).toBe(200);
        expect(raw.text).toBe(PERSON);
        expect((await call('GET', '/subjects')).body).toEqual(expect.arrayContaining([s, other]));
        expect((await call('GET', `/subjects?subjectPrefix=${s}`)).body).toEqual([s]);
      }, timeoutMs);

      it('answers schemas by id: the schema, its raw text, its subjects and versions, and the types', async () => {
        const s = subject();
        const other = subject('other');
        const { id } = (await register(s, PERSON_WITH_PHONE)).body as { id: number };
        await register(other, PERSON_WITH_PHONE);
        expect((await call('GET', `/schemas/ids/${id}`)).body).toEqual({ schema: PERSON_WITH_PHONE });
        expect((await call('GET', `/schemas/ids/${id}?fetchMaxId=true`)).body).toEqual({ schema: PERSON_WITH_PHONE, maxId: expect.any(Number) });
        expect((await call('GET', `/schemas/ids/${id}/schema`)).text).toBe(PERSON_WITH_PHONE);
        expect((await call('GET', `/schemas/ids/${id}/subjects`)).body).toEqual(expect.arrayContaining([s, other]));
        expect((await call('GET', `/schemas/ids/${id}/versions`)).body).toEqual(expect.arrayContaining([{ subject: s, version: 1 }, { subject: other, version: 1 }]));
        expect((await call('GET', '/schemas/types')).body).toEqual(['AVRO']);
        expect((await call('GET', `/schemas?subjectPrefix=${s}`)).body).toEqual([{ subject: s, id, version: 1, schema: PERSON_WITH_PHONE }]);
        expectError(await call('GET', '/schemas/ids/987654'), 404, 40403, /Schema 987654 not found/);
        expectError(await call('GET', '/schemas/ids/abc'), 404, 40403);
        expectError(await call('GET', '/schemas/ids/0/schema'), 404, 40403);
      }, timeoutMs);

      it('looks a schema up under a subject, deleted ones with deleted=true', async () => {
        const s = subject();
        const { id } = (await register(s, PERSON)).body as { id: number };
        expect((await call('POST', `/subjects/${s}`, { schema: JSON.stringify(JSON.parse(PERSON), null, 1) })).body).toEqual({ subject: s, id, version: 1, schema: PERSON });
        expectError(await call('POST', `/subjects/${s}`, { schema: PERSON_WITH_AGE }), 404, 40403);
        expectError(await call('POST', `/subjects/${subject('nobody')}`, { schema: PERSON }), 404, 40401);
        expectError(await call('POST', `/subjects/${s}`, { schema: '{"type":' }), 422, 42201);
        await del(`/subjects/${s}/versions/1`);
        expectError(await call('POST', `/subjects/${s}`, { schema: PERSON }), 404, 40401);
        expect((await call('POST', `/subjects/${s}?deleted=true`, { schema: PERSON })).body).toMatchObject({ id, version: 1 });
      }, timeoutMs);

      it('refuses an incompatible schema with 409, naming the field and why', async () => {
        const s = subject();
        await register(s, PERSON);
        const refused = await register(s, PERSON_WITH_AGE);
        expectError(refused, 409, 409, /incompatible with an earlier schema for subject ".*", details: \[READER_FIELD_MISSING_DEFAULT_VALUE at 'age': field 'age' of gov.hub.contract.Person has no default.*version 1 \(BACKWARD\)\]/);
        expect((await call('GET', `/subjects/${s}/versions`)).body).toEqual([1]);
      }, timeoutMs);

      it('keeps and returns the government metadata, lists it in the catalogue view, and carries it over', async () => {
        const s = subject('ps.resident');
        const metadata = {
          properties: { owner: 'ps', sharing: 'conditional', updateCycle: 'real-time', resourceCode: 'ps.resident-contract', title: '人口基本信息' },
          tags: { 'Person.name': ['NAME'], 'Person.idNumber': ['PII'] },
          sensitive: ['owner'],
        };
        const { id } = (await register(s, PERSON, { metadata })).body as { id: number };
        expect((await call('GET', `/subjects/${s}/versions/latest`)).body).toEqual({ subject: s, id, version: 1, schema: PERSON, metadata });
        expect((await call('GET', `/schemas/ids/${id}`)).body).toEqual({ schema: PERSON, metadata });
        // A bare re-registration (what serializers do) inherits the metadata: same id, no new version.
        expect((await register(s, PERSON)).body).toEqual({ id });
        // Without a schema, the latest schema is registered again with new metadata.
        const changed = { ...metadata, properties: { ...metadata.properties, sharing: 'unconditional' } };
        const v2 = (await register(s, '', { metadata: changed })).body as { id: number };
        expect(v2.id).not.toBe(id);
        expect((await call('GET', `/subjects/${s}/versions/2`)).body).toMatchObject({ version: 2, schema: PERSON, metadata: changed });

        const resources = (await call('GET', '/catalog/resources?department=ps&condition=unconditional')).body as Array<Record<string, unknown>>;
        expect(resources.find((r) => r.subject === s)).toEqual({
          subject: s, version: 2, id: v2.id, record: 'gov.hub.contract.Person', description: 'A resident (居民).',
          resourceCode: 'ps.resident-contract', title: '人口基本信息', owner: 'ps', sharing: 'unconditional', updateCycle: 'real-time',
          taggedFields: [
            { path: 'idNumber', record: 'gov.hub.contract.Person', field: 'idNumber', tags: ['ID_NUMBER', 'PII'] },
            { path: 'name', record: 'gov.hub.contract.Person', field: 'name', tags: ['NAME'] },
          ],
          maskedFields: ['idNumber', 'name'],
        });
        const conditional = (await call('GET', '/catalog/resources?condition=conditional')).body as Array<Record<string, unknown>>;
        expect(conditional.some((r) => r.subject === s)).toBe(false);
        expectError(await call('GET', '/catalog/resources?department=army'), 400, 400);
        expect(((await call('GET', '/catalog/resources?department=&condition=')).body as unknown[]).length).toBeGreaterThan(0);
        expectError(await register(subject(), PERSON, { metadata: { properties: { owner: 'ps', sharing: 'public' } } }), 422, 42201,
          /sharing must be one of unconditional, conditional, not-shared, not "public"/);
        expectError(await register(subject(), PERSON, { metadata: { properties: { owner: 'army' } } }), 422, 42201, /owner must be a department code/);
      }, timeoutMs);

      it('accepts references to registered schemas and lists who references a version', async () => {
        const addressSubject = subject('address');
        const address = JSON.stringify({ type: 'record', name: 'Address', namespace: 'gov.hub.common', fields: [{ name: 'line', type: 'string', 'confluent:tags': ['ADDRESS'] }] });
        await register(addressSubject, address);
        const site = JSON.stringify({ type: 'record', name: 'Site', namespace: 'gov.hub.contract', fields: [{ name: 'at', type: 'gov.hub.common.Address' }] });
        const references = [{ name: 'gov.hub.common.Address', subject: addressSubject, version: 1 }];
        const s = subject('site');
        const { id } = (await register(s, site, { references })).body as { id: number };
        expect((await call('GET', `/subjects/${s}/versions/1`)).body).toEqual({ subject: s, id, version: 1, schema: site, references });
        expect((await call('GET', `/subjects/${addressSubject}/versions/1/referencedby`)).body).toEqual([id]);
        const resource = ((await call('GET', '/catalog/resources')).body as Array<Record<string, unknown>>).find((r) => r.subject === s);
        expect(resource?.maskedFields).toEqual(['at.line']);
        expectError(await del(`/subjects/${addressSubject}`), 422, 42206);
        expectError(await register(subject(), site), 422, 42201, /undefined type name/);
        expectError(await register(subject(), site, { references: [{ ...references[0], version: 9 }] }), 422, 42201, /not registered/);
      }, timeoutMs);

      it('stores the canonical form with normalize=true', async () => {
        const s = subject();
        await call('POST', `/subjects/${s}/versions?normalize=true`, { schema: JSON.stringify(JSON.parse(PERSON), null, 2) }, auth);
        const stored = (await call('GET', `/subjects/${s}/versions/1`)).body as { schema: string };
        expect(stored.schema).toMatch(/^\{"doc":"A resident \(居民\)\.","fields":\[/);
      }, timeoutMs);
    });

    describe('delete', () => {
      it('soft-deletes a version, deletes it permanently only after, with 40406/40407', async () => {
        const s = subject();
        await register(s, PERSON);
        await register(s, PERSON_WITH_PHONE);
        expectError(await del(`/subjects/${s}/versions/1?permanent=true`), 404, 40407, /was not deleted first/);
        const soft = await del(`/subjects/${s}/versions/1`);
        expect(soft).toMatchObject({ status: 200, body: 1 });
        expectError(await call('GET', `/subjects/${s}/versions/1`), 404, 40402, /Version 1 not found/);
        expect((await call('GET', `/subjects/${s}/versions/1?deleted=true`)).body).toMatchObject({ version: 1 });
        expect((await call('GET', `/subjects/${s}/versions`)).body).toEqual([2]);
        expect((await call('GET', `/subjects/${s}/versions?deleted=true`)).body).toEqual([1, 2]);
        expect((await call('GET', `/subjects/${s}/versions?deletedOnly=true`)).body).toEqual([1]);
        expectError(await del(`/subjects/${s}/versions/1`), 404, 40406, /was soft deleted/);
        expect((await del(`/subjects/${s}/versions/1?permanent=true`)).body).toBe(1);
        expectError(await call('GET', `/subjects/${s}/versions/1?deleted=true`), 404, 40402);
        expect((await del(`/subjects/${s}/versions/latest`)).body).toBe(2);
        expectError(await del(`/subjects/${s}/versions/7`), 404, 40402);
        expectError(await del(`/subjects/${subject('nobody')}/versions/1`), 404, 40401);
      }, timeoutMs);

      it('soft-deletes a subject, then permanently, with 40404/40405, and ids stay decodable until then', async () => {
        const s = subject();
        const { id } = (await register(s, PERSON)).body as { id: number };
        await register(s, PERSON_WITH_PHONE);
        expectError(await del(`/subjects/${s}?permanent=true`), 404, 40405, /was not deleted first/);
        expect((await del(`/subjects/${s}`)).body).toEqual([1, 2]);
        expectError(await call('GET', `/subjects/${s}/versions`), 404, 40401, /Subject '.*' not found/);
        expect((await call('GET', '/subjects')).body).not.toContain(s);
        expect((await call('GET', '/subjects?deleted=true')).body).toContain(s);
        expect((await call('GET', `/schemas/ids/${id}`)).status).toBe(200);
        expectError(await del(`/subjects/${s}`), 404, 40404, /was soft deleted/);
        expect((await del(`/subjects/${s}?permanent=true`)).body).toEqual([1, 2]);
        expectError(await del(`/subjects/${s}?permanent=true`), 404, 40401);
        expectError(await call('GET', `/subjects/${s}/versions?deleted=true`), 404, 40401);
        // Registered again after a permanent delete: versions start over, the schema keeps its id if still used elsewhere.
        expect((await register(s, PERSON)).status).toBe(200);
        expect((await call('GET', `/subjects/${s}/versions`)).body).toEqual([1]);
      }, timeoutMs);
    });

    describe('config', () => {
      it('answers and sets compatibility levels, global and per subject, with defaultToGlobal and 40408', async () => {
        const s = subject();
        expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
        expectError(await call('GET', `/config/${s}`), 404, 40408, /does not have subject-level compatibility configured/);
        expect((await call('GET', `/config/${s}?defaultToGlobal=true`)).body).toEqual({ compatibilityLevel: 'BACKWARD' });
        expect((await put(`/config/${s}`, { compatibility: 'forward' })).body).toEqual({ compatibility: 'FORWARD' });
        expect((await call('GET', `/config/${s}`)).body).toEqual({ compatibilityLevel: 'FORWARD' });
        // FORWARD: the old schema must read the new one, so a field added without default is fine now.
        await register(s, PERSON);
        expect((await register(s, PERSON_WITH_AGE)).status).toBe(200);
        expectError(await put(`/config/${s}`, { compatibility: 'SIDEWAYS' }), 422, 42203, /Invalid compatibility level/);
        expectError(await put('/config', { level: 'FULL' }), 400, 400);
        expect((await del(`/config/${s}`)).body).toEqual({ compatibilityLevel: 'FORWARD' });
        expectError(await call('GET', `/config/${s}`), 404, 40408);
        expectError(await del(`/config/${subject('nobody')}`), 404, 40401);
        try {
          expect((await put('/config', { compatibility: 'FULL_TRANSITIVE' })).body).toEqual({ compatibility: 'FULL_TRANSITIVE' });
          expect((await call('GET', `/config/${s}?defaultToGlobal=true`)).body).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
        } finally {
          expect((await del('/config')).body).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
        }
        expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
      }, timeoutMs);
    });

    describe('compatibility checks', () => {
      it('answers is_compatible against a version or the subject, with messages when verbose', async () => {
        const s = subject();
        await register(s, PERSON);
        expect((await call('POST', `/compatibility/subjects/${s}/versions/latest`, { schema: PERSON_WITH_PHONE })).body).toEqual({ is_compatible: true });
        expect((await call('POST', `/compatibility/subjects/${s}/versions`, { schema: PERSON_WITH_PHONE })).body).toEqual({ is_compatible: true });
        expect((await call('POST', `/compatibility/subjects/${s}/versions/1`, { schema: PERSON_WITH_AGE })).body).toEqual({ is_compatible: false });
        expect((await call('POST', `/compatibility/subjects/${s}/versions/1?verbose=true`, { schema: PERSON_WITH_AGE })).body).toEqual({
          is_compatible: false,
          messages: [expect.stringMatching(/^READER_FIELD_MISSING_DEFAULT_VALUE at 'age': field 'age' .* version 1 \(BACKWARD\)$/)],
        });
        expect((await call('POST', `/compatibility/subjects/${subject('nobody')}/versions`, { schema: PERSON })).body).toEqual({ is_compatible: true });
        expectError(await call('POST', `/compatibility/subjects/${subject('nobody')}/versions/latest`, { schema: PERSON }), 404, 40401);
        expectError(await call('POST', `/compatibility/subjects/${s}/versions/5`, { schema: PERSON }), 404, 40402);
        expectError(await call('POST', `/compatibility/subjects/${s}/versions/abc`, { schema: PERSON }), 422, 42202);
        expectError(await call('POST', `/compatibility/subjects/${s}/versions/latest`, { schema: '{"type": "recor"}' }), 422, 42201);
      }, timeoutMs);
    });

    describe('mode', () => {
      it('refuses writes in READONLY with 42205, and answers modes with 40409 and defaultToGlobal', async () => {
        const s = subject();
        await register(s, PERSON);
        expect((await call('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
        expectError(await call('GET', `/mode/${s}`), 404, 40409);
        expect((await call('GET', `/mode/${s}?defaultToGlobal=true`)).body).toEqual({ mode: 'READWRITE' });
        expect((await put(`/mode/${s}`, { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
        expect((await call('GET', `/mode/${s}`)).body).toEqual({ mode: 'READONLY' });
        expectError(await register(s, PERSON_WITH_PHONE), 422, 42205, /is in read-only mode/);
        expectError(await del(`/subjects/${s}/versions/1`), 422, 42205);
        expectError(await del(`/subjects/${s}`), 422, 42205);
        // Reads still work, and a schema already there is still found (nothing is written).
        expect((await call('GET', `/subjects/${s}/versions/1`)).status).toBe(200);
        expect((await register(s, PERSON)).status).toBe(200);
        expectError(await put(`/mode/${s}`, { mode: 'SOMETIMES' }), 422, 42204);
        expect((await del(`/mode/${s}`)).body).toEqual({ mode: 'READONLY' });
        expect((await register(s, PERSON_WITH_PHONE)).status).toBe(200);
        expectError(await del(`/mode/${subject('nobody')}`), 404, 40401);
      }, timeoutMs);

      it('imports with the ids and versions brought, only in IMPORT mode', async () => {
        const s = subject();
        expectError(await register(s, PERSON, { id: 900_001 }), 422, 42205, /not in import mode/);
        expect((await put(`/mode/${s}`, { mode: 'IMPORT' })).body).toEqual({ mode: 'IMPORT' });
        expect((await register(s, PERSON_WITH_AGE, { id: 900_001, version: 4 })).body).toEqual({ id: 900_001 });
        expect((await call('GET', `/subjects/${s}/versions/4`)).body).toMatchObject({ id: 900_001, version: 4 });
        expect((await call('GET', '/schemas/ids/900001')).body).toEqual({ schema: PERSON_WITH_AGE });
        expectError(await register(subject('clash'), PERSON, { id: 900_001 }), 422, 42205);
        expectError(await put(`/mode/${s}`, { mode: 'IMPORT' }).then(async () => put('/mode', { mode: 'IMPORT' })), 422, 42205, /Cannot import since found existing subjects/);
        await del(`/mode/${s}`);
      }, timeoutMs);
    });

    describe('bad input never yields a 500', () => {
      it('answers malformed JSON, wrong shapes, unknown media types and oversized bodies', async () => {
        const s = subject();
        expectError(await call('POST', `/subjects/${s}/versions`, '{"schema": ', auth), 400, 400, /Malformed JSON/);
        expectError(await call('POST', `/subjects/${s}/versions`, '', auth), 400, 400);
        expectError(await call('POST', `/subjects/${s}/versions`, '[1, 2]', auth), 400, 400, /body must be object/);
        // Found by fuzzing: metadata 5,000 deep overflowed the stack of the identity's stable JSON, a 500.
        const deep = `${'{"a":'.repeat(5_000)}"x"${'}'.repeat(5_000)}`;
        expectError(await call('POST', `/subjects/${s}/versions`, `{"schema":${JSON.stringify(PERSON)},"metadata":${deep}}`, auth), 400, 400, /nests deeper than 64 levels/);
        expectError(await call('POST', `/subjects/${s}`, `{"schema":${JSON.stringify(PERSON)},"metadata":${deep}}`, auth), 400, 400, /nests deeper than 64 levels/);
        expectError(await call('POST', `/subjects/${s}/versions`, { schema: PERSON, references: 'none' }, auth), 400, 400, /references/);
        expectError(await register(s, 'not json'), 422, 42201, /not valid JSON/);
        expectError(await register(s, '{"type": "record", "name": "X"}'), 422, 42201, /Avro/);
        expectError(await register(s, '{"type": "record", "name": "X", "fields": [{"name": "a", "type": "int", "default": "x"}]}'), 422, 42201);
        expectError(await register(s, PERSON, { schemaType: 'PROTOBUF' }), 422, 42201, /AVRO/);
        expectError(await call('POST', `/subjects/${s}/versions`, {}, auth), 422, 42201, /Empty schema/);
        expectError(await call('POST', `/subjects/${s}/versions`, 'x'.repeat(BODY_LIMIT + 1), auth), 413, 41301, /larger than 65536 bytes/);
        expectError(await call('POST', `/subjects/${s}/versions`, JSON.stringify({ schema: person([{ name: 'padding', type: 'string', doc: 'x'.repeat(BODY_LIMIT) }]) }), auth), 413, 41301);
        const xml = await app.inject({ method: 'POST', url: `/subjects/${s}/versions`, headers: { ...auth, 'content-type': 'application/xml' }, payload: '<schema/>' });
        expect(xml.statusCode).toBe(415);
        expect(xml.json()).toEqual({ error_code: 415, message: expect.stringMatching(/Unsupported Media Type/) });
        expectError(await call('GET', `/subjects?deleted=maybe`), 400, 400);
        expectError(await call('GET', '/no/such/route'), 404, 404, /HTTP 404 Not Found/);
        expectError(await call('PATCH', `/subjects/${s}`), 404, 404);
      }, timeoutMs);

      it('answers bad version strings with 42202, unknown subjects 40401, unknown versions 40402', async () => {
        const s = subject();
        await register(s, PERSON);
        for (const bad of ['abc', '0', '-2', '1.5', '2147483648']) {
          expectError(await call('GET', `/subjects/${s}/versions/${bad}`), 422, 42202, new RegExp(`The specified version '${bad.replace('.', '\\.')}' is not a valid version id`));
          expectError(await del(`/subjects/${s}/versions/${bad}`), 422, 42202);
        }
        expectError(await call('GET', `/subjects/${subject('nobody')}/versions/1`), 404, 40401);
        expectError(await call('GET', `/subjects/${subject('nobody')}/versions`), 404, 40401);
        expectError(await call('GET', `/subjects/${s}/versions/2`), 404, 40402, /Version 2 not found/);
        expectError(await call('GET', `/subjects/${s}/versions/2/schema`), 404, 40402);
        expectError(await register('bad%01subject', PERSON), 422, 42208);
      }, timeoutMs);
    });

    describe('operator token and media types', () => {
      it('refuses writes without the right token (40101), in constant time, and lets reads through', async () => {
        const s = subject();
        for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-0000' }, { authorization: 'Basic ' + Buffer.from('ops:nope').toString('base64') }, { authorization: OPERATOR_TOKEN }]) {
          const response = await call('POST', `/subjects/${s}/versions`, { schema: PERSON }, headers);
          expectError(response, 401, 40101, /operator token/);
          expectError(await call('PUT', '/config', { compatibility: 'NONE' }, headers), 401, 40101);
          expectError(await call('PUT', `/mode/${s}`, { mode: 'READONLY' }, headers), 401, 40101);
          expectError(await call('DELETE', `/subjects/${s}`, undefined, headers), 401, 40101);
          expectError(await call('DELETE', `/config/${s}`, undefined, headers), 401, 40101);
        }
        const basic = { authorization: 'Basic ' + Buffer.from(`ops:${OPERATOR_TOKEN}`).toString('base64') };
        expect((await call('POST', `/subjects/${s}/versions`, { schema: PERSON }, basic)).status).toBe(200);
        expect((await call('GET', `/subjects/${s}/versions`)).status).toBe(200);
        expect((await call('POST', `/subjects/${s}`, { schema: PERSON })).status).toBe(200);
      }, timeoutMs);

      it('reads every Confluent media type, answers the one asked for, and an empty DELETE body is no body', async () => {
        const s = subject();
        for (const type of ['application/json', 'application/vnd.schemaregistry+json', 'application/octet-stream']) {
          const response = await call('POST', `/subjects/${s}/versions`, { schema: PERSON }, { ...auth, 'content-type': type });
          expect(response.status).toBe(200);
        }
        expect((await call('GET', `/subjects/${s}/versions`, undefined, { accept: 'application/json' })).type).toBe('application/json; charset=utf-8');
        expect((await call('GET', `/subjects/${s}/versions`, undefined, { accept: 'application/vnd.schemaregistry+json' })).type).toBe('application/vnd.schemaregistry+json; charset=utf-8');
        expect((await call('GET', `/subjects/${s}/versions`, undefined, { accept: 'text/html, */*' })).type).toBe(`${V1}; charset=utf-8`);
        expect((await call('GET', `/nothing`, undefined, { accept: 'application/json' })).type).toBe('application/json; charset=utf-8');
        const emptyDelete = await app.inject({ method: 'DELETE', url: `/subjects/${s}/versions/1`, headers: { ...auth, 'content-type': V1 } });
        expect(emptyDelete.statusCode).toBe(200);
      }, timeoutMs);

      it('keeps /health and /metrics from the shared runtime', async () => {
        const health = await app.inject({ method: 'GET', url: '/health' });
        expect(health.json()).toMatchObject({ status: 'ok', checks: { store: 'ok' } });
        const metrics = await app.inject({ method: 'GET', url: '/metrics' });
        expect(metrics.body).toMatch(/catalog_schemas\{service="catalog"\} \d+/);
      }, timeoutMs);
    });
  });

  describe(`writes without an operator token (${adapter} store)`, () => {
    it('are accepted from loopback and refused from other hosts with 40301', async () => {
      const config = loadCatalogConfig({ CATALOG_SEED_SCHEMAS: 'false', LOG_LEVEL: 'silent' });
      const app = await buildApp(config, { store: makeStore(), logger: createLogger('catalog-contract', 'silent') });
      try {
        const s = `contract.open.${randomUUID().slice(0, 8)}`;
        const request = { method: 'POST' as const, url: `/subjects/${s}/versions`, headers: { 'content-type': V1 }, payload: JSON.stringify({ schema: PERSON }) };
        expect((await app.inject(request)).statusCode).toBe(200);
        const remote = await app.inject({ ...request, remoteAddress: '10.20.30.40' });
        expect(remote.statusCode).toBe(403);
        expect(remote.json()).toEqual({ error_code: 40301, message: expect.stringMatching(/CATALOG_OPERATOR_TOKEN/) });
        expect((await app.inject({ method: 'GET', url: `/subjects/${s}/versions`, remoteAddress: '10.20.30.40' })).statusCode).toBe(200);
      } finally {
        await app.close();
      }
    }, 60_000);
  });
}
