import { kafkaAt, registryAt, runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadRouterConfig } from './config.ts';

await runService({
  name: 'router',
  loadConfig: loadRouterConfig,
  address: (config) => ({ host: config.ROUTER_HOST, port: config.ROUTER_PORT }),
  dependencies: (config) => [kafkaAt(config.KAFKA_BROKERS), registryAt(config.SCHEMA_REGISTRY_URL)],
  build: (config, logger) => buildApp(config, { logger }),
});
