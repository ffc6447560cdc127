import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { errors } from '../errors.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { authProblems, problemRef } from '../http/schemas.ts';
import { withFieldProblems } from '../http/field-problems.ts';
import { principalName } from '../auth/tokens.ts';
import type { CaseLog } from './case-log.ts';
import { fingerprint } from './case-id.ts';
import { CaseAccepted, CaseSubmission } from './submission.ts';
import { validateSubmission } from './validate.ts';

const Headers = Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'Makes the submission safe to retry: the same key (from the same caller) always yields the same case, and CaseSubmitted is published once',
  })),
});

const subject = () => ({ action: 'cases.submit' as const, target: 'cases' });

/** POST /v1/cases: a service-centre window submits an application (一窗受理). */
export const caseRoutes: FastifyPluginAsyncTypebox<{ cases: CaseLog; now: () => Date; metrics: GatewayMetrics }> = async (app, { cases, now, metrics }) => {
  app.post('/v1/cases', {
    schema: {
      summary: 'Submit a case at a service-centre window',
      description: 'Validates the applicant (ID number or credit code check), the division code and the documents, and publishes CaseSubmitted on cases.events (key = caseId). Answers 201 after the commit. With an Idempotency-Key a retry returns the same case and publishes nothing more. `submittedAt` records a case taken earlier (not in the future). Tokens: the window token or any department\'s (not the operator\'s).',
      tags: ['cases'],
      security: [{ bearer: [] }],
      headers: Headers,
      body: CaseSubmission,
      response: {
        201: { ...CaseAccepted, description: 'The case and its CaseSubmitted event id; Location names the case' },
        400: problemRef,
        409: problemRef,
        ...authProblems,
      },
    },
    onRequest: async (request) => {
      // The operator keeps the item table; applications come through the windows and the departments' systems.
      if (app.authenticate(request).kind === 'operator') throw new errors.FORBIDDEN_CASES('the operator');
    },
    onError: app.auditErrors(subject),
  }, async (request, reply) => {
    const principal = request.principal;
    if (principal === null) throw new errors.MISSING_TOKEN();
    const checked = validateSubmission(request.body, now());
    if (!checked.ok) {
      throw withFieldProblems(new errors.INVALID_CASE(), checked.problems);
    }
    const key = request.headers['idempotency-key'];
    let outcome;
    try {
      outcome = await cases.submit({
        content: checked.content,
        ...(key === undefined ? {} : { idempotency: { owner: principalName(principal), key, fingerprint: fingerprint(request.body) } }),
      });
    } catch (error) {
      throw Object.assign(new errors.UNAVAILABLE(), { cause: error });
    }
    metrics.cases.inc({ outcome: outcome.kind });
    if (outcome.kind === 'conflict') throw new errors.IDEMPOTENCY_KEY_REUSED(key ?? '');
    await app.auditAccepted(request, subject(), { status: 201, caseId: outcome.caseId, eventId: outcome.eventId });
    if (outcome.kind === 'replayed') void reply.header('idempotent-replayed', 'true');
    return reply
      .code(201)
      .header('location', `/v1/cases/${encodeURIComponent(outcome.caseId)}`)
      .send({ caseId: outcome.caseId, eventId: outcome.eventId });
  });
};
