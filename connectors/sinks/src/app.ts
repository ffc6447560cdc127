import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { createLogger, observability, type Logger } from '@hub/runtime';
import { departmentTargets, type SinksConfig } from './config.ts';
import { deliveriesPlugin, type DeliveriesOptions } from './plugins/deliveries.ts';
import { kafkaPlugin } from './plugins/kafka.ts';

export interface SinksDeps {
  /** Uniform random in [0, 1) for the backoff jitter. */
  random?: DeliveriesOptions['random'];
  post?: DeliveriesOptions['post'];
}

/** The sinks service as a fastify plugin: /health, /metrics, and one delivering consumer per department. */
export const sinksApp: FastifyPluginAsync<{ config: SinksConfig; logger: Logger; deps?: SinksDeps }> = async (app, { config, logger, deps = {} }) => {
  const targets = departmentTargets(config);
  await app.register(observability, { service: 'sinks' });
  await app.register(kafkaPlugin, { config, logger, departments: targets.map((t) => t.department) });
  await app.register(deliveriesPlugin, { config, logger, targets, ...deps });
};

export async function buildApp(config: SinksConfig, deps: SinksDeps & { logger?: Logger } = {}): Promise<FastifyInstance> {
  const { logger = createLogger('sinks', config.LOG_LEVEL), ...rest } = deps;
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance });
  await app.register(sinksApp, { config, logger, deps: rest });
  return app;
}
