import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DataRequests } from '../service/requests.ts';
import { errors, problemHandler, RETRY_AFTER_SECONDS, withProblems } from './errors.ts';
import { DataRequestAnswer, DataRequestBody, DataRequestView, OwnerResponseAnswer, OwnerResponseBody, Problem, RequestParams, RequestQuery, Starting } from './schemas.ts';

export interface RequestRoutesOptions {
  /** The data requests, once the router has read its state; undefined until then (503 starting). */
  requests: () => DataRequests | undefined;
  /** Counts each answer by status and times it (`router_data_requests_total`, `router_data_request_seconds`). */
  answered?: (status: string, seconds: number) => void;
  /** ROUTER_INTERNAL_TOKEN: the bearer token every call must carry; empty: none (a router on loopback). */
  token?: string;
}

/** The request's size as it came (its Content-Length), without writing the body out again; a chunked body is measured. */
function requestSize(request: { headers: Record<string, string | string[] | undefined>; body: unknown }): number {
  const length = Number(request.headers['content-length']);
  return Number.isInteger(length) && length >= 0 ? length : Buffer.byteLength(JSON.stringify(request.body));
}

/**
 * The data requests (数据共享申请) the gateway puts to the router on a
 * department's behalf: the gateway has authenticated the department and
 * names it in the body or the query. Until the router has read its state
 * (agreements, record store, requests) every route answers 503 starting.
 */
export const requestRoutes: FastifyPluginAsyncTypebox<RequestRoutesOptions> = async (app, options) => {
  app.setErrorHandler(problemHandler);
  // No line per request: the gateway logs and audits each call, and at a thousand questions a second the lines would cost more than the answers.
  const logLevel = 'warn';
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  app.addHook('onRequest', async (request, reply) => {
    if (expected) {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new errors.UNAUTHORIZED();
    }
    if (options.requests()?.ready) return;
    return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ status: 'starting' as const });
  });
  const service = (): DataRequests => {
    const requests = options.requests();
    if (!requests) throw new errors.UNAVAILABLE();
    return requests;
  };
  const unavailable = (error: unknown) => {
    throw Object.assign(new errors.UNAVAILABLE(), { cause: error });
  };

  app.post('/internal/v1/exchange/requests', {
    logLevel,
    schema: {
      summary: 'A department asks one question of another department’s data (数据共享申请)',
      description: 'Answered from the hub’s latest record of the key, under the requester’s agreement and its masks; with `verify`, only whether each value matches (核验). No agreement: refused, and the owner is told. A resource not streamed into the hub is forwarded to the owner’s system and the call is held until it answers or the deadline passes (timeout).',
      tags: ['exchange'],
      body: DataRequestBody,
      response: { 200: DataRequestAnswer, 400: Problem, 401: Problem, 503: { anyOf: [Starting, Problem] } },
    },
  }, async (request, reply) => {
    const size = requestSize(request);
    const outcome = await service().ask(request.body, size).catch(unavailable);
    if (!outcome.ok) throw withProblems(new errors.INVALID_REQUEST(), outcome.problems);
    options.answered?.(outcome.answer.status, reply.elapsedTime / 1000);
    return outcome.answer;
  });

  app.post('/internal/v1/exchange/requests/:requestId/response', {
    logLevel,
    schema: {
      summary: 'The owner’s system answers a forwarded question (提供部门答复)',
      description: 'The record as the resource’s schema has it; the hub masks it for the requester. Only the owner answers (403), once (409), before the deadline (409 after it).',
      tags: ['exchange'],
      params: RequestParams,
      body: OwnerResponseBody,
      response: { 200: OwnerResponseAnswer, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: { anyOf: [Starting, Problem] } },
    },
  }, async (request) => {
    const { requestId } = request.params;
    const size = requestSize(request);
    const outcome = await service().respond(requestId, request.body, size).catch(unavailable);
    if (outcome.ok) return { requestId: outcome.requestId, status: outcome.status };
    switch (outcome.error) {
      case 'unknown':
        throw new errors.UNKNOWN_REQUEST(requestId);
      case 'not-owner':
        throw new errors.NOT_THE_OWNER(outcome.message);
      case 'answered':
        throw new errors.ALREADY_ANSWERED(outcome.message);
      case 'invalid':
        throw withProblems(new errors.INVALID_RESPONSE(requestId), outcome.problems ?? []);
      default: {
        const _exhaustive: never = outcome.error;
        throw new Error(`unknown outcome ${String(_exhaustive)}`);
      }
    }
  });

  app.get('/internal/v1/exchange/requests/:requestId', {
    logLevel,
    schema: {
      summary: 'A data request and its answer, for its requester or its owner',
      tags: ['exchange'],
      params: RequestParams,
      querystring: RequestQuery,
      response: { 200: DataRequestView, 400: Problem, 401: Problem, 404: Problem, 503: { anyOf: [Starting, Problem] } },
    },
  }, async (request) => {
    const view = service().view(request.params.requestId, request.query.department);
    if (!view) throw new errors.UNKNOWN_REQUEST(request.params.requestId);
    return view;
  });
};
