import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { DepartmentCode } from '@hub/schemas';
import { principalDescription } from '../auth/tokens.ts';
import { withRefusalMember } from '../cases/refusals.ts';
import { errors } from '../errors.ts';
import { withFieldProblems } from '../http/field-problems.ts';
import { authProblems, problemRef } from '../http/schemas.ts';
import { orUnavailable } from '../http/unavailable.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { ExchangeDesk, ExchangeRefusal, RequestAnswer as RequestAnswerData } from './exchange-desk.ts';
import { RequestAnswer, RequestBody, RequestParams, RequestView, ResponseAnswer, ResponseBody } from './schemas.ts';

export interface ExchangeRoutesOptions {
  desk: ExchangeDesk;
  metrics: GatewayMetrics;
}

/** A question names a key and a few values; an owner's answer holds one record. */
const REQUEST_BODY_LIMIT = 64 * 1024;
const RESPONSE_BODY_LIMIT = 1024 * 1024;

/** The router's refusal as problem+json: 400 naming the body's fields, 403, 404, 409; its type in `refusal`. */
function refusalError(refusal: ExchangeRefusal): FastifyError {
  let error: FastifyError;
  switch (refusal.type) {
    case 'InvalidRequest':
      error = new errors.INVALID_REQUEST(refusal.message);
      if (refusal.fields.length > 0) error = withFieldProblems(error, refusal.fields.map((f) => ({ field: `body.${f.field}`, reason: f.reason })));
      break;
    case 'NotYours':
      error = new errors.NOT_YOUR_REQUEST(refusal.message);
      break;
    case 'RequestNotFound':
      error = new errors.UNKNOWN_REQUEST(refusal.message);
      break;
    case 'RequestClosed':
      error = new errors.REQUEST_CLOSED(refusal.message);
      break;
    default: {
      const _exhaustive: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(_exhaustive)}`);
    }
  }
  return Object.assign(error, { refusal: refusal.type });
}

/**
 * A verification's answer is the matches and nothing of the record, whatever
 * the desk behind says: the hub's promise to the people whose records these are.
 */
function asAnswered<T extends Omit<RequestAnswerData, 'status'>>(answer: T, verified: boolean): T | Omit<T, 'record' | 'maskedFields'> {
  if (!verified) return answer;
  const { record: _record, maskedFields: _masked, ...rest } = answer;
  return rest;
}

/**
 * Data requests (数据共享申请): a department asks one record of another's
 * resource, or verifies values against it (核验), under its agreement; the
 * router answers from the records the hub holds, or forwards the request to
 * the owner's system, whose answer comes back through `/response`. The
 * requester is always the department of the token.
 */
export const exchangeRoutes: FastifyPluginAsyncTypebox<ExchangeRoutesOptions> = async (app, { desk, metrics }) => {
  withRefusalMember(app);
  // Also called for requests whose parameters and body were never validated (a 401 comes first), so it reads them defensively.
  const field = (part: unknown, name: string, fallback: string): string => {
    const value: unknown = typeof part === 'object' && part !== null ? Reflect.get(part, name) : undefined;
    return typeof value === 'string' ? value : fallback;
  };
  const department = (request: FastifyRequest, verb: string): DepartmentCode => {
    const caller = request.principal;
    if (caller === null) throw new errors.MISSING_TOKEN();
    if (caller.kind !== 'department') throw new errors.FORBIDDEN_EXCHANGE(principalDescription(caller), verb);
    return caller.department;
  };

  app.post('/v1/exchange/requests', {
    bodyLimit: REQUEST_BODY_LIMIT,
    schema: {
      summary: 'Ask another department\'s data: one record, or a verification (数据查询 / 核验)',
      description: 'The requester\'s token (a department). Under a granted agreement on `resource` the record of `key` is answered, masked as the agreement says; with `verify`, only `matches`, one boolean per given value, and never the record. No agreement: `refused` with the reason. A resource the hub does not hold is forwarded to the owner\'s system, and the call is answered when it replies, or `timeout` at its deadline.',
      tags: ['exchange'],
      security: [{ bearer: [] }],
      body: RequestBody,
      response: { 200: RequestAnswer, 400: problemRef, 413: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
    onError: app.auditErrors((request) => ({ action: 'exchange.request', target: field(request.body, 'resource', 'exchange') })),
  }, async (request, reply) => {
    const requester = department(request, 'ask for shared data');
    const { resource, key, purpose, verify } = request.body;
    const kind = verify === undefined ? 'question' : 'verify';
    const outcome = await orUnavailable(() => desk.ask({ requester, resource, key, purpose, ...(verify === undefined ? {} : { verify }) }));
    if (!outcome.ok) {
      metrics.dataRequests.inc({ kind, status: 'invalid' });
      throw refusalError(outcome.refusal);
    }
    const answer = asAnswered(outcome.answer, verify !== undefined);
    metrics.dataRequests.inc({ kind, status: answer.status });
    await app.auditAccepted(request, { action: 'exchange.request', target: answer.requestId }, { status: 200, exchangeStatus: answer.status });
    return reply.code(200).send(answer);
  });

  app.post('/v1/exchange/requests/:requestId/response', {
    bodyLimit: RESPONSE_BODY_LIMIT,
    schema: {
      summary: 'The owner\'s system answers a request forwarded to it (答复)',
      description: 'The owner department\'s token only (403 for anyone else). `answered` with the record in the resource\'s canonical fields (the hub masks it for the requester, or verifies the requester\'s values against it), or `not-found`. 409 once the request was answered or its deadline passed.',
      tags: ['exchange'],
      security: [{ bearer: [] }],
      params: RequestParams,
      body: ResponseBody,
      response: { 200: ResponseAnswer, 400: problemRef, 404: problemRef, 409: problemRef, 413: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
    onError: app.auditErrors((request) => ({ action: 'exchange.response', target: field(request.params, 'requestId', '?') })),
  }, async (request, reply) => {
    const responder = department(request, 'answer data requests');
    const { requestId } = request.params;
    const outcome = await orUnavailable(() => desk.respond(requestId, { responder, ...request.body }));
    if (!outcome.ok) throw refusalError(outcome.refusal);
    await app.auditAccepted(request, { action: 'exchange.response', target: requestId }, { status: 200, exchangeStatus: outcome.answer.status });
    return reply.code(200).send(outcome.answer);
  });

  app.get('/v1/exchange/requests/:requestId', {
    schema: {
      summary: 'Read a data request and its answer',
      description: 'Its requester and its owner only.',
      tags: ['exchange'],
      security: [{ bearer: [] }],
      params: RequestParams,
      response: { 200: RequestView, 404: problemRef, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
    onError: app.auditErrors((request) => ({ action: 'exchange.read', target: field(request.params, 'requestId', '?') })),
  }, async (request, reply) => {
    const reader = department(request, 'read data requests');
    const { requestId } = request.params;
    const outcome = await orUnavailable(() => desk.read(requestId, reader));
    if (!outcome.ok) throw refusalError(outcome.refusal);
    const view = outcome.answer;
    if (view.requester !== reader && view.owner !== reader) throw new errors.FORBIDDEN_EXCHANGE(principalDescription({ kind: 'department', department: reader }), `read data request ${requestId}: only its requester and its owner do`);
    await app.auditAccepted(request, { action: 'exchange.read', target: requestId }, { status: 200, exchangeStatus: view.status });
    return reply.code(200).send(asAnswered(view, view.matches !== undefined));
  });
};
