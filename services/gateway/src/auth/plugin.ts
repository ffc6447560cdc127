import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { auditEvent, type AcceptedDetail, type AuditEvent, type AuditLog } from '../audit/audit-event.ts';
import { errors } from '../errors.ts';
import { bearerToken, principalName, type Principal, type TokenTable } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`; null before. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** The audit trail (audit.gateway). */
    audit: AuditLog;
    /** Who holds the request's bearer token; throws 401 for a missing or unknown one. */
    authenticate(request: FastifyRequest): Principal;
    /**
     * An onError hook for an audited route: every refusal (401, 403, 404, 413, 400 …)
     * and failure is written to the audit trail before the problem is answered.
     */
    auditErrors(subject: (request: FastifyRequest) => AuditSubject): (request: FastifyRequest, reply: FastifyReply, error: FastifyError) => Promise<void>;
    /** Records an accepted request in the audit trail. */
    auditAccepted(request: FastifyRequest, subject: AuditSubject, details: Partial<Pick<AuditEvent, AcceptedDetail>> & { status: number }): Promise<void>;
  }
}

export interface AuditSubject {
  action: AuditEvent['action'];
  target: string;
}

/**
 * Bearer-token authentication and the audit trail of every decision made on
 * it. An audit line that cannot be written is logged in full at error level
 * (the log is the second copy) and does not change the answer: a refusal stays
 * a refusal, and accepted records are already in Kafka.
 */
export const authPlugin = fp<{ tokens: TokenTable; audit: AuditLog; now: () => Date }>(
  async (app, { tokens, audit, now }) => {
    app.decorateRequest('principal', null);
    app.decorate('audit', audit);

    async function write(request: FastifyRequest, event: AuditEvent): Promise<void> {
      try {
        await audit.record(event);
      } catch (error) {
        request.log.error({ err: error, audit: event }, 'could not write the audit trail; this log line is the record');
        return;
      }
      request.log.info({ audit: event }, `${event.action} ${event.target} by ${event.actor ?? 'unauthenticated caller'}: ${event.outcome} (${event.status}), audited`);
    }

    const actorOf = (request: FastifyRequest) => (request.principal ? principalName(request.principal) : null);

    app.decorate('authenticate', (request: FastifyRequest) => {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) throw new errors.MISSING_TOKEN();
      const principal = tokens.identify(token);
      if (principal === undefined) throw new errors.INVALID_TOKEN();
      request.principal = principal;
      return principal;
    });

    app.decorate('auditErrors', (subject: (request: FastifyRequest) => AuditSubject) =>
      async (request: FastifyRequest, _reply: FastifyReply, error: FastifyError) => {
        const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
        await write(request, auditEvent(request, now(), {
          actor: actorOf(request),
          ...subject(request),
          outcome: status >= 500 ? 'failed' : 'refused',
          status,
          reason: { code: error.validation ? 'VALIDATION' : (error.code ?? 'ERROR'), detail: status >= 500 ? 'internal error' : error.message },
        }));
      });

    app.decorate('auditAccepted', async (request: FastifyRequest, subject: AuditSubject, details: Partial<Pick<AuditEvent, AcceptedDetail>> & { status: number }) => {
      await write(request, auditEvent(request, now(), { actor: actorOf(request), ...subject, outcome: 'accepted', ...details }));
    });
  },
  { name: 'gateway-auth', fastify: '5.x' },
);
