import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { createLogger, kafkaPlugin, observability, type Logger } from '@hub/runtime';
import { topicFor } from '@hub/schemas';
import { departmentTargets, type SinksConfig } from './config.ts';
import { deliveriesPlugin, type DeliveriesOptions } from './plugins/deliveries.ts';

export interface SinksDeps {
  /** Uniform random in [0, 1) for the backoff jitter. */
  random?: DeliveriesOptions['random'];
  post?: DeliveriesOptions['post'];
}

/** The sinks service as a fastify plugin: /health, /metrics, and one delivering consumer per department. */
export const sinksApp: FastifyPluginAsync<{ config: SinksConfig; logger: Logger; deps?: SinksDeps }> = async (app, { config, logger, deps = {} }) => {
  const targets = departmentTargets(config);
  await app.register(observability, { service: 'sinks' });
  await app.register(kafkaPlugin, {
    brokers: config.KAFKA_BROKERS,
    clientId: 'hub-sinks',
    registryUrl: config.SCHEMA_REGISTRY_URL,
    logger,
    topics: [...targets.map((t) => ({ topic: topicFor('DeliveryEnvelope', t.department) })), { topic: config.SINKS_DLQ_TOPIC }],
  });
  await app.register(deliveriesPlugin, { config, logger, targets, ...deps });
};

export async function buildApp(config: SinksConfig, deps: SinksDeps & { logger?: Logger } = {}): Promise<FastifyInstance> {
  const { logger = createLogger('sinks', config.LOG_LEVEL), ...rest } = deps;
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance });
  await app.register(sinksApp, { config, logger, deps: rest });
  return app;
}
