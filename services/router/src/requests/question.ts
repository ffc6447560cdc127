import type { Message } from '@hub/decider';
import type { DeliveryRefusalReason } from '../exchange/access.ts';

/**
 * A data request (数据共享申请): a department's one-off question about one
 * record of another department's resource, answered from the hub's state or
 * by the owner's system, under the same agreements and masks as a delivery.
 */
export interface DataQuestion {
  readonly requestId: string;
  readonly requester: string;
  readonly resourceCode: string;
  /** The record's key fields and their values (查询条件). */
  readonly key: Readonly<Record<string, string>>;
  /** What the answer is for (使用用途). */
  readonly purpose: string;
  /** For a verification (核验): the values to check, by field; the answer is then only whether each matches. */
  readonly verify?: Readonly<Record<string, string>>;
  /** When it reached the hub. */
  readonly at: Date;
}

/** A record as the decision reads it: the decoded latest record of the key (or the owner's), with its id and division when it has them. */
export type RecordData = Readonly<Record<string, unknown>> & { readonly eventId?: unknown; readonly divisionCode?: unknown };

/** Why a question gets no record: the access decision's reasons, and a record whose sensitive values cannot be masked (fail closed). */
export type RefusalReason = DeliveryRefusalReason | 'unmaskable';

/**
 * What the hub does with a question, or with an owner's answer to one:
 * `{ type, data }`, each mapped by the service onto ExchangeResponded,
 * ExchangeMonitoring and (a refusal, a forward) a delivery to the owner.
 */
export type QuestionDecision =
  | Message<'Answered', { agreementId: string; record: RecordData; maskedFields: string[]; sourceEventId: string | null }>
  | Message<'Verified', { agreementId: string; matches: Record<string, boolean>; sourceEventId: string | null }>
  | Message<'NotFound', { agreementId: string }>
  | Message<'Refused', { agreementId: string | null; reason: RefusalReason; message: string }>
  /** Not streamed into the hub: asked of the owner's system, to be answered by `deadline`. */
  | Message<'Forwarded', { agreementId: string; deadline: Date }>;

export type AnswerStatus = 'answered' | 'not-found' | 'refused' | 'timeout';

/** A request as the hub keeps it (the router's file, rebuilt from exchange.requests and exchange.responses). */
export interface DataRequest {
  readonly requestId: string;
  readonly requester: string;
  readonly owner: string;
  readonly resourceCode: string;
  readonly askedAt: Date;
  /** A forwarded request's deadline; null for one the hub answered at once. */
  readonly deadline: Date | null;
  readonly agreementId: string | null;
  /** The record's key, as the Kafka key joins it (记录主键). */
  readonly recordKey: string;
  /** The fields a verification checks; null for a question that reads the record. */
  readonly verifyFields: readonly string[] | null;
  readonly status: 'pending' | AnswerStatus;
  readonly answeredAt: Date | null;
  /** The answer as the requester got it (absent while pending). */
  readonly answer: RequestAnswer | null;
}

/** The answer to a data request, as the routes give it. */
export interface RequestAnswer {
  readonly requestId: string;
  readonly status: AnswerStatus;
  readonly record?: RecordData;
  readonly maskedFields?: string[];
  readonly matches?: Readonly<Record<string, boolean>>;
  readonly reason?: string;
}

/** The owner's system answers a forwarded question (提供部门答复). */
export interface OwnerResponse {
  readonly responder: string;
  readonly status: 'answered' | 'not-found';
  readonly record?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly at: Date;
}
