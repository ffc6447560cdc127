import fp from 'fastify-plugin';
import { Counter, Histogram } from 'prom-client';
import type { Logger } from '@hub/runtime';
import type { RouterConfig } from '../config.ts';
import { requestRoutes } from '../http/requests.ts';
import type { Router } from './router.ts';
import { createDataRequests, type DataRequests } from './requests.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves with the router once its state is restored (undefined when its start failed). */
    routerStarted: Promise<Router | undefined>;
  }
}

/**
 * Data requests (数据共享申请) in the service: started once the router has
 * restored its agreements and the record store has caught up, then its own
 * reader of exchange.requests and exchange.responses. Until then the routes
 * answer 503 starting, and `/health` says what is awaited.
 */
export const requestsPlugin = fp<{ config: RouterConfig; logger: Logger }>(
  async (app, { config, logger }) => {
    let requests: DataRequests | undefined;
    let stopping = false;
    const starting = Promise.all([app.routerStarted, app.recordStoreReady]).then(async ([router, store]) => {
      if (!router || stopping) return;
      const made = createDataRequests({
        kafka: app.kafka,
        events: app.events,
        serde: app.serde,
        sender: app.recordSender,
        logger,
        db: app.routerFile,
        store,
        agreements: () => [...router.state.agreements.values()].map((held) => held.state),
        catalogue: () => router.catalogue(),
        registryUrl: config.SCHEMA_REGISTRY_URL,
        deadlineMs: config.ROUTER_REQUEST_DEADLINE_MS,
        instanceId: config.ROUTER_INSTANCE_ID,
        keptMs: config.ROUTER_REQUESTS_KEPT_DAYS * 86_400_000,
        lingerMs: config.ROUTER_REQUEST_LINGER_MS,
      });
      requests = made;
      await made.start();
      logger.info('data requests answered');
    });
    starting.catch((error: unknown) => logger.error({ err: error }, 'the data requests could not start'));
    app.healthChecks.set('requests', () => {
      if (!requests?.ready) throw new Error('waiting for the router’s state and the record store');
      const problems = requests.problems();
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
    const registers = [app.metrics];
    const answers = new Counter({ name: 'router_data_requests_total', help: 'Data requests answered, by status (answered, not-found, refused, timeout)', labelNames: ['status'], registers });
    const seconds = new Histogram({ name: 'router_data_request_seconds', help: 'From a data request in to its answer out (its events written), forwarded ones included', buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30], registers });
    await app.register(requestRoutes, {
      requests: () => requests,
      token: config.ROUTER_INTERNAL_TOKEN,
      answered(status, elapsed) {
        answers.inc({ status });
        seconds.observe(elapsed);
      },
    });
    // Before the router and the file close (onClose runs the last registered first; preClose before all of them).
    app.addHook('preClose', async () => {
      stopping = true;
      await requests?.stop();
    });
  },
  { name: 'router-data-requests', fastify: '5.x', dependencies: ['hub-kafka', 'hub-observability', 'router-record-store', 'router'] },
);
