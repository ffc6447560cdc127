import type { Message } from '@hub/decider';
import { decideDelivery, maskForDelivery, type DeliveryAgreement, type DeliveryDecision, type SharedResource } from '../exchange/access.ts';
import { UnmaskableValueError } from '../exchange/masking.ts';
import { UnknownVerifyFieldsError, verifyFields } from '../exchange/verify.ts';
import type { AnswerStatus, DataQuestion, DataRequest, OwnerResponse, QuestionDecision, RecordData, RequestAnswer } from './question.ts';
import { strayFields, type FieldProblem, type ResourceShape } from './shape.ts';

/**
 * Data requests (数据共享申请): who gets what answer to a one-off question.
 * Pure: the catalogue resource, the requester's agreements, the record and
 * the time come in; the service reads the store, writes the events and
 * answers. The access rules and the masks are the deliveries' own
 * (`decideDelivery`, `maskForDelivery`), so a question never shows more of a
 * record than a subscription to it would.
 */
export interface QuestionInput {
  readonly question: DataQuestion;
  readonly resource: SharedResource;
  /**
   * The requester's agreements on the resource, the one to try first first
   * (the service puts the granted ones first, the latest grant first). The
   * first that lets the record go answers; when none does, the first one's
   * refusal is the answer.
   */
  readonly agreements: readonly DeliveryAgreement[];
  /**
   * The latest record of the key: `undefined` when the hub has none; the
   * string `not-streamed` when the resource's records do not come through the
   * hub, so the owner's system is asked.
   */
  readonly record: RecordData | undefined | 'not-streamed';
  /** How long the owner's system has to answer a forwarded question. */
  readonly deadlineMs: number;
}

export function decideQuestion({ question, resource, agreements, record, deadlineMs }: QuestionInput): QuestionDecision {
  // Everything but the record's division first: who may ask, whatever the record holds.
  const access = decideAccess(question.requester, resource, agreements, undefined);
  if (!access.deliver) return access.refusal;
  if (record === 'not-streamed') return { type: 'Forwarded', data: { agreementId: access.decision.agreementId, deadline: new Date(question.at.getTime() + deadlineMs) } };
  if (record === undefined) return { type: 'NotFound', data: { agreementId: access.decision.agreementId } };
  return answerWith(question.requester, question.verify, resource, agreements, record);
}

/**
 * The answer a record gives: the record masked as a delivery under the
 * agreement is, or for a verification (核验) only whether each value given
 * matches the unmasked record (`verifyFields`), and no field of it.
 */
export function answerWith(
  requester: string,
  verify: Readonly<Record<string, string>> | undefined,
  resource: SharedResource,
  agreements: readonly DeliveryAgreement[],
  record: RecordData,
): QuestionDecision {
  const access = decideAccess(requester, resource, agreements, divisionOf(record));
  if (!access.deliver) return access.refusal;
  const { decision } = access;
  const sourceEventId = typeof record.eventId === 'string' ? record.eventId : null;
  if (verify !== undefined) return { type: 'Verified', data: { agreementId: decision.agreementId, matches: matchesOf(record, verify), sourceEventId } };
  try {
    const masked = maskForDelivery(record, resource, decision);
    return { type: 'Answered', data: { agreementId: decision.agreementId, record: masked.record, maskedFields: [...masked.maskedFields], sourceEventId } };
  } catch (error) {
    if (!(error instanceof UnmaskableValueError)) throw error;
    // Fail closed, as a delivery does: a sensitive value that cannot be masked does not leave.
    return { type: 'Refused', data: { agreementId: decision.agreementId, reason: 'unmaskable', message: `the record of ${resource.resourceCode} holds a sensitive value that cannot be masked (${error.path}); it is not answered` } };
  }
}

/** Whether each value given is the record's; a field this record lacks (an older schema version) does not match. */
function matchesOf(record: RecordData, verify: Readonly<Record<string, string>>): Record<string, boolean> {
  try {
    return verifyFields(record, verify);
  } catch (error) {
    if (!(error instanceof UnknownVerifyFieldsError)) throw error;
    const lacking = new Set(error.fields);
    const known = Object.fromEntries(Object.entries(verify).filter(([field]) => !lacking.has(field)));
    const matches = Object.keys(known).length === 0 ? {} : verifyFields(record, known);
    return Object.fromEntries(Object.keys(verify).map((field) => [field, matches[field] ?? false]));
  }
}

type Access =
  | { deliver: true; decision: Extract<DeliveryDecision, { deliver: true }> }
  | { deliver: false; refusal: Extract<QuestionDecision, { type: 'Refused' }> };

/**
 * `decideDelivery` over the requester's agreements in order. Without a
 * division (`undefined`: the record is not read yet) the region is not
 * checked; it is once the record is there.
 */
function decideAccess(requester: string, resource: SharedResource, agreements: readonly DeliveryAgreement[], division: string | null | undefined): Access {
  const regionUnknown = division === undefined;
  let first: Extract<DeliveryDecision, { deliver: false }> | undefined;
  let firstAgreement: string | null = null;
  for (const agreement of agreements.length === 0 ? [undefined] : agreements) {
    const checked = agreement !== undefined && regionUnknown ? { ...agreement, divisionPrefix: null } : agreement;
    const decision = decideDelivery({ resource, recipient: requester, agreement: checked, divisionCode: division });
    if (decision.deliver) return { deliver: true, decision };
    if (first === undefined) {
      first = decision;
      firstAgreement = agreement?.agreementId ?? null;
    }
  }
  const refusal = first!;
  // A refusal for want of an agreement names none; the others name the agreement they looked at.
  const agreementId = refusal.reason === 'no-agreement' || refusal.reason === 'not-shared' || refusal.reason === 'own-resource' ? null : firstAgreement;
  return { deliver: false, refusal: { type: 'Refused', data: { agreementId, reason: refusal.reason, message: refusal.message } } };
}

