import { createLogger, listen } from '@hub/runtime';
import { buildSimulatorsApp } from './app.ts';
import { loadSimulatorsConfig } from './config.ts';
import { mulberry32 } from './random.ts';

const config = loadSimulatorsConfig();
const logger = createLogger('simulators', config.LOG_LEVEL);
const seed = config.SIMULATORS_SEED ?? Date.now() % 2_147_483_647;
logger.info({ seed, departments: config.SIMULATORS_DEPARTMENTS, rate: config.SIMULATORS_RATE, gateway: config.GATEWAY_URL }, 'starting department simulators');
const app = await buildSimulatorsApp({ config, random: mulberry32(seed), logger });
await listen(app, { host: config.SIMULATORS_HOST, port: config.SIMULATORS_PORT, logger });
