import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@hub/runtime';
import { eventually, testBrokers, uniqueName } from '@hub/test-support';
import { buildApp } from '../src/app.ts';
import { loadCatalogConfig } from '../src/config.ts';

const logger = createLogger('catalog-two-instances', 'warn');
const V1 = 'application/vnd.schemaregistry.v1+json';
const schema = (name: string) => JSON.stringify({ type: 'record', name, namespace: 'gov.hub.race', fields: [{ name: 'id', type: 'string' }] });

describe('two catalog instances on one topic', () => {
  let topic: string;
  const apps: FastifyInstance[] = [];
  const start = async () => {
    const config = loadCatalogConfig({ KAFKA_BROKERS: testBrokers(), CATALOG_TOPIC: topic, CATALOG_SEED_SCHEMAS: 'false', LOG_LEVEL: 'warn' });
    const app = await buildApp(config, { logger });
    apps.push(app);
    return app;
  };
  const register = async (app: FastifyInstance, subject: string, text: string) => {
    const response = await app.inject({ method: 'POST', url: `/subjects/${subject}/versions`, headers: { 'content-type': V1 }, payload: JSON.stringify({ schema: text }) });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { id: number }).id;
  };
  const get = async (app: FastifyInstance, url: string) => (await app.inject({ method: 'GET', url })).json() as unknown;

  beforeAll(() => {
    topic = uniqueName('_schemas.race');
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('registering different schemas at once never hands out one id for two schemas, nor one version twice', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    await a!.inject({ method: 'PUT', url: '/config', headers: { 'content-type': V1 }, payload: JSON.stringify({ compatibility: 'NONE' }) });
    const work: Array<Promise<{ instance: string; subject: string; schema: string; id: number }>> = [];
    for (let i = 0; i < 10; i++) {
      for (const [instance, app] of [['a', a!], ['b', b!]] as const) {
        // Half the registrations go to one shared subject, to race for its versions too.
        const subject = i % 2 === 0 ? 'shared-value' : `${instance}-${i}-value`;
        const text = schema(`${instance.toUpperCase()}${i}`);
        work.push(register(app, subject, text).then((id) => ({ instance, subject, schema: text, id })));
      }
    }
    // The same schema at both instances at once: one id.
    const same = schema('Same');
    work.push(register(a!, 'same-a-value', same).then((id) => ({ instance: 'a', subject: 'same-a-value', schema: same, id })));
    work.push(register(b!, 'same-b-value', same).then((id) => ({ instance: 'b', subject: 'same-b-value', schema: same, id })));
    const results = await Promise.all(work);

    const idBySchema = new Map<string, number>();
    const schemaById = new Map<number, string>();
    for (const { schema: text, id } of results) {
      expect(idBySchema.get(text) ?? id).toBe(id);
      expect(schemaById.get(id) ?? text).toBe(text);
      idBySchema.set(text, id);
      schemaById.set(id, text);
    }
    expect(schemaById.size).toBe(21);

    // Both instances converge on the same registry, and so does a third one replaying the topic.
    const c = await start();
    for (const app of [a!, b!, c]) {
      await eventually(async () => ((await get(app, '/subjects/shared-value/versions')) as number[]).length === 10 ? true : undefined, 30_000, 'every shared version');
      expect(await get(app, '/subjects/shared-value/versions')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const [id, text] of schemaById) expect(await get(app, `/schemas/ids/${id}`)).toEqual({ schema: text });
    }
    const sharedIds = await Promise.all(Array.from({ length: 10 }, (_, i) => get(c, `/subjects/shared-value/versions/${i + 1}`)));
    expect(new Set(sharedIds.map((v) => (v as { id: number }).id)).size).toBe(10);
    expect(c.catalog.state.refused).toBe(0);
  }, 180_000);
});
