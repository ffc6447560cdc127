import { setMaxListeners } from 'node:events';
import { type DepartmentCode, isDepartmentCode } from '@hub/schemas';
import type { StepSender } from '../cases/gateway-client.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type DelayDistribution, drawDelay } from '../co-approval.ts';
import type { EmitterLogger } from '../emitter.ts';
import type { Random } from '../random.ts';
import { type AgreementPart, agreementNoticeOf, readAgreementList } from './agreements.ts';
import { type SharingMetrics, noSharingMetrics } from './metrics.ts';
import { type Subscription, ownerOf, subscriptionKey } from './subscriptions.ts';

export interface AgreementKeeperOptions {
  readonly gateway: StepSender;
  readonly random: Random;
  readonly logger: EmitterLogger;
  readonly clock?: Clock;
  readonly metrics?: SharingMetrics;
  /** The subscriptions this run plays (see plannedSubscriptions). */
  readonly subscriptions: readonly Subscription[];
  /** Ask for the agreements the subscriptions miss (SIMULATORS_SUBSCRIBE); otherwise only look at those there are. */
  readonly subscribe: boolean;
  /** How often each department looks at its agreements: subscribers for missing ones, owners for requests left waiting. */
  readonly pollMs: number;
  /** How long an owner takes to approve a request it was told of. */
  readonly delay: DelayDistribution;
  /** Approve every pending request the simulated owners have, not only those of the subscriptions (SIMULATORS_ANSWER_ALL). */
  readonly approveAll?: boolean;
}

/** Statuses of an agreement that hold or may still hold: asking again would make a second one. */
const LIVE = new Set(['granted', 'pending', 'suspended']);

/**
 * The sharing agreements (共享协议) of the simulated departments. At start and
 * every `pollMs`, each subscriber reads its agreements (`GET
 * /v1/agreements`) and asks for those of its subscriptions it has none of,
 * or only revoked ones (`POST /v1/agreements`): across restarts the same
 * agreements are kept, not asked for again. Each owner approves the requests
 * for its data (`POST /v1/agreements/{id}/approval`, letting through the
 * fields asked for) when the hub's notice reaches its webhook, after a
 * department's answer time; a request it has seen pending in its own list for
 * a whole `pollMs` (the notice lost, or sent before this run) it approves
 * then. Never throws.
 */
export class AgreementKeeper {
  readonly #byKey = new Map<string, { agreementId: string; status: string }>();
  /** Agreements being approved, or approved, by this run: each once. */
  readonly #approving = new Set<string>();
  /** When each owner first saw a request pending in its list. */
  readonly #pendingSince = new Map<string, number>();
  readonly #pending = new Set<Promise<void>>();
  readonly #planned: ReadonlySet<string>;
  readonly #reported = new Set<string>();
  #stopping = new AbortController();
  #running: Promise<void> | undefined;

