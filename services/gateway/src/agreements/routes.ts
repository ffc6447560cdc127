import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { AgreementRefusal, AgreementView as AgreementViewData } from '@hub/router';
import { principalDescription, type Principal } from '../auth/tokens.ts';
import { errors } from '../errors.ts';
import { withFieldProblems } from '../http/field-problems.ts';
import { authProblems, problemRef } from '../http/schemas.ts';
import { orUnavailable } from '../http/unavailable.ts';
import { withRefusalMember } from '../cases/refusals.ts';
import type { AgreementDesk, ResourceLookup } from './agreement-desk.ts';
import { AgreementList, AgreementParams, AgreementRequestBody, AgreementView, ApprovalBody, ListQuery, RequestAnswer } from './schemas.ts';

export interface AgreementRoutesOptions {
  desk: AgreementDesk;
  resources: ResourceLookup;
  now: () => Date;
}

/** The router's view as the response schema takes it (its arrays are read-only there). */
const shown = (view: AgreementViewData) => ({ ...view, fields: [...view.fields], unmaskedFields: [...view.unmaskedFields], history: view.history.map((entry) => ({ ...entry })) });

/** Refusals of a department acting on an agreement that is not its to act on. */
const notYours = new Set(['NotOwner', 'NotParty']);

/** The aggregate's refusal as problem+json: 400 naming the body's field, 403, 404, else 409; the refusal's type in `refusal`. */
function refusalError(refusal: AgreementRefusal, agreementId: string, bodyFields: readonly string[]): FastifyError {
  const { type, message, field } = refusal;
  let error: FastifyError;
  if (type === 'AgreementNotFound') error = new errors.UNKNOWN_AGREEMENT(agreementId);
  else if (notYours.has(type)) error = new errors.NOT_YOUR_AGREEMENT(message);
  else if (field !== undefined && bodyFields.includes(field)) error = withFieldProblems(new errors.INVALID_AGREEMENT(), [{ field: `body.${field}`, reason: message }]);
  else error = new errors.AGREEMENT_REFUSED(message);
  return Object.assign(error, { refusal: type });
}

/**
 * Sharing agreements (共享协议): a department asks for a resource of the
 * catalogue (`POST /v1/agreements`), its owner answers (`/approval`), either
 * ends it (`DELETE`), the parties and the operator read it. The sharing
 * condition is the catalog's at the time of the request.
 */
