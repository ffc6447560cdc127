import { kafkaAt, registryAt, runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadGatewayConfig } from './config.ts';

await runService({
  name: 'gateway',
  loadConfig: loadGatewayConfig,
  address: (config) => ({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT }),
  dependencies: (config) => [kafkaAt(config.KAFKA_BROKERS), registryAt(config.SCHEMA_REGISTRY_URL)],
  build: (config, logger) => buildApp(config, { logger }),
});
