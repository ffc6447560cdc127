import { runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadHostConfig } from './config.ts';

await runService({
  name: 'connector-host',
  loadConfig: loadHostConfig,
  address: (config) => ({ host: config.CONNECTORS_HOST, port: config.CONNECTORS_PORT }),
  build: (config, logger) => buildApp(config, { logger }),
});
