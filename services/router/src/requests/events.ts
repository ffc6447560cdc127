import type { ExchangeKind, ExchangeMonitoring, ExchangeRequested, ExchangeResponded, ResponseOutcome } from '@hub/schemas';
import type { DataQuestion, DataRequest, QuestionDecision, RecordData } from './question.ts';

/**
 * What a data request writes, as the schemas have it: ExchangeRequested on
 * exchange.requests, ExchangeResponded on exchange.responses, and one
 * ExchangeMonitoring (交换监测) per exchange on exchange.monitoring, which the
 * audit scribe turns into the audit entry (留痕). Ids are derived from the
 * request id and its step, so a request written twice is seen to be one.
 */

/** The hub, as the responder of what it decides itself (a refusal, a timeout). */
export const HUB = 'hub';

export const requestedEventId = (requestId: string) => `${requestId}:1`;
export const respondedEventId = (requestId: string) => `${requestId}:2`;

export function requestedEvent(question: DataQuestion, context: { owner: string; agreementId: string | null; legalBasis: string | null; deadline: Date | null }): ExchangeRequested {
  return {
    eventId: requestedEventId(question.requestId),
    occurredAt: question.at,
    requestId: question.requestId,
    requester: question.requester,
    owner: context.owner,
    resourceCode: question.resourceCode,
    purpose: question.purpose,
    legalBasis: context.legalBasis ?? '',
    agreementId: context.agreementId,
    kind: 'QUESTION',
    query: { ...question.key },
    fields: [],
    // The names only: the values a verification checks are not kept (核验 reveals nothing).
    verifyFields: question.verify === undefined ? null : Object.keys(question.verify),
    deadline: context.deadline,
  };
}

type Answer = Exclude<QuestionDecision, { type: 'Forwarded' }>;

/** A forwarded request its owner did not answer by the deadline (逾期未答复). */
export type TimedOut = { readonly type: 'TimedOut'; readonly data: { readonly reason: string; readonly agreementId: string | null } };

/** The answer as ExchangeResponded carries it. */
export function respondedEvent(requestId: string, decision: Answer | TimedOut, context: { owner: string; at: Date }): ExchangeResponded {
  const base = { eventId: respondedEventId(requestId), occurredAt: context.at, requestId, forwardedTo: null, answer: null, matches: null, maskedFields: [] as string[], reason: null as string | null };
  switch (decision.type) {
    case 'Answered':
      return { ...base, responder: context.owner, outcome: 'ANSWERED', agreementId: decision.data.agreementId, answer: answerMap(decision.data.record), maskedFields: decision.data.maskedFields };
    case 'Verified':
      return { ...base, responder: context.owner, outcome: 'ANSWERED', agreementId: decision.data.agreementId, matches: decision.data.matches };
    case 'NotFound':
      return { ...base, responder: context.owner, outcome: 'NOT_FOUND', agreementId: decision.data.agreementId };
    case 'Refused':
      return { ...base, responder: HUB, outcome: 'REFUSED', agreementId: decision.data.agreementId, reason: decision.data.message };
    case 'TimedOut':
      return { ...base, responder: HUB, outcome: 'TIMEOUT', agreementId: decision.data.agreementId, reason: decision.data.reason };
    default: {
      const _exhaustive: never = decision;
      return _exhaustive;
    }
  }
}

/**
 * A record as the answer map (map<string,string>) holds it: each top-level
 * field, text as it is, anything else as its JSON (a date as ISO 8601); null
 * fields left out. Already masked: this is what the requester received.
 */
export function answerMap(record: RecordData): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [field, value] of Object.entries(record)) {
    if (value === null || value === undefined) continue;
    map[field] = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  }
  return map;
}

export interface MonitoringContext {
  readonly request: Pick<DataRequest, 'requestId' | 'requester' | 'owner' | 'resourceCode' | 'recordKey'>;
  /** The exchange's step: the forward (ExchangeRequested), or the answer (ExchangeResponded). */
  readonly step: 'forward' | 'answer';
  /** Whether the answer came from the owner's system (a forwarded request), not the hub's state. */
  readonly fromOwner: boolean;
  readonly requestInAt: Date;
  readonly responseOutAt: Date;
  readonly requestSize: number;
  readonly responseSize: number;
}

/** The monitoring record (交换监测) of one exchange of a data request: who asked whom for what, under which agreement, what was masked, how big. */
export function monitoringOf(decision: QuestionDecision | TimedOut, context: MonitoringContext): ExchangeMonitoring {
  const { request } = context;
  const source = context.step === 'forward' ? requestedEventId(request.requestId) : respondedEventId(request.requestId);
  const base = {
    eventId: `${source}:monitoring`,
    occurredAt: context.responseOutAt,
    exchangeId: request.requestId,
    requester: request.requester,
    provider: request.owner,
    resourceCode: request.resourceCode,
    requestId: request.requestId,
    recordKey: request.recordKey,
    sourceEventId: null as string | null,
    maskedFields: [] as string[],
    requestInAt: context.requestInAt,
    responseOutAt: context.responseOutAt,
    requestSize: context.requestSize,
    responseSize: context.responseSize,
    succeeded: true,
    faultCode: null as string | null,
    faultString: null as string | null,
  };
  const kind = (answered: ExchangeKind): ExchangeKind => (context.fromOwner ? 'RESPONSE' : answered);
  switch (decision.type) {
    case 'Answered':
      return { ...base, kind: kind('ANSWER'), agreementId: decision.data.agreementId, sourceEventId: decision.data.sourceEventId, maskedFields: decision.data.maskedFields };
    case 'Verified':
      return { ...base, kind: kind('VERIFICATION'), agreementId: decision.data.agreementId, sourceEventId: decision.data.sourceEventId };
    case 'NotFound':
      return { ...base, kind: 'NOT_FOUND', agreementId: decision.data.agreementId };
    case 'Forwarded':
      return { ...base, kind: 'FORWARD', agreementId: decision.data.agreementId };
    case 'Refused':
      return { ...base, kind: 'REFUSAL', agreementId: decision.data.agreementId, succeeded: false, faultCode: decision.data.reason, faultString: decision.data.message };
    case 'TimedOut':
      return { ...base, kind: 'TIMEOUT', agreementId: decision.data.agreementId, succeeded: false, faultCode: 'timeout', faultString: decision.data.reason };
    default: {
      const _exhaustive: never = decision;
      return _exhaustive;
    }
  }
}

/** The answer status an ExchangeResponded outcome stands for (FORWARDED and GRANTED are no answer to a question). */
export function statusOfOutcome(outcome: ResponseOutcome): 'answered' | 'not-found' | 'refused' | 'timeout' | undefined {
  switch (outcome) {
    case 'ANSWERED':
      return 'answered';
    case 'NOT_FOUND':
      return 'not-found';
    case 'REFUSED':
      return 'refused';
    case 'TIMEOUT':
      return 'timeout';
    case 'FORWARDED':
    case 'GRANTED':
      return undefined;
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}
