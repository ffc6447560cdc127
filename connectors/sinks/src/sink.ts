import {
  backoffDelay,
  headersAsText,
  KeyOrder,
  readCloudEvent,
  Semaphore,
  sleep,
  type AvroSerde,
  type ConsumedMessage,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type Logger,
  type RecordHeaders,
  type RecordSender,
  type RetryPolicy,
} from '@hub/runtime';
import type { DepartmentCode } from '@hub/schemas';
import { cloudEventHttpHeaders, deliveryBody } from './delivery/body.ts';
import { deadLetterMessage, type SinkDeadLetter } from './delivery/dead-letter.ts';
import { decodeDelivery, decodeFailureIsPermanent, type DecodedDelivery } from './delivery/decode.ts';
import { PartitionProgress } from './delivery/offset-progress.ts';
import { deliverWithRetries, type Attempt, type AttemptRecord, type DeliveryResult } from './delivery/retry.ts';
import { classify } from './delivery/outcome.ts';
import { writeToOutbox } from './delivery/outbox.ts';
import { postWebhook, signBody, type WebhookRequest } from './delivery/webhook.ts';
import type { SinkMetrics } from './metrics.ts';

export interface DepartmentSinkOptions {
  kafka: Kafka;
  serde: AvroSerde;
  /** The service's idempotent producer, for dlq.sinks. */
  deadLetters: RecordSender;
  logger: Logger;
  metrics: SinkMetrics;
  department: DepartmentCode;
  /** The department's webhook (http, https), or its outbox folder (a file URL). */
  url: string;
  secret: string;
  topic: string;
  groupId: string;
  dlqTopic: string;
  policy: RetryPolicy;
  concurrency: number;
  timeoutMs: number;
  random?: () => number;
  /** Replaces the HTTP call or the outbox write (tests of what happens around it). */
  post?: (request: WebhookRequest) => ReturnType<typeof postWebhook>;
}

export type SinkState = 'starting' | 'running' | 'crashed' | 'stopped';

export interface DepartmentSink {
  readonly department: DepartmentCode;
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): SinkState;
}

class ShutdownError extends Error {
  override name = 'ShutdownError';
}

/**
 * Delivers one department's `deliveries.<dept>` to its webhook (or its outbox
 * folder, the same body and signature as files). Messages with
 * the same key (one delivery, or one case) go one after the other; different
 * keys go in parallel, with at most `concurrency` requests in flight. A
 * partition's offset is committed only up to the first message not yet
 * delivered or dead-lettered, so a crash redelivers (at least once) and the
 * department drops repeats by X-Hub-Event-Id.
 */