export const agreementRoutes: FastifyPluginAsyncTypebox<AgreementRoutesOptions> = async (app, { desk, resources, now }) => {
  withRefusalMember(app);
  const idOf = (request: FastifyRequest): string => {
    const value: unknown = typeof request.params === 'object' && request.params !== null ? Reflect.get(request.params, 'agreementId') : undefined;
    return typeof value === 'string' ? value : 'agreements';
  };
  const department = (request: FastifyRequest, verb: string): string => {
    const caller: Principal | null = request.principal;
    if (caller === null) throw new errors.MISSING_TOKEN();
    if (caller.kind !== 'department') throw new errors.FORBIDDEN_AGREEMENT(principalDescription(caller), verb);
    return caller.department;
  };
  const mayRead = (caller: Principal, view: AgreementViewData) => caller.kind === 'operator' || (caller.kind === 'department' && (view.subscriber === caller.department || view.owner === caller.department));

  app.post('/v1/agreements', {
    schema: {
      summary: 'Ask for a resource under a sharing agreement (共享申请)',
      description: 'The subscriber\'s token. An unconditional resource is granted at once; a conditional one is pending until its owner answers (10 working days, 国发〔2016〕51号; supervision warns the owner); a not-shared one is refused with the reason. Asking for your own resource, or one the catalog does not know, is 400 naming `resource`.',
      tags: ['agreements'],
      security: [{ bearer: [] }],
      body: AgreementRequestBody,
      response: { 201: { ...RequestAnswer, description: 'The agreement and its status; Location names it' }, 400: problemRef, 409: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
    onError: app.auditErrors(() => ({ action: 'agreements.request', target: 'agreements' })),
  }, async (request, reply) => {
    const subscriber = department(request, 'ask for shared data');
    const { resource: resourceCode, purpose, legalBasis, fields, divisionPrefix, snapshot } = request.body;
    const resource = await orUnavailable(() => resources(resourceCode));
    const agreementId = `AG-${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
    const outcome = await orUnavailable(() => desk.step({
      type: 'RequestAgreement',
      data: { agreementId, occurredAt: now(), subscriber, resourceCode, resource, purpose, legalBasis, fields, divisionPrefix, snapshot },
    }));
    if (!outcome.ok) throw refusalError(outcome.refusal, agreementId, Object.keys(AgreementRequestBody.properties));
    const { status, reason } = outcome.agreement;
    await app.auditAccepted(request, { action: 'agreements.request', target: agreementId }, { status: 201, eventIds: outcome.events.map((e) => e.eventId) });
    return reply.code(201).header('location', `/v1/agreements/${agreementId}`).send({ agreementId, status, ...(reason === undefined ? {} : { reason }) });
  });

  app.post('/v1/agreements/:agreementId/approval', {
    schema: {
      summary: 'The owner answers a request for its data (审核)',
      description: 'The owner department\'s token only (403 for anyone else). `fields` are the sensitive fields it lets through unmasked; a refusal needs a reason.',
      tags: ['agreements'],
      security: [{ bearer: [] }],
      params: AgreementParams,
      body: ApprovalBody,
      response: { 200: AgreementView, 400: problemRef, 404: problemRef, 409: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
    onError: app.auditErrors((request) => ({ action: 'agreements.approval', target: idOf(request) })),
  }, async (request, reply) => {
    const by = department(request, 'answer sharing requests');
    const { agreementId } = request.params;
    const outcome = await orUnavailable(() => desk.step({ type: 'ApproveAgreement', data: { agreementId, occurredAt: now(), by, ...request.body } }));
    if (!outcome.ok) throw refusalError(outcome.refusal, agreementId, Object.keys(ApprovalBody.properties));
    await app.auditAccepted(request, { action: 'agreements.approval', target: agreementId }, { status: 200, eventIds: outcome.events.map((e) => e.eventId) });
    return reply.code(200).send(shown(outcome.agreement));
  });

  app.delete('/v1/agreements/:agreementId', {
    schema: {
      summary: 'End a sharing agreement (终止共享)',
      description: 'The subscriber or the owner; nothing is delivered under it afterwards.',
      tags: ['agreements'],
      security: [{ bearer: [] }],
      params: AgreementParams,
      response: { 200: AgreementView, 404: problemRef, 409: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
    onError: app.auditErrors((request) => ({ action: 'agreements.revoke', target: idOf(request) })),
  }, async (request, reply) => {
    const by = department(request, 'end sharing agreements');
    const { agreementId } = request.params;
    const outcome = await orUnavailable(() => desk.step({ type: 'RevokeAgreement', data: { agreementId, occurredAt: now(), by } }));
    if (!outcome.ok) throw refusalError(outcome.refusal, agreementId, []);
    await app.auditAccepted(request, { action: 'agreements.revoke', target: agreementId }, { status: 200, eventIds: outcome.events.map((e) => e.eventId) });
    return reply.code(200).send(shown(outcome.agreement));
  });

  app.get('/v1/agreements/:agreementId', {
    schema: {
      summary: 'Read a sharing agreement',
      description: 'Its subscriber, its owner and the operator.',
      tags: ['agreements'],
      security: [{ bearer: [] }],
      params: AgreementParams,
      response: { 200: AgreementView, 404: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
  }, async (request, reply) => {
    const caller = request.principal!;
    const view = await orUnavailable(() => desk.read(request.params.agreementId, now()));
    if (view === undefined) throw new errors.UNKNOWN_AGREEMENT(request.params.agreementId);
    if (!mayRead(caller, view)) throw new errors.FORBIDDEN_AGREEMENT(principalDescription(caller), `read agreement ${view.agreementId}`);
    return reply.code(200).send(shown(view));
  });

  app.get('/v1/agreements', {
    schema: {
      summary: 'The agreements of a department, as subscriber or owner',
      description: 'A department reads its own (`department` may be left out); the operator any department\'s.',
      tags: ['agreements'],
      security: [{ bearer: [] }],
      querystring: ListQuery,
      response: { 200: AgreementList, 400: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
  }, async (request, reply) => {
    const caller = request.principal!;
    const asked = request.query.department ?? (caller.kind === 'department' ? caller.department : undefined);
    if (asked === undefined) throw withFieldProblems(new errors.INVALID_AGREEMENT(), [{ field: 'querystring.department', reason: 'which department\'s agreements: required for the operator' }]);
    if (caller.kind !== 'operator' && !(caller.kind === 'department' && caller.department === asked)) {
      throw new errors.FORBIDDEN_AGREEMENT(principalDescription(caller), `list the agreements of ${asked}`);
    }
    const agreements = await orUnavailable(() => desk.list(asked, now()));
    return reply.code(200).send({ agreements: agreements.map(shown) });
  });

};
