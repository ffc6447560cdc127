import fp from 'fastify-plugin';
import type { WorkingCalendar } from '@hub/calendar';
import type { Logger } from '@hub/runtime';
import { createWireDecoder } from './decoder.ts';
import { createProjectionMetrics } from './metrics.ts';
import { createProjector, type Projector } from './projector.ts';
import { projectedTopics } from './topics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    projector: Projector;
  }
}

export interface ProjectionPluginOptions {
  logger: Logger;
  calendar: WorkingCalendar;
  groupId: string;
  batchRows: number;
  batchMs: number;
  sessionTimeoutMs: number;
  registryUrl: string;
}

/** The projection inside the service: started with the app, /health 503 while its consumer is down or its last flush failed, stopped (what waits flushed) on close. */
export const projectionPlugin = fp<ProjectionPluginOptions>(
  async (app, options) => {
    const projector = createProjector({
      kafka: app.kafka,
      codec: createWireDecoder({ registryUrl: options.registryUrl }),
      sender: app.recordSender,
      store: app.store,
      calendar: options.calendar,
      logger: options.logger,
      metrics: createProjectionMetrics(app.metrics),
      groupId: options.groupId,
      topics: projectedTopics(),
      batchRows: options.batchRows,
      batchMs: options.batchMs,
      sessionTimeoutMs: options.sessionTimeoutMs,
    });
    // Not awaited: joining the consumer group can take a session timeout when a killed instance's members
    // are still in it (npm start restarts it at once). /health says so meanwhile; a start that fails stops the projection.
    let joining = true;
    let failedStart: Error | undefined;
    projector.start().then(
      () => { joining = false; },
      (error: unknown) => {
        joining = false;
        failedStart = error instanceof Error ? error : new Error(String(error));
        options.logger.error({ err: failedStart }, 'the projection could not start');
      },
    );
    app.decorate('projector', projector);
    app.healthChecks.set('projection', () => {
      if (failedStart) throw new Error(`the projection could not start: ${failedStart.message}`);
      if (joining) throw new Error('starting: joining the projection\'s consumer group');
      if (!projector.healthy) throw new Error('the projection\'s consumer has stopped');
      if (projector.lastError) throw new Error(`the last insert failed (its records are read again): ${projector.lastError.message}`);
    });
    app.addHook('onClose', async () => projector.stop());
  },
  { name: 'analytics-projection', fastify: '5.x', dependencies: ['hub-kafka', 'hub-clickhouse', 'hub-observability'] },
);