  constructor(private readonly options: AgreementKeeperOptions) {
    this.#planned = new Set(options.subscriptions.map(subscriptionKey));
    setMaxListeners(256, this.#stopping.signal);
  }

  /** The subscriptions whose agreement is granted now. */
  granted(): Subscription[] {
    return this.options.subscriptions.filter((s) => this.#byKey.get(subscriptionKey(s))?.status === 'granted');
  }

  /** How many of the subscriptions' agreements are in each status. */
  statuses(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { status } of this.#byKey.values()) counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }

  start(): void {
    if (this.#running !== undefined) return;
    this.#stopping = new AbortController();
    setMaxListeners(256, this.#stopping.signal);
    const signal = this.#stopping.signal;
    const clock = this.options.clock ?? systemClock;
    this.#running = (async () => {
      while (!signal.aborted) {
        await this.#subscribe(signal);
        await this.#lookAsOwners(signal);
        await clock.sleep(this.options.pollMs, signal);
      }
    })().catch((error: unknown) => {
      if (!signal.aborted) this.options.logger.error({ err: error }, 'sharing agreements stopped');
    });
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
    await Promise.all([...this.#pending]);
    this.#running = undefined;
  }

  /** A delivery that reached `department`'s webhook: a request for its data to approve, or news of an agreement. */
  receive(department: string, body: unknown): void {
    const notice = agreementNoticeOf(body);
    if (notice === undefined) return;
    if (notice.kind === 'changed') {
      for (const held of this.#byKey.values()) if (held.agreementId === notice.agreementId) held.status = notice.status;
      return;
    }
    if (notice.owner !== department || !isDepartmentCode(department)) return;
    if (!this.options.approveAll && !this.#planned.has(subscriptionKey(notice))) return;
    this.#approveLater(department, notice.agreementId, notice.fields, drawDelay(this.options.delay, this.options.random));
  }

  /** Each subscriber's agreements, read; those missing asked for. */
  async #subscribe(signal: AbortSignal): Promise<void> {
    const { gateway, logger, subscriptions, subscribe } = this.options;
    const metrics = this.options.metrics ?? noSharingMetrics;
    for (const subscriber of new Set(subscriptions.map((s) => s.subscriber))) {
      const listed = await gateway.send({ method: 'GET', path: `/v1/agreements?department=${subscriber}`, as: subscriber }, signal);
      if (listed.kind !== 'answered') continue;
      const agreements = readAgreementList(listed.body).filter((a) => a.subscriber === subscriber);
      for (const subscription of subscriptions.filter((s) => s.subscriber === subscriber)) {
        const key = subscriptionKey(subscription);
        const held = bestOf(agreements.filter((a) => a.resource === subscription.resource));
        if (held !== undefined && (LIVE.has(held.status) || !subscribe)) {
          this.#byKey.set(key, { agreementId: held.agreementId, status: held.status });
          continue;
        }
        if (held?.status === 'refused') {
          // The owner (or the catalogue: not shared) said no; asking again every poll would only be refused again.
          this.#byKey.set(key, { agreementId: held.agreementId, status: held.status });
          if (!this.#reported.has(key)) logger.warn({ subscriber, resource: subscription.resource, agreementId: held.agreementId }, 'the agreement was refused; not asked for again');
          this.#reported.add(key);
          continue;
        }
        if (!subscribe || signal.aborted) continue;
        const { resource, purpose, legalBasis, fields } = subscription;
        const asked = await gateway.send({ method: 'POST', path: '/v1/agreements', as: subscriber, body: { resource, purpose, legalBasis, ...(fields === undefined ? {} : { fields: [...fields] }) } }, signal);
        if (asked.kind === 'stopped') return;
        metrics.sharingStep('request-agreement', asked.kind);
        const answer = asked.kind === 'answered' ? agreementAnswerOf(asked.body) : undefined;
        if (answer === undefined) continue;
        this.#byKey.set(key, answer);
        logger.info({ subscriber, resource, ...answer }, 'asked for a sharing agreement');
      }
    }
  }

  /** Each owner's pending requests, approved once seen pending for a whole poll. */
  async #lookAsOwners(signal: AbortSignal): Promise<void> {
    const { gateway, subscriptions, approveAll, pollMs } = this.options;
    const clock = this.options.clock ?? systemClock;
    const owners = new Set(subscriptions.map((s) => ownerOf(s.resource)).filter(isDepartmentCode));
    for (const owner of owners) {
      const listed = await gateway.send({ method: 'GET', path: `/v1/agreements?department=${owner}`, as: owner }, signal);
      if (listed.kind !== 'answered') continue;
      const nowMs = clock.nowMs();
      for (const agreement of readAgreementList(listed.body)) {
        if (agreement.owner !== owner || agreement.status !== 'pending') continue;
        if (!approveAll && !this.#planned.has(subscriptionKey(agreement))) continue;
        const since = this.#pendingSince.get(agreement.agreementId) ?? nowMs;
        this.#pendingSince.set(agreement.agreementId, since);
        if (nowMs - since >= pollMs) this.#approveLater(owner, agreement.agreementId, agreement.fields, 0);
      }
    }
  }

  #approveLater(owner: DepartmentCode, agreementId: string, fields: readonly string[], delayMs: number): void {
    if (this.#approving.has(agreementId) || this.#stopping.signal.aborted) return;
    this.#approving.add(agreementId);
    const task = this.#approve(owner, agreementId, fields, delayMs).catch((error: unknown) => {
      this.options.logger.error({ err: error, owner, agreementId }, 'approving the agreement failed');
    });
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  async #approve(owner: DepartmentCode, agreementId: string, fields: readonly string[], delayMs: number): Promise<void> {
    const { gateway, logger, clock = systemClock } = this.options;
    const metrics = this.options.metrics ?? noSharingMetrics;
    const signal = this.#stopping.signal;
    await clock.sleep(delayMs, signal);
    if (signal.aborted) return;
    const reply = await gateway.send({ method: 'POST', path: `/v1/agreements/${encodeURIComponent(agreementId)}/approval`, as: owner, body: { approved: true, fields: [...fields], reason: '经审核，同意共享' } }, signal);
    if (reply.kind === 'stopped') return;
    metrics.sharingStep('approve-agreement', reply.kind);
    this.#pendingSince.delete(agreementId);
    if (reply.kind === 'gave-up') {
      this.#approving.delete(agreementId);
      return;
    }
    const status = reply.kind === 'answered' ? agreementAnswerOf(reply.body)?.status : undefined;
    for (const held of this.#byKey.values()) if (held.agreementId === agreementId && status !== undefined) held.status = status;
    if (status !== undefined) logger.info({ owner, agreementId, status, unmaskedFields: fields }, 'approved a request for its data');
  }
}

/** Of one subscription's agreements, the one that counts: granted, else pending, else suspended, else the last listed. */
function bestOf(agreements: readonly AgreementPart[]): AgreementPart | undefined {
  for (const status of ['granted', 'pending', 'suspended']) {
    const found = agreements.find((a) => a.status === status);
    if (found) return found;
  }
  return agreements.at(-1);
}

/** `{agreementId, status}` of a POST /v1/agreements or an approval's answer. */
function agreementAnswerOf(body: unknown): { agreementId: string; status: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const agreementId: unknown = Reflect.get(body, 'agreementId');
  const status: unknown = Reflect.get(body, 'status');
  return typeof agreementId === 'string' && typeof status === 'string' ? { agreementId, status } : undefined;
}
