import { runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadRouterConfig } from './config.ts';

await runService({
  name: 'router',
  loadConfig: loadRouterConfig,
  address: (config) => ({ host: config.ROUTER_HOST, port: config.ROUTER_PORT }),
  build: (config, logger) => buildApp(config, { logger }),
});
