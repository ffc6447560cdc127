import { maskRecord, UnknownVerifyFieldsError, verifyFields, type FieldTags } from '@hub/router';
import type { DepartmentCode } from '@hub/schemas';
import type { DataRequest, ExchangeDesk, ExchangeOutcome, OwnerResponse, RequestAnswer, RequestView } from '../src/exchange/exchange-desk.ts';

/** A resource of the catalogue as the memory desk holds it. */
export interface MemoryResource {
  owner: DepartmentCode;
  keyFields: readonly string[];
  /** The catalogue's sensitive fields, masked unless the agreement lets them through. */
  taggedFields: readonly FieldTags[];
  /** Streamed into the hub: answered from `records`; else forwarded to the owner's system. */
  records?: ReadonlyArray<Record<string, unknown>>;
}

/** What the owner's system hears of a forwarded request (its deliveries). */
export interface ForwardedRequest {
  requestId: string;
  requester: string;
  owner: string;
  resource: string;
  key: Record<string, string>;
  verifyFields: string[] | null;
}

interface Held {
  question: DataRequest;
  owner: DepartmentCode;
  askedAt: Date;
  answer?: RequestAnswer;
  answeredAt?: Date;
  /** Resolves the forwarded request's call once answered. */
  settle?: (answer: RequestAnswer) => void;
}

export type MemoryExchangeDesk = ExchangeDesk & { forwarded: ForwardedRequest[]; asked: DataRequest[]; failWith?: Error };

/**
 * The router's data requests in memory, for the HTTP contract: a granted
 * agreement (subscriber, resource, unmasked fields) lets a department ask;
 * the router's own `verifyFields` and `maskRecord` answer from the records of
 * a streamed resource; a request on another is held until its owner answers or
 * `deadlineMs` passes. `failWith` makes it throw, as a router out of reach does.
 */
export function memoryExchangeDesk(options: {
  resources: Record<string, MemoryResource>;
  agreements: ReadonlyArray<{ subscriber: DepartmentCode; resource: string; unmaskedFields?: readonly string[] }>;
  deadlineMs?: number;
  now: () => Date;
}): MemoryExchangeDesk {
  const held = new Map<string, Held>();
  let next = 0;

  const invalid = (field: string, reason: string): ExchangeOutcome<never> => ({ ok: false, refusal: { type: 'InvalidRequest', message: 'the data request is not valid', fields: [{ field, reason }] } });

  /** The answer of `record` (undefined: none under the key) to `question`. */
  function answerOf(requestId: string, question: DataRequest, record: Record<string, unknown> | undefined): ExchangeOutcome<RequestAnswer> {
    if (record === undefined) return { ok: true, answer: { requestId, status: 'not-found' } };
    if (question.verify !== undefined) {
      try {
        return { ok: true, answer: { requestId, status: 'answered', matches: verifyFields(record, question.verify) } };
      } catch (error) {
        if (error instanceof UnknownVerifyFieldsError) return invalid(`verify.${error.fields[0] ?? ''}`, error.message);
        throw error;
      }
    }
    const resource = options.resources[question.resource];
    const unmasked = options.agreements.find((a) => a.subscriber === question.requester && a.resource === question.resource)?.unmaskedFields ?? [];
    const { record: masked, maskedFields } = maskRecord(record, resource?.taggedFields ?? [], unmasked);
    return { ok: true, answer: { requestId, status: 'answered', record: masked, maskedFields } };
  }

  const desk: MemoryExchangeDesk = {
    forwarded: [],
    asked: [],
    async ask(question) {
      if (desk.failWith) throw desk.failWith;
      desk.asked.push(question);
      const resource = options.resources[question.resource];
      if (resource === undefined) return invalid('resource', `the catalogue has no resource ${question.resource}`);
      if (resource.owner === question.requester) return invalid('resource', `${question.resource} is ${question.requester}'s own resource`);
      const wrongKey = Object.keys(question.key).find((field) => !resource.keyFields.includes(field)) ?? resource.keyFields.find((field) => !(field in question.key));
      if (wrongKey !== undefined) return invalid(`key.${wrongKey}`, `the key of ${question.resource} is ${resource.keyFields.join(' + ')}`);
      const requestId = `DR-${String(++next).padStart(6, '0')}`;
      const entry: Held = { question, owner: resource.owner, askedAt: options.now() };
      held.set(requestId, entry);
      const finish = (answer: RequestAnswer): RequestAnswer => {
        entry.answer = answer;
        entry.answeredAt = options.now();
        return answer;
      };
      if (!options.agreements.some((a) => a.subscriber === question.requester && a.resource === question.resource)) {
        return { ok: true, answer: finish({ requestId, status: 'refused', reason: `${question.requester} has no granted agreement on ${question.resource}` }) };
      }
      if (resource.records !== undefined) {
        const record = resource.records.find((r) => resource.keyFields.every((field) => String(r[field]) === question.key[field]));
        const outcome = answerOf(requestId, question, record);
        if (!outcome.ok) held.delete(requestId);
        return outcome.ok ? { ok: true, answer: finish(outcome.answer) } : outcome;
      }
      desk.forwarded.push({ requestId, requester: question.requester, owner: resource.owner, resource: question.resource, key: question.key, verifyFields: question.verify === undefined ? null : Object.keys(question.verify) });
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          entry.settle = undefined;
          resolve({ ok: true, answer: finish({ requestId, status: 'timeout', reason: `${resource.owner} did not answer by the deadline` }) });
        }, options.deadlineMs ?? 30_000);
        entry.settle = (answer) => {
          clearTimeout(timer);
          resolve({ ok: true, answer: finish(answer) });
        };
      });
    },
    async respond(requestId, response: OwnerResponse) {
      if (desk.failWith) throw desk.failWith;
      const entry = held.get(requestId);
      if (entry === undefined) return { ok: false, refusal: { type: 'RequestNotFound', message: `no data request ${requestId} has been made` } };
      if (entry.owner !== response.responder) return { ok: false, refusal: { type: 'NotYours', message: `department ${response.responder} does not own the resource of ${requestId}` } };
      if (entry.settle === undefined) return { ok: false, refusal: { type: 'RequestClosed', message: `data request ${requestId} is ${entry.answer?.status ?? 'closed'}` } };
      if (response.status === 'answered' && response.record === undefined) return invalid('record', 'an answer carries the record');
      const outcome = answerOf(requestId, entry.question, response.status === 'answered' ? response.record : undefined);
      if (!outcome.ok) return outcome;
      const settle = entry.settle;
      entry.settle = undefined;
      settle(outcome.answer);
      return { ok: true, answer: { requestId, status: outcome.answer.status } };
    },
    // The router answers any department; the gateway keeps out those that are no party.
    async read(requestId, _department) {
      if (desk.failWith) throw desk.failWith;
      const entry = held.get(requestId);
      if (entry === undefined) return { ok: false, refusal: { type: 'RequestNotFound', message: `no data request ${requestId} has been made` } };
      const view: RequestView = {
        ...(entry.answer ?? { requestId, status: 'forwarded' }),
        requester: entry.question.requester,
        owner: entry.owner,
        resource: entry.question.resource,
        askedAt: entry.askedAt.toISOString(),
        answeredAt: entry.answeredAt?.toISOString() ?? null,
      };
      return { ok: true, answer: view };
    },
  };
  return desk;
}
