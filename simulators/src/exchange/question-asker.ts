import { setMaxListeners } from 'node:events';
import type { StepSender } from '../cases/gateway-client.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { EmitterLogger } from '../emitter.ts';
import type { Random } from '../random.ts';
import { type SharingMetrics, noSharingMetrics } from './metrics.ts';
import type { CanonicalRecord, PublishedRecords } from './published.ts';
import { type PlannedQuestion, nextQuestion } from './questions.ts';
import type { Subscription } from './subscriptions.ts';

export interface QuestionAskerOptions {
  readonly gateway: StepSender;
  readonly random: Random;
  readonly logger: EmitterLogger;
  readonly clock?: Clock;
  readonly metrics?: SharingMetrics;
  /** Which subscriptions are granted now: only those are asked under. */
  readonly agreements: { granted(): readonly Subscription[] };
  readonly published: PublishedRecords;
  /** A record of a resource nobody published, for the questions about unknown keys. */
  readonly unpublished: (resource: string) => CanonicalRecord | undefined;
  /** Questions per minute, all windows together. */
  readonly ratePerMinute: number;
  /** A record taken this recently is not asked about yet: the hub may still be storing it. 10 s by default. */
  readonly settleMs?: number;
  /** Questions waiting for their answer at most (a forwarded one is held until the owner answers); 20 by default. */
  readonly maxInFlight?: number;
}

export interface QuestionStats {
  asked: number;
  /** Answers by status (answered, not-found, refused, timeout), and rejected (4xx) and gave-up. */
  byStatus: Record<string, number>;
  /** Answers other than expected from what the simulators published. */
  surprises: number;
  /** Questions not asked because too many were waiting for their answers. */
  skipped: number;
}

/**
 * The departments' windows asking each other's data: every 60/rate seconds a
 * question of `nextQuestion` (mostly verifications, 核验, of records the
 * simulators published; sometimes the record itself, or a key nobody
 * published), under a granted agreement, with the subscriber's token.
 * Answers are counted by status and logged; an answer that contradicts what
 * was published (a published record not found, its own value not matching)
 * is counted as a surprise and logged as a warning. A question does not hold
 * up the next: up to `maxInFlight` wait for their answers. Never throws.
 */
export class QuestionAsker {
  readonly stats: QuestionStats = { asked: 0, byStatus: {}, surprises: 0, skipped: 0 };
  readonly #inFlight = new Set<Promise<void>>();
  #stopping = new AbortController();
  #running: Promise<void> | undefined;
  #waitingLogged = false;

  constructor(private readonly options: QuestionAskerOptions) {}

  start(): void {
    if (this.#running !== undefined) return;
    this.#stopping = new AbortController();
    const signal = this.#stopping.signal;
    // Every question waiting for its answer (or its retry) listens to it.
    setMaxListeners(2 * (this.options.maxInFlight ?? 20) + 16, signal);
    this.#running = this.#loop(signal).catch((error: unknown) => {
      if (!signal.aborted) this.options.logger.error({ err: error }, 'data requests stopped');
    });
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
    await Promise.all([...this.#inFlight]);
    this.#running = undefined;
  }

  async #loop(signal: AbortSignal): Promise<void> {
    const clock = this.options.clock ?? systemClock;
    const intervalMs = 60_000 / this.options.ratePerMinute;
    let due = clock.nowMs() + intervalMs;
    while (!signal.aborted) {
      const wait = due - clock.nowMs();
      if (wait > 0) await clock.sleep(wait, signal);
      if (signal.aborted) return;
      this.#next(signal);
      due = Math.max(due + intervalMs, clock.nowMs() - intervalMs);
    }
  }

  #next(signal: AbortSignal): void {
    const { random, agreements, published, unpublished, logger, settleMs = 10_000, maxInFlight = 20 } = this.options;
    const readyBefore = (this.options.clock ?? systemClock).nowMs() - settleMs;
    const question = nextQuestion(random, { subscriptions: agreements.granted(), published: (resource) => published.takenBefore(resource, readyBefore), unpublished });
    if (question === undefined) {
      if (!this.#waitingLogged) logger.info({}, 'no granted sharing agreement yet: the windows wait to ask questions');
      this.#waitingLogged = true;
      return;
    }
    this.#waitingLogged = false;
    if (this.#inFlight.size >= maxInFlight) {
      this.stats.skipped += 1;
      logger.warn({ inFlight: this.#inFlight.size }, 'too many data requests waiting for their answers; question skipped');
      return;
    }
    const task = this.#ask(question, signal).catch((error: unknown) => {
      logger.error({ err: error, resource: question.body.resource }, 'data request failed');
    });
    this.#inFlight.add(task);
    void task.finally(() => this.#inFlight.delete(task));
  }

  async #ask(question: PlannedQuestion, signal: AbortSignal): Promise<void> {
    const { gateway, logger } = this.options;
    const metrics = this.options.metrics ?? noSharingMetrics;
    const { as: requester, body, intent } = question;
    const kind = body.verify === undefined ? 'question' : 'verify';
    const reply = await gateway.send({ method: 'POST', path: '/v1/exchange/requests', as: requester, body }, signal);
    if (reply.kind === 'stopped') return;
    this.stats.asked += 1;
    const answer = reply.kind === 'answered' ? answerOf(reply.body) : undefined;
    const status = answer?.status ?? (reply.kind === 'refused' ? 'rejected' : reply.kind === 'gave-up' ? 'gave-up' : 'unreadable');
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
    metrics.dataRequest(requester, body.resource, kind, status);
    if (answer === undefined) return;
    const facts = { requester, resource: body.resource, intent, requestId: answer.requestId, status, ...(answer.matches === undefined ? {} : { matches: answer.matches }), ...(answer.reason === undefined ? {} : { reason: answer.reason }) };
    if (surprising(question, answer)) {
      this.stats.surprises += 1;
      metrics.surprise(body.resource);
      logger.warn({ ...facts, expected: question.expected }, 'the hub answered otherwise than the published records say');
    } else logger.info(facts, 'data request answered');
  }
}

interface Answer {
  requestId: string;
  status: string;
  matches?: Record<string, boolean>;
  reason?: string;
}

function answerOf(body: unknown): Answer | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const requestId: unknown = Reflect.get(body, 'requestId');
  const status: unknown = Reflect.get(body, 'status');
  const matches: unknown = Reflect.get(body, 'matches');
  const reason: unknown = Reflect.get(body, 'reason');
  if (typeof requestId !== 'string' || typeof status !== 'string') return undefined;
  const flags = typeof matches === 'object' && matches !== null ? Object.entries(matches).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean') : undefined;
  return { requestId, status, ...(flags === undefined ? {} : { matches: Object.fromEntries(flags) }), ...(typeof reason === 'string' ? { reason } : {}) };
}

/** Whether an answer contradicts what was published: refusals and timeouts say nothing about the records. */
function surprising(question: PlannedQuestion, answer: Answer): boolean {
  const { expected } = question;
  if (answer.status !== 'answered' && answer.status !== 'not-found') return false;
  if (answer.status !== expected.status) return true;
  if (expected.status !== 'answered' || expected.matches === undefined) return false;
  return Object.entries(expected.matches).some(([field, match]) => answer.matches?.[field] !== match);
}
