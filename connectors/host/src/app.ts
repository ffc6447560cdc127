import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DepartmentConnector } from '@hub/connector-core';
import { createLogger, kafkaPlugin, observability, type Logger } from '@hub/runtime';
import type { HostConfig } from './config.ts';
import { importable, loadConnectors } from './connectors.ts';
import { parseDatabaseSources } from './database-sources.ts';
import { startConnectorHost, type ConnectorHost } from './host.ts';
import { hostMetrics } from './metrics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    connectorHost: ConnectorHost;
  }
}

export interface HostDeps {
  /** The department connectors; loaded from CONNECTORS_MODULES when not given. */
  connectors?: readonly DepartmentConnector[];
}

/**
 * The connector host as a fastify plugin: the department connectors' drop
 * folders and database pollers, a health check per publisher, metrics, and
 * `GET /sources`. Register `observability` before it. Closing the app stops the
 * sources after their current batch, then the publishers and ledgers.
 */
export const connectorHostApp = fp<{ config: HostConfig; logger: Logger; deps?: HostDeps }>(
  async (app, { config, logger, deps = {} }) => {
    const databaseSources = parseDatabaseSources(config.CONNECTORS_DB_SOURCES);
    const loaded = deps.connectors
      ? { connectors: [...deps.connectors], problems: [] }
      : await loadConnectors(config.CONNECTORS_MODULES.split(','), logger);
    if (loaded.connectors.length === 0) logger.warn('no department connector found: only unmapped drop folders are watched');
    const host = await startConnectorHost({
      config,
      connectors: loaded.connectors,
      databaseSources,
      kafka: app.kafka,
      serde: app.serde,
      logger,
      metrics: hostMetrics(app.metrics),
      // Connectors given directly (tests) are not known by module: their records are prepared in this thread.
      ...(deps.connectors ? {} : { connectorModules: config.CONNECTORS_MODULES.split(',').map(importable) }),
    });
    app.decorate('connectorHost', host);
    app.healthChecks.set('publishers', () => host.check());
    if (loaded.problems.length > 0) {
      app.healthChecks.set('connector-modules', () => {
        throw new Error(`failed to load: ${loaded.problems.join('; ')}`);
      });
    }
    app.get('/sources', async () => ({ sources: host.sources }));
    app.addHook('onClose', async () => {
      await host.close();
    });
  },
  { name: 'connector-host', fastify: '5.x', dependencies: ['hub-observability', 'hub-kafka'] },
);

/** Builds the whole service: what server.ts listens with and tests inject into. */
export async function buildApp(config: HostConfig, deps: HostDeps & { logger?: Logger } = {}): Promise<FastifyInstance> {
  const { logger = createLogger('connector-host', config.LOG_LEVEL), ...rest } = deps;
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance });
  await app.register(observability, { service: 'connector-host' });
  await app.register(kafkaPlugin, { brokers: config.KAFKA_BROKERS, clientId: `connector-host-${config.CONNECTORS_INSTANCE_ID}`, registryUrl: config.SCHEMA_REGISTRY_URL, logger });
  await app.register(connectorHostApp, { config, logger, deps: rest });
  await app.ready();
  return app;
}
