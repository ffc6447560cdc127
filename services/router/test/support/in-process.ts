import type { FastifyInstance } from 'fastify';
import { createLogger } from '@hub/runtime';
import { buildApp } from '../../src/app.ts';
import { loadRouterConfig } from '../../src/config.ts';

export interface InProcessRouter {
  /** The router's app, for `inject()` and its decorators (`recordStore`). */
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * The router in this process, as `npm start` builds it, for other packages'
 * integration tests (`@hub/router/testing`). `env` is its environment
 * (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, HUB_DATA_DIR, …). Resolves once
 * `/health` answers 200: the state restored, the record store caught up, the
 * data requests answered.
 */
export async function startRouterInProcess(env: Record<string, string>, options: { healthTimeoutMs?: number } = {}): Promise<InProcessRouter> {
  const config = loadRouterConfig({ ROUTER_TICK_INTERVAL_MS: '0', LOG_LEVEL: 'warn', ...env });
  const app = await buildApp(config, { logger: createLogger('router', config.LOG_LEVEL) });
  const deadline = Date.now() + (options.healthTimeoutMs ?? 120_000);
  for (;;) {
    const health = await app.inject({ method: 'GET', url: '/health' });
    if (health.statusCode === 200) break;
    if (Date.now() > deadline) {
      await app.close();
      throw new Error(`the router did not become healthy: ${health.body}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { app, close: () => app.close() };
}
