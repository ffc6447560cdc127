import { createLogger, listen } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadGatewayConfig } from './config.ts';

const config = loadGatewayConfig();
const logger = createLogger('gateway', config.LOG_LEVEL);
const app = await buildApp(config, { logger });
await listen(app, { host: config.GATEWAY_HOST, port: config.GATEWAY_PORT, logger });
