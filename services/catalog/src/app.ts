import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createKafka, createLogger, observability, type Logger } from '@hub/runtime';
import { catalogPlugin } from './catalog-plugin.ts';
import type { CatalogConfig } from './config.ts';
import { catalogApi } from './http/catalog-api.ts';
import { seedHubSchemas } from './seed/hub-schemas.ts';
import { kafkaSchemaStore } from './store/kafka-store.ts';
import type { SchemaStore } from './store/schema-store.ts';

export interface CatalogDeps {
  /** Where the registry's events live; the Kafka topic CATALOG_TOPIC when not given. */
  store?: SchemaStore;
  logger?: Logger;
}

/**
 * The catalog as a fastify plugin: the store (replayed before the app is
 * ready), the Confluent API, and, when configured, the hub's own schemas
 * registered at start. Register `observability` before it.
 */
export const catalogApp = fp<{ config: CatalogConfig; store: SchemaStore }>(
  async (app, { config, store }) => {
    await app.register(catalogPlugin, { store });
    await app.register(catalogApi, {
      bodyLimit: config.CATALOG_MAX_BODY_BYTES,
      ...(config.CATALOG_OPERATOR_TOKEN === undefined ? {} : { operatorToken: config.CATALOG_OPERATOR_TOKEN }),
    });
    if (config.CATALOG_SEED_SCHEMAS) {
      app.addHook('onReady', async () => {
        await seedHubSchemas(app.catalog, app.log);
      });
    }
  },
  { name: 'catalog-app', fastify: '5.x', dependencies: ['hub-observability'] },
);

/** Builds the whole service: what server.ts listens with and tests inject into. */
export async function buildApp(config: CatalogConfig, deps: CatalogDeps = {}): Promise<FastifyInstance> {
  const logger = deps.logger ?? createLogger('catalog', config.LOG_LEVEL);
  const store = deps.store ?? kafkaSchemaStore({
    kafka: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'catalog', logger }),
    topic: config.CATALOG_TOPIC,
    logger,
    timeoutMs: config.CATALOG_STORE_TIMEOUT_MS,
  });
  const app = Fastify<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger>({ loggerInstance: logger, bodyLimit: config.CATALOG_MAX_BODY_BYTES })
    .withTypeProvider<TypeBoxTypeProvider>();
  await app.register(observability, { service: 'catalog' });
  await app.register(catalogApp, { config, store });
  await app.ready();
  return app;
}
