import fp from 'fastify-plugin';
import type { Logger } from '@hub/runtime';
import type { DepartmentCode } from '@hub/schemas';
import { topicFor } from '@hub/schemas';
import type { SinksConfig } from '../config.ts';
import type { WebhookRequest, postWebhook } from '../delivery/webhook.ts';
import { createSinkMetrics } from '../metrics.ts';
import { createDepartmentSink, type DepartmentSink } from '../sink.ts';

declare module 'fastify' {
  interface FastifyInstance {
    sinks: ReadonlyMap<DepartmentCode, DepartmentSink>;
  }
}

export interface DeliveriesOptions {
  config: SinksConfig;
  logger: Logger;
  targets: Array<{ department: DepartmentCode; url: string; secret: string }>;
  random?: () => number;
  post?: (request: WebhookRequest) => ReturnType<typeof postWebhook>;
}

/** One consumer per department (group `<SINKS_GROUP_ID>.<dept>`), so one department's outage never holds up another's deliveries. */
export const deliveriesPlugin = fp<DeliveriesOptions>(
  async (app, { config, logger, targets, random, post }) => {
    const metrics = createSinkMetrics(app.metrics);
    const sinks = new Map<DepartmentCode, DepartmentSink>();
    for (const { department, url, secret } of targets) {
      sinks.set(department, createDepartmentSink({
        kafka: app.kafka,
        serde: app.serde,
        deadLetters: app.recordSender,
        logger,
        metrics,
        department,
        url,
        secret,
        topic: topicFor('DeliveryEnvelope', department),
        groupId: `${config.SINKS_GROUP_ID}.${department}`,
        dlqTopic: config.SINKS_DLQ_TOPIC,
        policy: { baseMs: config.SINKS_BACKOFF_BASE_MS, maxMs: config.SINKS_BACKOFF_MAX_MS, maxAttempts: config.SINKS_MAX_ATTEMPTS },
        concurrency: config.SINKS_CONCURRENCY,
        timeoutMs: config.SINKS_TIMEOUT_MS,
        ...(random ? { random } : {}),
        ...(post ? { post } : {}),
      }));
    }
    app.decorate('sinks', sinks);
    app.healthChecks.set('consumers', () => {
      const notRunning = [...sinks.values()].filter((s) => s.state() !== 'running').map((s) => `${s.department}: ${s.state()}`);
      if (notRunning.length > 0) throw new Error(`not consuming: ${notRunning.join(', ')}`);
    });
    // Stop before the producer closes (onClose runs in reverse registration order).
    app.addHook('onClose', async () => {
      await Promise.all([...sinks.values()].map((s) => s.stop()));
    });
    // Not awaited: joining a consumer group can take a session timeout (30 s) when a killed instance's
    // members are still in it. /health says "not consuming" meanwhile; a start that fails says "crashed".
    for (const sink of sinks.values()) {
      sink.start().catch((error: unknown) => logger.error({ err: error, department: sink.department }, 'sink consumer could not start'));
    }
  },
  { name: 'sinks-deliveries', fastify: '5.x', dependencies: ['hub-observability', 'hub-kafka'] },
);
