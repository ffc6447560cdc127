import { createLogger, listen } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadSinksConfig } from './config.ts';

const config = loadSinksConfig();
const logger = createLogger('sinks', config.LOG_LEVEL);
const app = await buildApp(config, { logger });
await listen(app, { host: config.SINKS_HOST, port: config.SINKS_PORT, logger });
