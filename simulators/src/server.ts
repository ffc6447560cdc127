import { runService } from '@hub/runtime';
import { buildSimulatorsApp } from './app.ts';
import { loadSimulatorsConfig } from './config.ts';
import { mulberry32 } from './random.ts';

await runService({
  name: 'simulators',
  loadConfig: loadSimulatorsConfig,
  address: (config) => ({ host: config.SIMULATORS_HOST, port: config.SIMULATORS_PORT }),
  // It needs no broker nor registry: it talks to the gateway, whose client retries every push and call.
  dependencies: () => [],
  build: (config, logger) => {
    const seed = config.SIMULATORS_SEED ?? Date.now() % 2_147_483_647;
    logger.info({ seed, departments: config.SIMULATORS_DEPARTMENTS, rate: config.SIMULATORS_RATE, caseRate: config.SIMULATORS_CASE_RATE, subscribe: config.SIMULATORS_SUBSCRIBE, questionRate: config.SIMULATORS_QUESTION_RATE, gateway: config.GATEWAY_URL }, 'starting department simulators');
    return buildSimulatorsApp({ config, random: mulberry32(seed), logger, seed });
  },
});
