import { randomUUID } from 'node:crypto';
import { createLogger } from '@hub/runtime';
import { buildApp, loadCatalogConfig } from '../../src/index.ts';

export interface InProcessCatalog {
  /** `http://127.0.0.1:<port>`: the schema registry URL to hand to the code under test. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The real catalog (the hub's Confluent-compatible registry) in this process on
 * a free port, with its state in a topic of its own: for other packages'
 * integration tests, as `@hub/catalog/testing`. With `seedSchemas` it registers
 * the hub's own schemas at start, as `npm start` does; without, it starts empty.
 */
export async function startCatalog(brokers: string, options: { seedSchemas: boolean }): Promise<InProcessCatalog> {
  const config = loadCatalogConfig({
    KAFKA_BROKERS: brokers,
    CATALOG_TOPIC: `_schemas-test.${randomUUID().slice(0, 8)}`,
    CATALOG_PORT: '0',
    CATALOG_SEED_SCHEMAS: String(options.seedSchemas),
    LOG_LEVEL: 'warn',
  });
  const app = await buildApp(config, { logger: createLogger('catalog', 'warn') });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