function divisionOf(record: RecordData): string | null {
  return typeof record.divisionCode === 'string' ? record.divisionCode : null;
}

/** Why an owner's answer to a forwarded question is not taken. */
export type ResponseRefusal =
  | Message<'NotOwner', { message: string }>
  | Message<'AlreadyAnswered', { status: AnswerStatus; message: string }>
  | Message<'NotForwarded', { message: string }>
  /** The deadline has passed and the hub has not said so yet: it times the request out now (and refuses the answer). */
  | Message<'Overdue', { message: string }>
  | Message<'InvalidResponse', { problems: FieldProblem[] }>;

export interface ResponseInput {
  readonly request: DataRequest;
  readonly response: OwnerResponse;
  readonly resource: SharedResource;
  readonly shape: ResourceShape;
  /** The requester's agreements on the resource now, as for a question (a revocation meanwhile refuses the answer). */
  readonly agreements: readonly DeliveryAgreement[];
  /**
   * A verification's values, as the router that took the question kept them;
   * null when they are not held here (the question came through another
   * router, or its file was lost): the answer then says so and shows nothing.
   */
  readonly verify: Readonly<Record<string, string>> | null;
}

export type ResponseDecision = { ok: true; decision: Exclude<QuestionDecision, { type: 'Forwarded' }> } | { ok: false; refusal: ResponseRefusal };

/** The owner's system answers a question forwarded to it: the answer the requester gets, or why the owner's answer is not taken. */
export function decideResponse({ request, response, resource, shape, agreements, verify }: ResponseInput): ResponseDecision {
  const fail = (refusal: ResponseRefusal): ResponseDecision => ({ ok: false, refusal });
  if (response.responder !== request.owner) return fail({ type: 'NotOwner', data: { message: `request ${request.requestId} is for ${request.owner}, the owner of ${request.resourceCode}, to answer; not for ${response.responder}` } });
  if (request.status !== 'pending') return fail({ type: 'AlreadyAnswered', data: { status: request.status, message: `request ${request.requestId} is ${request.status === 'timeout' ? 'timed out' : 'answered'} already (${request.status})` } });
  if (request.deadline === null) return fail({ type: 'NotForwarded', data: { message: `request ${request.requestId} was answered by the hub, not forwarded to ${request.owner}` } });
  if (response.at.getTime() >= request.deadline.getTime()) return fail({ type: 'Overdue', data: { message: `request ${request.requestId} had to be answered by ${request.deadline.toISOString()}` } });
  const agreementId = request.agreementId ?? '';
  if (response.status === 'not-found') return { ok: true, decision: { type: 'NotFound', data: { agreementId } } };
  if (response.record === undefined) return fail({ type: 'InvalidResponse', data: { problems: [{ field: 'record', message: 'an answered request carries the record' }] } });
  const stray = strayFields(shape, response.record);
  if (stray.length > 0) return fail({ type: 'InvalidResponse', data: { problems: stray } });
  if (request.verifyFields !== null && verify === null) {
    return { ok: true, decision: { type: 'Verified', data: { agreementId, matches: {}, sourceEventId: null } } };
  }
  const decision = answerWith(request.requester, request.verifyFields === null ? undefined : (verify ?? {}), resource, agreements, response.record);
  if (decision.type === 'Forwarded') throw new Error('unreachable: an answer with a record is never forwarded');
  return { ok: true, decision };
}

/** Whether a forwarded request has run out of time at `at` (逾期未答复). */
export function isOverdue(request: DataRequest, at: Date): boolean {
  return request.status === 'pending' && request.deadline !== null && at.getTime() >= request.deadline.getTime();
}

/** The answer the requester gets for a decision (a forward has none yet). */
export function answerOf(requestId: string, decision: Exclude<QuestionDecision, { type: 'Forwarded' }>): RequestAnswer {
  switch (decision.type) {
    case 'Answered':
      return { requestId, status: 'answered', record: decision.data.record, maskedFields: decision.data.maskedFields };
    case 'Verified':
      return { requestId, status: 'answered', matches: decision.data.matches, ...(Object.keys(decision.data.matches).length === 0 ? { reason: VALUES_NOT_HELD } : {}) };
    case 'NotFound':
      return { requestId, status: 'not-found' };
    case 'Refused':
      return { requestId, status: 'refused', reason: decision.data.message };
    default: {
      const _exhaustive: never = decision;
      return _exhaustive;
    }
  }
}

/** What a verification answered without its values says (the router that kept them is not this one). */
export const VALUES_NOT_HELD = 'the values to verify are not held by this router (the question came through another one, or its file was lost): nothing is verified';

/** The answer of a request the owner did not answer in time. */
export function timeoutAnswer(request: DataRequest): RequestAnswer {
  return { requestId: request.requestId, status: 'timeout', reason: `${request.owner} did not answer by ${request.deadline?.toISOString() ?? 'its deadline'}` };
}
