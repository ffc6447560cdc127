import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TObject } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CaseView as CaseViewData } from '@hub/router';
import { principalDescription, principalName, type Principal } from '../auth/tokens.ts';
import { errors } from '../errors.ts';
import { withFieldProblems } from '../http/field-problems.ts';
import { authProblems, problemRef } from '../http/schemas.ts';
import { orUnavailable } from '../http/unavailable.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { CaseDesk } from './case-desk.ts';
import { CaseView, StepAnswer } from './case-view.ts';
import { fingerprint } from './case-id.ts';
import { refusalError, withRefusalMember } from './refusals.ts';
import { acceptance, answers, certificate, decision, delivery, fee, payment, resumption, review, suspension, supplements, type CaseStep } from './steps.ts';

const Params = Type.Object({
  caseId: Type.String({ minLength: 1, maxLength: 64, description: 'Case number (办件编号), as POST /v1/cases answered it', examples: ['GW-2B902B9601F87991CD9B'] }),
});

const StepHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'Makes the step safe to retry (after a timeout or a dropped connection): the same key from the same caller with the same request is answered as the first time (Idempotent-Replayed: true) and records nothing more; with another request, 409. Remembered for a day.',
  })),
});

export interface CaseStepRoutesOptions {
  desk: CaseDesk;
  now: () => Date;
  metrics: GatewayMetrics;
}

/**
 * The steps on a submitted case (`POST /v1/cases/{caseId}/<step>`) and the
 * case itself (`GET /v1/cases/{caseId}`), through the router's case
 * aggregate behind the CaseDesk. The gateway settles who may take a step and
 * when it happened (not in the future); whether the case allows it, the
 * aggregate says, and its refusal is answered as problem+json.
 */
