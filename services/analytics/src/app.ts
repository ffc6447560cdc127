import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { loadCalendar, type WorkingCalendar } from '@hub/calendar';
import { createLogger, kafkaPlugin, observability, type Logger } from '@hub/runtime';
import { hubTopics } from '@hub/topology';
import { caseRoutes } from './cases/routes.ts';
import { coApprovalRoutes } from './co-approval/routes.ts';
import type { AnalyticsConfig } from './config.ts';
import { dashboardPlugin } from './dashboard/plugin.ts';
import { exchangeRoutes } from './exchange/routes.ts';
import { Problem } from './http/schemas.ts';
import { projectionPlugin } from './projection/plugin.ts';
import { storePlugin } from './store/plugin.ts';
import type { AnalyticsStore } from './store/store.ts';
import { supervisionRoutes } from './supervision/routes.ts';
import { throughputRoutes } from './throughput/routes.ts';

export interface AnalyticsDeps {
  /** A store opened elsewhere (tests); opened from the configuration when absent. */
  store?: AnalyticsStore;
  calendar?: WorkingCalendar;
  /** The wall clock: "today" of figures that look at what is still open, and the live throughput window. */
  now?: () => Date;
}

/** The analytics service as a fastify plugin (not encapsulated: tests reach `app.store` and `app.projector`): the store, the projection (unless turned off), the figures API and its OpenAPI at /docs. */
export const analyticsApp = fp<{ config: AnalyticsConfig; logger: Logger; deps?: AnalyticsDeps }>(async (app, { config, logger, deps = {} }) => {
  const now = deps.now ?? (() => new Date());
  const calendar = deps.calendar ?? loadCalendar({ file: config.HUB_CALENDAR_FILE });
  await app.register(observability, { service: 'analytics' });
  app.addSchema(Problem);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Government data exchange hub: analytics',
        description: 'Figures of the hub, projected from every topic into ClickHouse: how fast the region serves the public (cases), how the co-approving departments answer, what supervision flagged, how the departments exchange data, and the events per second on each topic. Every figure takes the same filters (from, to, item, department, division, centre) and groupBy; a bad filter is a 400 naming it; `Accept: text/csv` answers CSV. Dates are Asia/Shanghai calendar dates; working days follow the router\'s calendar.',
        version: '0.1.0',
      },
      servers: [{ url: `http://${config.ANALYTICS_HOST}:${config.ANALYTICS_PORT}` }],
      tags: [
        { name: 'figures', description: 'Figures over a selection of cases, tasks, alerts or exchanges' },
        { name: 'cases', description: 'One case\'s history, for the drill-down' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(storePlugin, { url: config.CLICKHOUSE_URL, database: config.CLICKHOUSE_DATABASE, dataDir: config.HUB_DATA_DIR, ...(deps.store ? { store: deps.store } : {}) });
  if (config.ANALYTICS_PROJECTION) {
    await app.register(kafkaPlugin, { brokers: config.KAFKA_BROKERS, clientId: `hub-${config.ANALYTICS_INSTANCE_ID}`, registryUrl: config.SCHEMA_REGISTRY_URL, logger, topics: hubTopics() });
    await app.register(projectionPlugin, {
      logger,
      calendar,
      groupId: config.ANALYTICS_GROUP_ID,
      batchRows: config.ANALYTICS_BATCH_ROWS,
      batchMs: config.ANALYTICS_BATCH_MS,
      sessionTimeoutMs: config.ANALYTICS_SESSION_TIMEOUT_MS,
      registryUrl: config.SCHEMA_REGISTRY_URL,
    });
  }
  const store = app.store;
  await app.register(caseRoutes, { store });
  await app.register(coApprovalRoutes, { store, now });
  await app.register(supervisionRoutes, { store });
  await app.register(exchangeRoutes, { store });
  await app.register(throughputRoutes, { store, now });
  await app.register(dashboardPlugin, { store });
}, { name: 'analytics-app', fastify: '5.x' });

export async function buildApp(config: AnalyticsConfig, deps: AnalyticsDeps & { logger?: Logger } = {}): Promise<FastifyInstance> {
  const { logger = createLogger('analytics', config.LOG_LEVEL), ...rest } = deps;
  const loggerInstance: FastifyBaseLogger = logger;
  // An unknown filter is a bad filter: refused by name rather than dropped. The store plugin opens chDB and
  // applies the migrations: a folder with a long history, on a machine busy starting the whole hub, takes
  // longer than fastify's 10 s for a plugin (the self-healing e2e saw 20 s), so it gets two minutes.
  const app = Fastify({ loggerInstance, pluginTimeout: 120_000, ajv: { customOptions: { removeAdditional: false } } });
  await app.register(analyticsApp, { config, logger, deps: rest });
  await app.ready();
  return app;
}
