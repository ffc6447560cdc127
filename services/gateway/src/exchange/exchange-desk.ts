import type { DepartmentCode } from '@hub/schemas';
import type { FieldProblem } from '../http/field-problems.ts';

/** How a data request ended: the record (or the matches of a verification), none under that key, refused (no agreement …), or the owner's system did not answer by the deadline. */
export type RequestStatus = 'answered' | 'not-found' | 'refused' | 'timeout';

/** A one-off data request (数据查询 / 核验) a department asks of a resource of another. */
export interface DataRequest {
  /** The department asking: the authenticated one, never taken from the body. */
  requester: DepartmentCode;
  /** Resource code of the catalogue, e.g. ps.resident-identity. */
  resource: string;
  /** The record asked about, by the resource's key fields, e.g. {idNumber: "…"}. */
  key: Record<string, string>;
  /** What the answer is for (使用用途). */
  purpose: string;
  /** For a verification (核验): the values to check; the answer is then only `matches`. */
  verify?: Record<string, string>;
}

/** The answer to a data request, as the requester gets it. */
export interface RequestAnswer {
  requestId: string;
  status: RequestStatus;
  /** The record, masked as the agreement says (`status` answered, no `verify`). */
  record?: Record<string, unknown>;
  maskedFields?: string[];
  /** For a verification: whether each given value is the one the record holds, by field. */
  matches?: Record<string, boolean>;
  /** Why it was refused, or what the owner said. */
  reason?: string;
}

/** The owner's system answers a request forwarded to it. */
export interface OwnerResponse {
  /** The department answering: the authenticated one. */
  responder: DepartmentCode;
  status: 'answered' | 'not-found';
  record?: Record<string, unknown>;
  reason?: string;
}

/** A data request as its requester or its owner reads it later. */
export interface RequestView extends Omit<RequestAnswer, 'status'> {
  /** One of RequestStatus, or the router's word for a request still waiting for the owner's system. */
  status: string;
  requester: string;
  owner: string;
  resource: string;
  askedAt: string;
  answeredAt?: string | null;
}

/**
 * Why the router did not take a request or a response; nothing was recorded.
 * Fields are named from the body's root (`key.idNumber`, `verify.name`, `record`).
 */
export type ExchangeRefusal =
  | { type: 'InvalidRequest'; message: string; fields: FieldProblem[] }
  /** The caller is not the owner the request was forwarded to (a response), or not a party to it (a read). */
  | { type: 'NotYours'; message: string }
  | { type: 'RequestNotFound'; message: string }
  | { type: 'RequestClosed'; message: string };

export type ExchangeOutcome<T> = { ok: true; answer: T } | { ok: false; refusal: ExchangeRefusal };

/**
 * The port behind `/v1/exchange/requests`: the router's data requests
 * (数据共享申请). A request on a resource the hub holds is answered at once;
 * one on a resource that is not streamed into the hub is forwarded to its
 * owner's system and `ask` resolves when the owner answers or its deadline
 * passes. A desk that cannot reach the router throws (503 with Retry-After).
 */
export interface ExchangeDesk {
  ask(request: DataRequest): Promise<ExchangeOutcome<RequestAnswer>>;
  respond(requestId: string, response: OwnerResponse): Promise<ExchangeOutcome<{ requestId: string; status: string }>>;
  /** The request as `department`, its requester or its owner, sees it. */
  read(requestId: string, department: DepartmentCode): Promise<ExchangeOutcome<RequestView>>;
}
