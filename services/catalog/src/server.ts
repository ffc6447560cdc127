import { kafkaAt, runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadCatalogConfig } from './config.ts';

await runService({
  name: 'catalog',
  loadConfig: loadCatalogConfig,
  address: (config) => ({ host: config.CATALOG_HOST, port: config.CATALOG_PORT }),
  // The catalog is the registry: it needs only Kafka, where its schemas live.
  dependencies: (config) => [kafkaAt(config.KAFKA_BROKERS)],
  build: (config, logger) => buildApp(config, { logger }),
});
