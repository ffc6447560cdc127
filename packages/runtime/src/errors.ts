import createError, { type FastifyErrorConstructor } from '@fastify/error';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Each service keeps one error catalogue: codes with the service's prefix, each
 * with its message template and HTTP status. Build it with `defineErrors`.
 *
 *   export const errors = defineErrors('GW', {
 *     FORBIDDEN_RESOURCE: [403, 'department %s may not publish %s'],
 *   });
 *   throw new errors.FORBIDDEN_RESOURCE('tax', 'ps.resident-identity');
 */
export function defineErrors<K extends string>(
  prefix: string,
  entries: Record<K, readonly [status: number, message: string]>,
): Record<K, FastifyErrorConstructor> {
  const catalogue = {} as Record<K, FastifyErrorConstructor>;
  for (const key of Object.keys(entries) as K[]) {
    const [status, message] = entries[key];
    catalogue[key] = createError(`${prefix}_${key}`, message, status);
  }
  return catalogue;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  errors?: Array<{ field: string; reason: string }>;
}

/**
 * Maps any error to RFC 9457 problem+json. Validation failures name each field
 * and reason; 5xx internals are logged with the request and hidden from callers.
 */
export function problemJsonErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  const problem: Problem = {
    type: 'about:blank',
    title: httpTitle(status),
    status,
    detail: status >= 500 ? 'internal error; see the service log for request ' + request.id : error.message,
    code: status >= 500 && !error.code?.includes('_') ? 'INTERNAL' : (error.code ?? 'ERROR'),
    instance: request.url,
  };
  if (error.validation) {
    problem.code = 'VALIDATION';
    problem.errors = error.validation.map((v) => ({
      field: fieldOf(error.validationContext, v.instancePath, v.params),
      reason: v.message ?? 'invalid',
    }));
  }
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: problem.code, detail: problem.detail }, 'request refused');
  return reply.status(status).type('application/problem+json').send(problem);
}

function fieldOf(context: string | undefined, path: string, params: Record<string, unknown>): string {
  const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
  return `${context ?? 'body'}${path}${missing}`.replace(/\//g, '.').replace(/\.$/, '');
}

function httpTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
    413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
    429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
  };
  return titles[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
