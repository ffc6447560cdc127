import { ConfigError, createLogger, listen } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadHostConfig } from './config.ts';

let config;
try {
  config = loadHostConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`connector host: ${error.message}`);
  process.exit(1);
}
const logger = createLogger('connector-host', config.LOG_LEVEL);
try {
  const app = await buildApp(config, { logger });
  await listen(app, { host: config.CONNECTORS_HOST, port: config.CONNECTORS_PORT, logger });
} catch (error) {
  logger.fatal({ err: error }, error instanceof ConfigError ? error.message : 'connector host failed to start');
  process.exit(1);
}
