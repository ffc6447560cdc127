import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { defineErrors } from '@hub/runtime';
import type { FieldProblem } from '../requests/shape.ts';

/** Every error the router's HTTP routes answer with, as problem+json with code ROUTER_<key>. */
export const errors = defineErrors('ROUTER', {
  INVALID_REQUEST: [400, 'the data request is not valid'],
  UNAUTHORIZED: [401, 'the internal API needs the bearer token of ROUTER_INTERNAL_TOKEN'],
  INVALID_RESPONSE: [400, 'the answer to request %s is not valid'],
  NOT_THE_OWNER: [403, '%s'],
  UNKNOWN_REQUEST: [404, 'no data request %s is known to this department'],
  ALREADY_ANSWERED: [409, '%s'],
  UNAVAILABLE: [503, 'the router cannot reach Kafka or the catalog right now; retry later'],
});

/** Seconds a caller waits before asking again (`Retry-After` of a 503). */
export const RETRY_AFTER_SECONDS = 5;

/** An error that names the request's fields at fault (`resource`, `key.idNumber`, `verify.name`, `record.phone`). */
export function withProblems(error: FastifyError, problems: readonly FieldProblem[]): FastifyError {
  return Object.assign(error, { fieldProblems: problems });
}

/**
 * RFC 9457 problem+json for the data-request routes: `errors: [{field,
 * message}]` names each field at fault from the body's root, whether the
 * schema or the router found it. 5xx internals are logged and hidden.
 */
export function problemHandler(error: FastifyError & { fieldProblems?: readonly FieldProblem[] }, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  const problems = error.fieldProblems ?? (error.validation ? schemaProblems(error) : undefined);
  const problem = {
    type: 'about:blank',
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail: status >= 500 ? `internal error; see the router's log for request ${request.id}` : error.message,
    code: error.validation ? 'VALIDATION' : status >= 500 && !error.code?.startsWith('ROUTER_') ? 'INTERNAL' : (error.code ?? 'ERROR'),
    instance: request.url,
    ...(problems === undefined ? {} : { errors: problems }),
  };
  if (status >= 500) request.log.error({ err: error.cause ?? error }, 'request failed');
  else request.log.info({ code: problem.code, detail: problem.detail }, 'request refused');
  if (status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.status(status).type('application/problem+json').send(problem);
}

/** A schema failure's fields, from the root of the part it is about (`key.idNumber`, not `body/key/idNumber`), each once. */
function schemaProblems(error: FastifyError): FieldProblem[] {
  const seen = new Map<string, FieldProblem>();
  for (const v of error.validation ?? []) {
    const params = v.params as Record<string, unknown>;
    const extra = typeof params.missingProperty === 'string' ? params.missingProperty : typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
    const parts = [...v.instancePath.split('/').filter(Boolean), ...(extra === undefined ? [] : [extra])];
    const field = parts.join('.') || (error.validationContext ?? 'body');
    if (!seen.has(field)) seen.set(field, { field, message: v.message ?? 'invalid' });
  }
  return [...seen.values()];
}

const TITLES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error', 503: 'Service Unavailable' };
