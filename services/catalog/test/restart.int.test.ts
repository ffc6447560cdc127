import { afterAll, describe, expect, it } from 'vitest';
import { startServiceProcess, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';

const TOKEN = 'restart-test-operator-token';
const V1 = 'application/vnd.schemaregistry.v1+json';

const record = (name: string, fields: unknown[]) => JSON.stringify({ type: 'record', name, namespace: 'gov.hub.restart', fields });
const licence = record('BusinessLicence', [{ name: 'creditCode', type: 'string', 'confluent:tags': ['CREDIT_CODE'] }, { name: 'name', type: 'string' }]);
const licenceV2 = record('BusinessLicence', [
  { name: 'creditCode', type: 'string', 'confluent:tags': ['CREDIT_CODE'] }, { name: 'name', type: 'string' },
  { name: 'address', type: ['null', 'string'], default: null, 'confluent:tags': ['ADDRESS'] },
]);
const permit = record('FoodPermit', [{ name: 'permitNo', type: 'string' }]);

/** The catalog as `npm start` runs it, once /health answers; on `port` to restart it in place. */
const startCatalogProcess = (env: Record<string, string>, port?: number): Promise<ServiceProcess> =>
  startServiceProcess({ dir: 'services/catalog', name: 'the catalog', env, port, hostVariable: 'CATALOG_HOST', portVariable: 'CATALOG_PORT' });

describe('kill -9 of the catalog, then start again', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map((catalog) => catalog.killHard()));
  });

  it('serves every id, version, config, mode and metadata it had, and hands out the next id', async () => {
    const env = { KAFKA_BROKERS: testBrokers(), CATALOG_TOPIC: uniqueName('_schemas.restart'), CATALOG_OPERATOR_TOKEN: TOKEN, LOG_LEVEL: 'warn' };
    const first = await startCatalogProcess(env);
    running.push(first);
    const http = (url: string) => async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': V1 }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() as unknown };
    };
    const call = http(first.url);

    const metadata = { properties: { owner: 'market', sharing: 'unconditional', updateCycle: 'daily', resourceCode: 'market.licence-restart' }, tags: { 'BusinessLicence.name': ['NAME'] } };
    const registered = [
      await call('POST', '/subjects/records.market.licence-value/versions', { schema: licence, metadata }),
      await call('POST', '/subjects/records.market.licence-value/versions', { schema: licenceV2 }),
      await call('POST', '/subjects/records.market.licence-copy-value/versions', { schema: licence, metadata }),
      await call('POST', '/subjects/records.market.permit-value/versions', { schema: permit }),
    ];
    expect(registered.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(registered[2]?.body).toEqual(registered[0]?.body);
    expect((await call('DELETE', '/subjects/records.market.licence-value/versions/1')).status).toBe(200);
    expect((await call('PUT', '/config/records.market.permit-value', { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
    expect((await call('PUT', '/config', { compatibility: 'FORWARD' })).body).toEqual({ compatibility: 'FORWARD' });
    expect((await call('PUT', '/mode/records.market.permit-value', { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });

    const snapshot = async (read: ReturnType<typeof http>) => {
      const subjects = (await read('GET', '/subjects?deleted=true')).body as string[];
      const versions: Record<string, unknown> = {};
      for (const subject of subjects) {
        for (const version of (await read('GET', `/subjects/${subject}/versions?deleted=true`)).body as number[]) {
          versions[`${subject}/${version}`] = (await read('GET', `/subjects/${subject}/versions/${version}?deleted=true`)).body;
        }
      }
      const ids = [...new Set(Object.values(versions).map((v) => (v as { id: number }).id))].sort((a, b) => a - b);
      const schemas: Record<number, unknown> = {};
      for (const id of ids) schemas[id] = (await read('GET', `/schemas/ids/${id}`)).body;
      return {
        subjects, versions, schemas,
        live: (await read('GET', '/subjects')).body,
        config: (await read('GET', '/config')).body,
        permitConfig: (await read('GET', '/config/records.market.permit-value')).body,
        mode: (await read('GET', '/mode')).body,
        permitMode: (await read('GET', '/mode/records.market.permit-value')).body,
        resources: (await read('GET', '/catalog/resources?department=market')).body,
      };
    };
    const before = await snapshot(call);
    // The hub's own schemas were registered at start (CATALOG_SEED_SCHEMAS defaults to true).
    expect(before.subjects.length).toBeGreaterThan(20);
    expect(before.subjects).toContain('records.ps.resident-identity-gov.hub.records.ps.ResidentIdentity');
    expect(before.permitMode).toEqual({ mode: 'READONLY' });
    expect(before.versions['records.market.licence-value/1']).toMatchObject({ version: 1, metadata });

    await first.killHard();
    const second = await startCatalogProcess(env, first.port);
    running.push(second);
    const after = await snapshot(http(second.url));
    expect(after).toEqual(before);

    // Ids are not handed out again: the next schema gets the next id.
    const maxId = Math.max(...Object.keys(before.schemas).map(Number));
    const next = await http(second.url)('POST', '/subjects/records.market.new-value/versions', { schema: record('NewResource', [{ name: 'id', type: 'string' }]) });
    expect(next.body).toEqual({ id: maxId + 1 });
    // And READONLY survived the restart: the schema there is found, a new one refused.
    const permitId = (before.versions['records.market.permit-value/1'] as { id: number }).id;
    expect((await http(second.url)('POST', '/subjects/records.market.permit-value/versions', { schema: permit })).body).toEqual({ id: permitId });
    const changed = record('FoodPermit', [{ name: 'permitNo', type: 'string' }, { name: 'note', type: ['null', 'string'], default: null }]);
    expect((await http(second.url)('POST', '/subjects/records.market.permit-value/versions', { schema: changed })).body).toMatchObject({ error_code: 42205 });
  }, 240_000);
});
