import { join } from 'node:path';
import fp from 'fastify-plugin';
import { openStore, type AnalyticsStore } from './store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The projection's ClickHouse (chDB in-process, or a server). */
    store: AnalyticsStore;
  }
}

export interface StorePluginOptions {
  /** A ClickHouse server; empty: chDB under `<dataDir>/analytics/clickhouse`. */
  url: string;
  database: string;
  dataDir: string;
  /** A store opened elsewhere (the rebuild command, tests); it is not closed with the app. */
  store?: AnalyticsStore;
}

/** Where the embedded engine keeps its data: `<HUB_DATA_DIR>/analytics/clickhouse`. */
export const chdbDataDir = (hubDataDir: string): string => join(hubDataDir, 'analytics', 'clickhouse');

/** Opens the store (migrations applied) at start, closes it on close, and tells /health whether it answers. */
export const storePlugin = fp<StorePluginOptions>(
  async (app, options) => {
    const store = options.store ?? (await openStore({ url: options.url, dataDir: chdbDataDir(options.dataDir), database: options.database }));
    app.decorate('store', store);
    app.healthChecks.set('clickhouse', async () => {
      await store.query('SELECT 1 AS ok');
    });
    if (!options.store) app.addHook('onClose', async () => store.close());
  },
  { name: 'hub-clickhouse', fastify: '5.x', dependencies: ['hub-observability'] },
);
