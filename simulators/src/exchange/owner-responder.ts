import { setMaxListeners } from 'node:events';
import { type DepartmentCode, eventType, isDepartmentCode } from '@hub/schemas';
import type { StepSender } from '../cases/gateway-client.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type DelayDistribution, drawDelay } from '../co-approval.ts';
import type { EmitterLogger } from '../emitter.ts';
import type { Random } from '../random.ts';
import { type SharingMetrics, noSharingMetrics } from './metrics.ts';
import { type CanonicalRecord, type PublishedRecords, valueAt } from './published.ts';

const FORWARDED_SUBJECT = eventType('ExchangeRequested').subject;

/** A data request the hub forwarded to the owner's system (转办), from a webhook delivery; undefined for anything else. */
export function forwardedRequestOf(body: unknown): { requestId: string; owner: string; resource: string; query: Record<string, string> } | undefined {
  if (typeof body !== 'object' || body === null || Reflect.get(body, 'payloadSubject') !== FORWARDED_SUBJECT) return undefined;
  const payload: unknown = Reflect.get(body, 'payload');
  if (typeof payload !== 'object' || payload === null) return undefined;
  const requestId: unknown = Reflect.get(payload, 'requestId');
  const owner: unknown = Reflect.get(payload, 'owner');
  const resource: unknown = Reflect.get(payload, 'resourceCode');
  const query: unknown = Reflect.get(payload, 'query');
  const deadline: unknown = Reflect.get(payload, 'deadline');
  // Without a deadline the hub answered the request itself; the notice is for the owner's records only.
  if (deadline === null || deadline === undefined) return undefined;
  if (typeof requestId !== 'string' || typeof owner !== 'string' || typeof resource !== 'string' || typeof query !== 'object' || query === null) return undefined;
  return { requestId, owner, resource, query: Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) };
}

export interface OwnerResponderOptions {
  readonly gateway: StepSender;
  readonly random: Random;
  readonly logger: EmitterLogger;
  readonly clock?: Clock;
  readonly metrics?: SharingMetrics;
  /** What the owners published: a forwarded question is answered from it. */
  readonly published: PublishedRecords;
  /** How long an owner's system takes to answer. */
  readonly delay: DelayDistribution;
}

/**
 * The owners' systems answering the data requests the hub forwards to them
 * (a resource the hub does not hold): after an answer time, `POST
 * /v1/exchange/requests/{id}/response` with the record of the key among those
 * the department published, or not-found. Never throws.
 */
export class OwnerResponder {
  readonly #pending = new Set<Promise<void>>();
  readonly #stopping = new AbortController();

  constructor(private readonly options: OwnerResponderOptions) {
    setMaxListeners(256, this.#stopping.signal);
  }

  receive(department: string, body: unknown): void {
    const request = forwardedRequestOf(body);
    if (request === undefined || request.owner !== department || !isDepartmentCode(department) || this.#stopping.signal.aborted) return;
    const task = this.#respond(department, request).catch((error: unknown) => {
      this.options.logger.error({ err: error, department, requestId: request.requestId }, 'answering a forwarded data request failed');
    });
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await Promise.all([...this.#pending]);
  }

  async #respond(owner: DepartmentCode, request: { requestId: string; resource: string; query: Record<string, string> }): Promise<void> {
    const { gateway, logger, published, random, delay, clock = systemClock } = this.options;
    const signal = this.#stopping.signal;
    await clock.sleep(drawDelay(delay, random), signal);
    if (signal.aborted) return;
    const record = published.takenBefore(request.resource, Infinity).find((r) => matchesKey(r, request.query));
    const body = record === undefined ? { status: 'not-found' } : { status: 'answered', record };
    const reply = await gateway.send({ method: 'POST', path: `/v1/exchange/requests/${encodeURIComponent(request.requestId)}/response`, as: owner, body }, signal);
    if (reply.kind === 'stopped') return;
    (this.options.metrics ?? noSharingMetrics).sharingStep('answer-forwarded', reply.kind);
    logger.info({ owner, requestId: request.requestId, resource: request.resource, answered: body.status, outcome: reply.kind }, 'answered a data request forwarded to its system');
  }
}

function matchesKey(record: CanonicalRecord, query: Record<string, string>): boolean {
  const fields = Object.keys(query);
  return fields.length > 0 && fields.every((field) => valueAt(record, field) === query[field]);
}