export function createDepartmentSink(options: DepartmentSinkOptions): DepartmentSink {
  const { department, logger: parentLogger, metrics } = options;
  const logger = parentLogger.child({ department });
  const random = options.random ?? Math.random;
  const post = options.post ?? (options.url.startsWith('file:') ? writeToOutbox : postWebhook);
  const order = new KeyOrder();
  const requests = new Semaphore(options.concurrency);
  const shutdown = new AbortController();
  let consumer: Consumer | undefined;
  let state: SinkState = 'starting';

  async function decodeWithRetries(message: ConsumedMessage): Promise<DecodedDelivery | { failed: string }> {
    for (let n = 1; ; n++) {
      try {
        if (message.value === null) return { failed: 'message has no value' };
        return await decodeDelivery(options.serde, message.value);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (decodeFailureIsPermanent(error) || n >= options.policy.maxAttempts) return { failed: reason };
        logger.warn({ err: error, attempt: n }, 'cannot decode a delivery yet (registry unreachable?); retrying');
        await sleep(backoffDelay(options.policy, n, random), shutdown.signal);
      }
    }
  }

  function httpHeaders(decoded: DecodedDelivery, headers: RecordHeaders | undefined): Record<string, string> {
    const { envelope } = decoded;
    let ce;
    try {
      ce = readCloudEvent(headers);
    } catch {
      ce = { id: envelope.eventId, type: 'gov.hub.delivery.DeliveryEnvelope', source: '/hub/router', time: envelope.occurredAt, subject: envelope.deliveryId, correlationId: envelope.correlationId };
    }
    return cloudEventHttpHeaders(ce);
  }

  async function deliver(decoded: DecodedDelivery, headers: RecordHeaders | undefined): Promise<{ body: string; result: DeliveryResult }> {
    const body = deliveryBody(decoded.envelope, decoded.payload);
    const signature = signBody(body, options.secret);
    const fixed = {
      ...httpHeaders(decoded, headers),
      'content-type': 'application/json; charset=utf-8',
      'x-hub-signature-256': signature,
      'x-hub-event-id': decoded.envelope.eventId,
      'x-hub-delivery-id': decoded.envelope.deliveryId,
    };
    const attempt: Attempt = (n, signal) =>
      requests.use(async () => {
        const sent = await post({ url: options.url, body, headers: { ...fixed, 'x-hub-delivery-attempt': String(n) }, timeoutMs: options.timeoutMs, signal });
        const verdict = classify(sent.outcome) === 'delivered' ? 'delivered' : 'failed';
        metrics.attemptDuration.observe({ department, verdict }, sent.durationMs / 1000);
        return sent;
      });
    const result = await deliverWithRetries(attempt, {
      policy: options.policy,
      random,
      now: () => new Date(),
      sleep,
      signal: shutdown.signal,
      onRetry: (failed: AttemptRecord, delayMs: number) => {
        metrics.retried.inc({ department });
        logger.info({ eventId: decoded.envelope.eventId, attempt: failed.attempt, status: failed.status, error: failed.error, delayMs }, 'delivery failed; retrying');
      },
    });
    return { body, result };
  }

  async function deadLetter(letter: SinkDeadLetter, headers: RecordHeaders | undefined): Promise<void> {
    await options.deadLetters.send({ topic: options.dlqTopic, messages: [deadLetterMessage(letter, headers)] });
    metrics.failed.inc({ department, reason: letter.reason });
    logger.warn({ eventId: letter.eventId, reason: letter.reason, detail: letter.detail, attempts: letter.attempts.length }, 'delivery dead-lettered');
  }

  async function process(topic: string, partition: number, message: ConsumedMessage): Promise<void> {
    const base = {
      component: 'sinks' as const,
      department,
      webhook: options.url,
      source: { topic, partition, offset: message.offset, key: message.key?.toString() ?? null },
      originalValueBase64: message.value?.toString('base64') ?? null,
      originalHeaders: headersAsText(message.headers),
    };
    const decoded = await decodeWithRetries(message);
    if ('failed' in decoded) {
      await deadLetter({ ...base, eventId: null, deliveryId: null, reason: 'undecodable', detail: decoded.failed, failedAt: new Date().toISOString(), attempts: [], body: null }, message.headers);
      return;
    }
    const { body, result } = await deliver(decoded, message.headers);
    if (result.kind === 'delivered') {
      metrics.delivered.inc({ department });
      return;
    }
    await deadLetter({
      ...base,
      eventId: decoded.envelope.eventId,
      deliveryId: decoded.envelope.deliveryId,
      reason: result.reason,
      detail: result.detail,
      failedAt: new Date().toISOString(),
      attempts: result.attempts,
      body: JSON.parse(body) as unknown,
    }, message.headers);
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const progress = new PartitionProgress();
    // Retries can hold a batch for minutes; the group must still see this member alive.
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 3_000);
    const failedKeys = new Set<string>();
    const work: Array<Promise<void>> = [];
    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || shutdown.signal.aborted) break;
        progress.track(message.offset);
        metrics.inFlight.inc({ department });
        const key = message.key?.toString() ?? `${batch.partition}@${message.offset}`;
        const task = order.run(key, async () => {
          // A later message of a key whose earlier one failed must not overtake it: it waits for the redelivery.
          if (failedKeys.has(key)) throw new Error(`an earlier delivery of key ${key} failed`);
          try {
            await process(batch.topic, batch.partition, message);
          } catch (error) {
            failedKeys.add(key);
            throw error;
          }
        });
        work.push(task.then(
          () => {
            const committable = progress.finish(message.offset);
            if (committable !== undefined) resolveOffset(committable);
          },
        ).finally(() => metrics.inFlight.dec({ department })));
      }
      const settled = await Promise.allSettled(work);
      // Only finished messages were resolved, so committing them is right even while stopping.
      await commitOffsetsIfNecessary();
      const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failure && !shutdown.signal.aborted) throw failure.reason;
    } finally {
      clearInterval(beat);
    }
  }

  return {
    department,
    state: () => state,
    async start() {
      consumer = options.kafka.consumer({ groupId: options.groupId, sessionTimeout: 30_000, rebalanceTimeout: 60_000, readUncommitted: false });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        state = payload.restart ? 'starting' : 'crashed';
        logger.error({ err: payload.error, restart: payload.restart }, 'sink consumer crashed');
      });
      consumer.on(consumer.events.GROUP_JOIN, () => { state = 'running'; });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic: options.topic, fromBeginning: true });
        await consumer.run({
          autoCommit: true,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: 8,
          eachBatch,
        });
      } catch (error) {
        if (state !== 'stopped') state = 'crashed';
        throw error;
      }
    },
    async stop() {
      shutdown.abort(new ShutdownError('sink stopping'));
      await consumer?.disconnect();
      state = 'stopped';
    },
  };
}
