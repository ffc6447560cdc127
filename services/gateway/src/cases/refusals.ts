import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { CaseRefusal, CaseRefusalType } from '@hub/router';
import { errors } from '../errors.ts';
import { withFieldProblems } from '../http/field-problems.ts';

/** Refusals of a department acting on a task not addressed to it: not asked to co-approve, or not the lead. */
const notYourTask: ReadonlySet<CaseRefusalType> = new Set<CaseRefusalType>(['NotAsked', 'NotLeadDepartment']);

/**
 * How the case aggregate's refusal of a step is answered:
 * - CaseNotFound: 404;
 * - NotAsked, NotLeadDepartment: 403;
 * - about a field of the body (`occurredAt` before the previous step, a
 *   missing reason, a wrong amount): 400 naming it;
 * - any other (the transition is not allowed in the case's state, or the
 *   field is one the route set rather than the caller): 409.
 * Each carries the refusal's type as `refusal` (see `refusalOf`).
 */
export function refusalError(refusal: CaseRefusal, caseId: string, bodyFields: readonly string[]): FastifyError {
  const { type, message, field } = refusal;
  let error: FastifyError;
  if (type === 'CaseNotFound') error = new errors.UNKNOWN_CASE(caseId);
  else if (notYourTask.has(type)) error = new errors.NOT_YOUR_TASK(message);
  else if (field !== undefined && bodyFields.includes(field)) error = withFieldProblems(new errors.INVALID_STEP(), [{ field: `body.${field}`, reason: message }]);
  else error = new errors.STEP_REFUSED(message);
  return Object.assign(error, { refusal: type });
}

/**
 * RFC 9457 extension member `refusal` on the problems of the routes of `app`:
 * the runtime's one error handler writes the standard members, this adds
 * which refusal of the aggregate it was.
 */
export function withRefusalMember(app: FastifyInstance): void {
  const refusals = new WeakMap<FastifyRequest, string>();
  app.addHook('onError', async (request, _reply, error) => {
    const refusal = refusalOf(error);
    if (refusal !== undefined) refusals.set(request, refusal);
  });
  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    const refusal = refusals.get(request);
    if (refusal === undefined || reply.statusCode < 400 || typeof payload !== 'object' || payload === null) return payload;
    return { ...payload, refusal };
  });
}

/** The case refusal an error answers, if it answers one. */
export function refusalOf(error: unknown): string | undefined {
  const refusal: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'refusal') : undefined;
  return typeof refusal === 'string' ? refusal : undefined;
}
