import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

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
  /** The authenticated department or `window`; null when the token was missing or unknown. */
  actor: string | null;
  action: 'records.push' | 'cases.submit';
  /** `<dept>.<resource>` for a push, `cases` for a submission. */
  target: string;
  /** refused: the caller's fault (4xx); failed: the hub's (5xx). */
  outcome: 'accepted' | 'refused' | 'failed';
  status: number;
  /** For a refusal: the error code and its message. */
  reason?: { code: string; detail: string };
  /** For an accepted push. */
  records?: { received: number; accepted: number; duplicates: number; rejected: number };
  /** For an accepted submission. */
  caseId?: string;
  eventId?: string;
  remoteAddress: string;
  userAgent: string | null;
}

/** The audit port: record an event durably (acks=all) before the caller is answered. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}

export function auditEvent(
  request: FastifyRequest,
  now: Date,
  fields: Pick<AuditEvent, 'actor' | 'action' | 'target' | 'outcome' | 'status'> & Partial<Pick<AuditEvent, 'reason' | 'records' | 'caseId' | 'eventId'>>,
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
