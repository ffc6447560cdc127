import { kafkaAt, registryAt, runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadHostConfig } from './config.ts';

await runService({
  name: 'connector-host',
  loadConfig: loadHostConfig,
  address: (config) => ({ host: config.CONNECTORS_HOST, port: config.CONNECTORS_PORT }),
  dependencies: (config) => [kafkaAt(config.KAFKA_BROKERS), registryAt(config.SCHEMA_REGISTRY_URL)],
  build: (config, logger) => buildApp(config, { logger }),
});
