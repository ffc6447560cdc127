import { ConfigError, createLogger, listen } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadCatalogConfig } from './config.ts';

let config;
try {
  config = loadCatalogConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`catalog: ${error.message}`);
  process.exit(1);
}
const logger = createLogger('catalog', config.LOG_LEVEL);
const app = await buildApp(config, { logger });
await listen(app, { host: config.CATALOG_HOST, port: config.CATALOG_PORT, logger });
