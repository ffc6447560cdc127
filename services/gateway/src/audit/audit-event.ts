import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CaseStepName } from '../cases/steps.ts';

/**
 * One line of the gateway's audit trail (审计日志) on `audit.gateway`: who did
 * what to which resource, when, and how it ended. JSON, keyed by the actor, so
 * one department's trail stays in order in one partition.
 */
export interface AuditEvent {
  auditId: string;
  /** ISO time of the decision. */
  at: string;
  /** The request id, as in the gateway's log lines and the problem's `instance`. */
  requestId: string;
  /** The authenticated department, `window` or `operator`; null when the token was missing or unknown. */
  actor: string | null;
  /** `cases.<step>` is a step on a case, named as its path is (`cases.acceptance`, `cases.answers` …). */
  action: 'records.push' | 'cases.submit' | `cases.${CaseStepName}` | 'cases.read' | 'items.define' | 'items.list' | 'agreements.request' | 'agreements.approval' | 'agreements.revoke' | 'exchange.request' | 'exchange.response' | 'exchange.read';
  /** `<dept>.<resource>` for a push, `cases` for a submission, the case id for a step or a read, the item code for a definition, `items` for the list, the request id for a data request (the resource code when it was refused before it had one). */
  target: string;
  /** refused: the caller's fault (4xx); failed: the hub's (5xx). */
  outcome: 'accepted' | 'refused' | 'failed';
  status: number;
  /** For a refusal: the error code and its message. */
  reason?: { code: string; detail: string };
  /** For an accepted push. */
  records?: { received: number; accepted: number; duplicates: number; rejected: number };
  /** For an accepted submission or step. */
  caseId?: string;
  /** The submission's CaseSubmitted. */
  eventId?: string;
  /** The events a step recorded, in order (an acceptance records CaseAccepted and the co-approval requests). */
  eventIds?: string[];
  /** For a definition: the item's version after it (unchanged when the same definition was sent again). */
  itemVersion?: number;
  /** For a data request, its answer and a response: answered, not-found, refused, timeout. No value of the record or the question. */
  exchangeStatus?: string;
  remoteAddress: string;
  userAgent: string | null;
}

/** What an accepted request may add to its audit line. */
export type AcceptedDetail = 'records' | 'caseId' | 'eventId' | 'eventIds' | 'itemVersion' | 'exchangeStatus';

/** The audit port: record an event durably (acks=all) before the caller is answered. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}

export function auditEvent(
  request: FastifyRequest,
  now: Date,
  fields: Pick<AuditEvent, 'actor' | 'action' | 'target' | 'outcome' | 'status'> & Partial<Pick<AuditEvent, 'reason' | AcceptedDetail>>,
): AuditEvent {
  return {
    auditId: randomUUID(),
    at: now.toISOString(),
    requestId: String(request.id),
    ...fields,
    remoteAddress: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
