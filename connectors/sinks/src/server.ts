import { kafkaAt, registryAt, runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadSinksConfig } from './config.ts';

await runService({
  name: 'sinks',
  loadConfig: loadSinksConfig,
  address: (config) => ({ host: config.SINKS_HOST, port: config.SINKS_PORT }),
  dependencies: (config) => [kafkaAt(config.KAFKA_BROKERS), registryAt(config.SCHEMA_REGISTRY_URL)],
  build: (config, logger) => buildApp(config, { logger }),
});
