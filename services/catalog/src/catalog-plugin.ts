import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { Catalog } from './catalog.ts';
import type { SchemaStore } from './store/schema-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The registry this instance serves, kept up to date from the store. */
    catalog: Catalog;
  }
}

/**
 * The catalog and its store as a plugin: opens the store (replays the topic)
 * before the app is ready, reports it in /health and /metrics, closes it with
 * the app.
 */
export const catalogPlugin = fp<{ store: SchemaStore }>(
  async (app, { store }) => {
    const catalog = new Catalog(store);
    await catalog.open();
    app.decorate('catalog', catalog);
    app.healthChecks.set('store', () => catalog.check());
    const gauge = (name: string, help: string, value: () => number) =>
      new Gauge({ name, help, registers: [app.metrics], collect() { this.set(value()); } });
    gauge('catalog_subjects', 'Subjects with at least one live version', () => [...catalog.state.subjects.values()].filter((versions) => [...versions.values()].some((v) => !v.deleted)).length);
    gauge('catalog_schemas', 'Schemas by global id', () => catalog.state.schemas.size);
    gauge('catalog_max_schema_id', 'Highest global id handed out', () => catalog.state.maxId);
    gauge('catalog_refused_records', 'Topic records refused because they conflicted with an earlier one', () => catalog.state.refused);
    app.addHook('onClose', async () => {
      await catalog.close();
    });
  },
  { name: 'catalog', fastify: '5.x', dependencies: ['hub-observability'] },
);
