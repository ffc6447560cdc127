import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loadCalendar } from '@hub/calendar';
import { createLogger, kafkaPlugin, observability, type Logger } from '@hub/runtime';
import { hubTopics } from '@hub/topology';
import type { RouterConfig } from './config.ts';
import { createRouterMetrics } from './service/metrics.ts';
import { recordStorePlugin } from './service/record-store-plugin.ts';
import { requestsPlugin } from './service/requests-plugin.ts';
import { startRouter, type Router } from './service/router.ts';

/**
 * The router inside the service. Its state is restored in the background, so
 * the service answers at once: `/health` is 503 with how far the replay has
 * come until the router decides, then 200. A start that fails for good
 * (Kafka gone mid-replay) is logged and ends the process, for its supervisor
 * to start it again.
 */
export const routerPlugin = fp<{ config: RouterConfig; logger: Logger }>(
  async (app, { config, logger }) => {
    const restore = { events: 0 };
    let router: Router | undefined;
    let failure: Error | undefined;
    const starting = startRouter({
      kafka: app.kafka,
      events: app.events,
      sender: app.recordSender,
      logger,
      calendar: loadCalendar({ file: config.HUB_CALENDAR_FILE }),
      metrics: createRouterMetrics(app.metrics),
      warningDays: config.ROUTER_WARNING_DAYS,
      tickIntervalMs: config.ROUTER_TICK_INTERVAL_MS,
      sessionTimeoutMs: config.ROUTER_SESSION_TIMEOUT_MS,
      registryUrl: config.SCHEMA_REGISTRY_URL,
      dataDir: config.HUB_DATA_DIR,
      auditTopic: config.ROUTER_AUDIT_TOPIC,
      audit: { brokers: config.KAFKA_BROKERS, clientId: `hub-${config.ROUTER_INSTANCE_ID}`, logLevel: config.LOG_LEVEL },
      catalogueRefreshMs: config.ROUTER_CATALOGUE_REFRESH_MS,
      serde: app.serde,
      store: app.recordStore,
      restore,
    }).then(
      (started) => {
        router = started;
      },
      (error: unknown) => {
        failure = error instanceof Error ? error : new Error(String(error));
        logger.fatal({ err: failure }, `the router failed to start: ${failure.message}`);
        void app.close().finally(() => process.exit(1));
      },
    );
    app.decorate('routerStarted', starting.then(() => router));
    app.healthChecks.set('router', () => {
      if (failure) throw failure;
      if (!router) throw new Error(`restoring its state from Kafka (${restore.events.toLocaleString('en')} events read so far)`);
      const problems = router.problems();
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
    app.addHook('onClose', async () => {
      await starting;
      await router?.stop();
    });
  },
  { name: 'router', fastify: '5.x', dependencies: ['hub-kafka', 'hub-observability', 'router-record-store'] },
);

export async function buildApp(config: RouterConfig, deps: { logger?: Logger } = {}): Promise<FastifyInstance> {
  const logger = deps.logger ?? createLogger('router', config.LOG_LEVEL);
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance });
  await app.register(observability, { service: 'router' });
  await app.register(kafkaPlugin, { brokers: config.KAFKA_BROKERS, clientId: `hub-${config.ROUTER_INSTANCE_ID}`, registryUrl: config.SCHEMA_REGISTRY_URL, logger, topics: hubTopics() });
  await app.register(recordStorePlugin, { config, logger });
  await app.register(routerPlugin, { config, logger });
  await app.register(requestsPlugin, { config, logger });
  await app.ready();
  return app;
}
