import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loadCalendar } from '@hub/calendar';
import { createLogger, kafkaPlugin, observability, type Logger } from '@hub/runtime';
import { hubTopics } from '@hub/topology';
import type { RouterConfig } from './config.ts';
import { createRouterMetrics } from './service/metrics.ts';
import { startRouter, type Router } from './service/router.ts';

declare module 'fastify' {
  interface FastifyInstance {
    router: Router;
  }
}

/** The router inside the service: started once Kafka and the registry are reached, stopped on close. */
export const routerPlugin = fp<{ config: RouterConfig; logger: Logger }>(
  async (app, { config, logger }) => {
    const router = await startRouter({
      kafka: app.kafka,
      events: app.events,
      sender: app.recordSender,
      logger,
      calendar: loadCalendar({ file: config.HUB_CALENDAR_FILE }),
      metrics: createRouterMetrics(app.metrics),
      warningDays: config.ROUTER_WARNING_DAYS,
      tickIntervalMs: config.ROUTER_TICK_INTERVAL_MS,
      sessionTimeoutMs: config.ROUTER_SESSION_TIMEOUT_MS,
    });
    app.decorate('router', router);
    app.healthChecks.set('router', () => {
      const problems = router.problems();
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
    app.addHook('onClose', async () => {
      await router.stop();
    });
  },
  { name: 'router', fastify: '5.x', dependencies: ['hub-kafka', 'hub-observability'] },
);

export async function buildApp(config: RouterConfig, deps: { logger?: Logger } = {}): Promise<FastifyInstance> {
  const logger = deps.logger ?? createLogger('router', config.LOG_LEVEL);
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance });
  await app.register(observability, { service: 'router' });
  await app.register(kafkaPlugin, { brokers: config.KAFKA_BROKERS, clientId: `hub-${config.ROUTER_INSTANCE_ID}`, registryUrl: config.SCHEMA_REGISTRY_URL, logger, topics: hubTopics() });
  await app.register(routerPlugin, { config, logger });
  await app.ready();
  return app;
}
