import type { FastifyInstance } from 'fastify';
import { buildApp, loadCatalogConfig } from '@hub/catalog';
import { createLogger } from '@hub/runtime';
import { randomUUID } from 'node:crypto';

/** The real catalog (the hub's Confluent-compatible registry), in-process on a free port, with its own state topic. */
export async function startCatalog(brokers: string): Promise<{ url: string; close(): Promise<void> }> {
  const config = loadCatalogConfig({
    KAFKA_BROKERS: brokers,
    CATALOG_TOPIC: `_schemas-test.${randomUUID().slice(0, 8)}`,
    CATALOG_PORT: '0',
    CATALOG_SEED_SCHEMAS: 'false',
    LOG_LEVEL: 'warn',
  });
  const app: FastifyInstance = await buildApp(config, { logger: createLogger('catalog', 'warn') });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: address, close: () => app.close() };
}
