// The service's entry point: becomes src/server.ts when the service joins `npm start` (which runs every services/<name>/src/server.ts of @hub/topology).
import { kafkaAt, registryAt, runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadAnalyticsConfig } from './config.ts';

await runService({
  name: 'analytics',
  loadConfig: loadAnalyticsConfig,
  address: (config) => ({ host: config.ANALYTICS_HOST, port: config.ANALYTICS_PORT }),
  dependencies: (config) => [kafkaAt(config.KAFKA_BROKERS), registryAt(config.SCHEMA_REGISTRY_URL)],
  build: (config, logger) => buildApp(config, { logger }),
});
