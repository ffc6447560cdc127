import { Type } from '@sinclair/typebox';
import { type DepartmentCode, isDepartmentCode } from '@hub/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from './clock.ts';
import { DeliveryLog, type ReceivedDelivery } from './deliveries.ts';
import { type Random, chance } from './random.ts';
import { hasValidSignature } from './signature.ts';

/** Failure injection for sink tests: a share of 503 answers and a share of slow ones. */
export interface FailureInjection {
  /** Share of (correctly signed) deliveries answered 503, so the hub retries them. */
  readonly unavailableShare: number;
  /** Share of deliveries answered only after `slowMs`. */
  readonly slowShare: number;
  readonly slowMs: number;
}

export interface WebhookReceiverOptions {
  /** Each simulated department with its webhook secret; POST /webhooks/{dept}. */
  readonly secrets: ReadonlyMap<DepartmentCode, string>;
  /** Where each department's deliveries are recorded; one is made per department when absent. */
  readonly logs: Map<DepartmentCode, DeliveryLog>;
  readonly failures: FailureInjection;
  readonly random: Random;
  readonly now: () => Date;
  /** What times the slow answers. */
  readonly clock: Clock;
  /** Told of each delivery recorded (not of repeats), after it is acknowledged: the department system acting on it. */
  readonly onDelivery?: (department: DepartmentCode, delivery: ReceivedDelivery) => void;
}

const Params = Type.Object({ department: Type.String({ pattern: '^[a-z]+$' }) });
const Answer = Type.Object({ status: Type.Union([Type.Literal('received'), Type.Literal('duplicate')]), eventId: Type.String() });
const Refusal = Type.Object({ error: Type.String() });

/**
 * The departments' webhooks: each delivery's X-Hub-Signature-256 is checked
 * against the raw body with the department's secret (401 when wrong), a repeat
 * of an X-Hub-Event-Id already received is acknowledged and dropped, and the
 * rest is recorded in the department's DeliveryLog. GET shows what arrived.
 */
export const webhookReceivers: FastifyPluginAsyncTypebox<WebhookReceiverOptions> = async (app, options) => {
  const { secrets, logs, failures, random, now, clock, onDelivery } = options;
  for (const department of secrets.keys()) if (!logs.has(department)) logs.set(department, new DeliveryLog());

  // The signature covers the exact bytes sent, so the body is kept raw and parsed here.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/webhooks/:department',
    { schema: { params: Params, response: { 200: Answer, 400: Refusal, 401: Refusal, 404: Refusal, 503: Refusal } } },
    async (request, reply) => {
      const { department } = request.params;
      const secret = isDepartmentCode(department) ? secrets.get(department) : undefined;
      const log = isDepartmentCode(department) ? logs.get(department) : undefined;
      if (!isDepartmentCode(department) || secret === undefined || log === undefined) return reply.status(404).send({ error: `no simulated department ${department}` });
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = request.headers['x-hub-signature-256'];
      if (!hasValidSignature(raw, secret, typeof header === 'string' ? header : undefined)) {
        log.badSignatures += 1;
        return reply.status(401).send({ error: 'X-Hub-Signature-256 does not match the body signed with this department\'s secret' });
      }
      const eventId = request.headers['x-hub-event-id'];
      if (typeof eventId !== 'string' || eventId === '') return reply.status(400).send({ error: 'X-Hub-Event-Id is required' });
      if (chance(random, failures.unavailableShare)) {
        log.injectedFailures += 1;
        return reply.status(503).header('retry-after', '1').send({ error: 'simulated outage' });
      }
      if (chance(random, failures.slowShare)) await clock.sleep(failures.slowMs);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.status(400).send({ error: 'the body is not JSON' });
      }
      const deliveryId = request.headers['x-hub-delivery-id'];
      const delivery: ReceivedDelivery = { eventId, deliveryId: typeof deliveryId === 'string' ? deliveryId : undefined, receivedAt: now(), body };
      const fresh = log.record(delivery);
      if (fresh && onDelivery) setImmediate(() => onDelivery(department, delivery));
      return reply.status(200).send({ status: fresh ? 'received' : 'duplicate', eventId });
    },
  );

  app.get('/webhooks/:department', { schema: { params: Params } }, async (request, reply) => {
    const { department } = request.params;
    const log = isDepartmentCode(department) ? logs.get(department) : undefined;
    if (log === undefined) return reply.status(404).send({ error: `no simulated department ${department}` });
    return { department, ...log.summary(), recent: log.recent };
  });
};
