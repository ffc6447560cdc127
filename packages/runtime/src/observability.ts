import fp from 'fastify-plugin';
import { Registry, collectDefaultMetrics, Histogram } from 'prom-client';
import { problemJsonErrorHandler } from './errors.ts';

export type HealthCheck = () => Promise<void> | void;

declare module 'fastify' {
  interface FastifyInstance {
    /** Prometheus registry of this service; add counters and gauges to it. */
    metrics: Registry;
    /** Named readiness checks run by GET /health; a check that throws makes it 503. */
    healthChecks: Map<string, HealthCheck>;
  }
}

/**
 * `/health`, Prometheus `/metrics`, request timing, and the problem+json error
 * handler: what every hub service exposes. Register it first in each app.
 */
export const observability = fp<{ service: string }>(
  async (app, { service }) => {
    const metrics = new Registry();
    metrics.setDefaultLabels({ service });
    collectDefaultMetrics({ register: metrics });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [metrics],
    });
    app.decorate('metrics', metrics);
    app.decorate('healthChecks', new Map<string, HealthCheck>());
    app.setErrorHandler(problemJsonErrorHandler);

    app.addHook('onResponse', async (request, reply) => {
      duration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    app.get('/health', async (_request, reply) => {
      const checks: Record<string, string> = {};
      let healthy = true;
      for (const [name, check] of app.healthChecks) {
        try {
          await check();
          checks[name] = 'ok';
        } catch (error) {
          healthy = false;
          checks[name] = error instanceof Error ? error.message : String(error);
        }
      }
      return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable', service, checks });
    });

    app.get('/metrics', async (_request, reply) =>
      reply.type(metrics.contentType).send(await metrics.metrics()),
    );
  },
  { name: 'hub-observability', fastify: '5.x' },
);
