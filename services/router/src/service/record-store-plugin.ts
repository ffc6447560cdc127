import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { Logger } from '@hub/runtime';
import type { RouterConfig } from '../config.ts';
import { checkpointEvery, openRouterDatabase, type RouterDatabase } from '../store/database.ts';
import type { RecordStore } from '../store/record-store.ts';
import { createRecordStore, type FollowedRecordStore } from '../store/sqlite-record-store.ts';
import { recordTopics } from './deliveries.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The router's SQLite file: the record store and the data requests. */
    routerFile: RouterDatabase;
    /** The latest record by key of every streamed resource; `recordStore.caughtUp` once its first catch-up is done. */
    recordStore: FollowedRecordStore;
    /** Resolves once the record store has read every records topic up to its end at start. */
    recordStoreReady: Promise<RecordStore>;
  }
}

/** Where an instance keeps its file: one per instance, so two on one machine do not share it. */
export function routerFilePath(config: Pick<RouterConfig, 'HUB_DATA_DIR' | 'ROUTER_INSTANCE_ID'>): string {
  return join(config.HUB_DATA_DIR, 'router', config.ROUTER_INSTANCE_ID, 'records.sqlite');
}

/**
 * The record store (数据资源库) in the service: its file opened, its follower
 * started in the background from where the file left off. `/health` is 503
 * while the first catch-up runs (the data requests wait for it too); a
 * reader that stops for good makes it 503 again.
 */
export const recordStorePlugin = fp<{ config: RouterConfig; logger: Logger }>(
  async (app, { config, logger }) => {
    const path = routerFilePath(config);
    const db = openRouterDatabase(path);
    const stopCheckpoints = checkpointEvery(db, 1_000);
    const store = createRecordStore({ kafka: app.kafka, logger, db, topics: recordTopics() });
    const started = Date.now();
    const ready = store.start().then(() => {
      logger.info({ file: path, records: store.applied, seconds: (Date.now() - started) / 1000 }, 'record store caught up');
      return store;
    });
    // A failure shows on /health (and the requests stay 503); the rejection itself is not left unhandled.
    ready.catch((error: unknown) => logger.error({ err: error }, 'the record store could not catch up'));
    app.decorate('routerFile', db);
    app.decorate('recordStore', store);
    app.decorate('recordStoreReady', ready);
    app.healthChecks.set('records', () => {
      if (store.failure) throw store.failure;
      if (!store.caughtUp) throw new Error(`reading the records topics into ${path} (${store.applied.toLocaleString('en')} records so far)`);
    });
    app.addHook('onClose', async () => {
      await store.close();
      stopCheckpoints();
      db.close();
    });
  },
  { name: 'router-record-store', fastify: '5.x', dependencies: ['hub-kafka', 'hub-observability'] },
);