export const caseStepRoutes: FastifyPluginAsyncTypebox<CaseStepRoutesOptions> = async (app, { desk, now, metrics }) => {
  withRefusalMember(app);

  // Also called for requests whose parameters were never validated (a 401 comes first), so it reads them defensively.
  const caseIdOf = (request: FastifyRequest): string => {
    const value: unknown = typeof request.params === 'object' && request.params !== null ? Reflect.get(request.params, 'caseId') : undefined;
    return typeof value === 'string' ? value : '?';
  };

  const callerOf = (request: FastifyRequest): Principal => {
    if (request.principal === null) throw new errors.MISSING_TOKEN();
    return request.principal;
  };

  /** Whether `principal` may take `step` at all; who exactly (the co-approver asked, the lead), the case decides. */
  function mayTake(step: CaseStep<TObject>, principal: Principal): void {
    const allowed = step.takenBy === 'window' ? principal.kind === 'window' : step.takenBy === 'department' ? principal.kind === 'department' : principal.kind !== 'operator';
    if (!allowed) throw new errors.FORBIDDEN_STEP(principalDescription(principal), step.verb, `only ${step.who} does`);
  }

  /** The time of the step: the body's, or now; never in the future. */
  function stepTime(text: string | undefined, clock: Date): Date {
    if (text === undefined) return clock;
    const at = new Date(text);
    const reason = Number.isNaN(at.getTime()) ? `${text} is not a time` : at > clock ? `occurredAt ${at.toISOString()} is in the future (the gateway's clock says ${clock.toISOString()})` : undefined;
    if (reason !== undefined) throw withFieldProblems(new errors.INVALID_STEP(), [{ field: 'body.occurredAt', reason }]);
    return at;
  }

  /** The route options of a step: schema, the role check before the body is read, the audit of every refusal. */
  function route<Body extends TObject>(step: CaseStep<Body>) {
    return {
      schema: {
        summary: step.summary,
        description: `${step.description} Taken by ${step.who}. Answers 200 with the case as it stands after the step and the events recorded.`,
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: Params,
        headers: StepHeaders,
        body: step.body,
        response: {
          200: { ...StepAnswer, description: 'The step is recorded: the case after it, and its events on cases.events' },
          400: problemRef,
          404: problemRef,
          409: problemRef,
          ...authProblems,
        },
      },
      onRequest: async (request: FastifyRequest) => {
        mayTake(step, app.authenticate(request));
      },
      onError: app.auditErrors((request) => ({ action: `cases.${step.name}` as const, target: caseIdOf(request) })),
    };
  }

  /** Takes `step` on the case: the command for the body, through the desk, answered with the case after it. */
  async function take<Body extends TObject>(request: FastifyRequest, reply: FastifyReply, step: CaseStep<Body>, caseId: string, body: Static<Body>, occurredAt: string | undefined) {
    const caller = callerOf(request);
    const at = { caseId, occurredAt: stepTime(occurredAt, now()) };
    if (step.takenBy === 'window-or-lead' && caller.kind === 'department') {
      const view = await orUnavailable(() => desk.read(caseId, at.occurredAt));
      if (view === undefined) throw new errors.UNKNOWN_CASE(caseId);
      if (view.leadDepartment !== caller.department) throw new errors.FORBIDDEN_STEP(principalDescription(caller), step.verb, `only a service-centre window or the case's lead department (${view.leadDepartment ?? 'none before acceptance'}) does`);
    }
    const key = request.headers['idempotency-key'];
    const idempotency = typeof key === 'string' ? { owner: principalName(caller), key, fingerprint: fingerprint({ step: step.name, caseId, body }) } : undefined;
    const outcome = await orUnavailable(() => desk.step(step.command(body, at, principalName(caller)), idempotency));
    metrics.caseSteps.inc({ step: step.name, outcome: outcome.ok ? 'committed' : 'refused' });
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    if (!outcome.ok) {
      if (outcome.refusal.type === 'IdempotencyKeyReused') throw new errors.IDEMPOTENCY_KEY_REUSED(key ?? '');
      throw refusalError(outcome.refusal, caseId, Object.keys(step.body.properties));
    }
    await app.auditAccepted(request, { action: `cases.${step.name}`, target: caseId }, { status: 200, caseId, eventIds: outcome.events.map((event) => event.eventId) });
    return { case: outcome.case, events: outcome.events };
  }

  app.post('/v1/cases/:caseId/acceptance', route(acceptance), async (request, reply) =>
    reply.code(200).send(await take(request, reply, acceptance, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/answers', route(answers), async (request, reply) =>
    reply.code(200).send(await take(request, reply, answers, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/supplements', route(supplements), async (request, reply) =>
    reply.code(200).send(await take(request, reply, supplements, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/decision', route(decision), async (request, reply) =>
    reply.code(200).send(await take(request, reply, decision, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/suspension', route(suspension), async (request, reply) =>
    reply.code(200).send(await take(request, reply, suspension, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/resumption', route(resumption), async (request, reply) =>
    reply.code(200).send(await take(request, reply, resumption, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/fee', route(fee), async (request, reply) =>
    reply.code(200).send(await take(request, reply, fee, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/payment', route(payment), async (request, reply) =>
    reply.code(200).send(await take(request, reply, payment, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/certificate', route(certificate), async (request, reply) =>
    reply.code(200).send(await take(request, reply, certificate, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/delivery', route(delivery), async (request, reply) =>
    reply.code(200).send(await take(request, reply, delivery, request.params.caseId, request.body, request.body.occurredAt)));
  app.post('/v1/cases/:caseId/review', route(review), async (request, reply) =>
    reply.code(200).send(await take(request, reply, review, request.params.caseId, request.body, request.body.occurredAt)));

  /** The windows and the operator see every case; a department, the cases it leads or has been asked to co-approve. */
  const mayRead = (principal: Principal, view: CaseViewData): boolean =>
    principal.kind !== 'department' || view.leadDepartment === principal.department || view.tasks.some((task) => task.department === principal.department);

  app.get('/v1/cases/:caseId', {
    schema: {
      summary: 'Read a case: its status, time limits, co-approval tasks and history',
      description: 'The case as of today (Asia/Shanghai): promised (承诺) and legal (法定) due dates moved by its suspensions, working days used, each co-approval task with its due date, and every event. Read by the windows, the operator, the lead department and the departments asked to co-approve it.',
      tags: ['cases'],
      security: [{ bearer: [] }],
      params: Params,
      response: { 200: { ...CaseView, description: 'The case' }, 404: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
    onError: app.auditErrors((request) => ({ action: 'cases.read', target: caseIdOf(request) })),
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { caseId } = request.params;
    const view = await orUnavailable(() => desk.read(caseId, now()));
    if (view === undefined) throw new errors.UNKNOWN_CASE(caseId);
    if (!mayRead(caller, view)) throw new errors.FORBIDDEN_CASE(principalDescription(caller), caseId);
    await app.auditAccepted(request, { action: 'cases.read', target: caseId }, { status: 200, caseId });
    return reply.code(200).send(view);
  });
};
