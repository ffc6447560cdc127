import { runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadCatalogConfig } from './config.ts';

await runService({
  name: 'catalog',
  loadConfig: loadCatalogConfig,
  address: (config) => ({ host: config.CATALOG_HOST, port: config.CATALOG_PORT }),
  build: (config, logger) => buildApp(config, { logger }),
});
