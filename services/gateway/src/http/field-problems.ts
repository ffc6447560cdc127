import type { FastifyError } from 'fastify';

/** One field at fault, named from the request's root: `body.applicant.idNumber`, `body.stages.0.dueDays`. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * `error` answered as a schema failure is: 400, code VALIDATION, and
 * `errors: [{field, reason}]` naming every field at fault, so a check no JSON
 * schema can make reads like one that it can. The problems are of one part of
 * the request (`body.…` or `params.…`), as a schema failure's are.
 */
export function withFieldProblems(error: FastifyError, problems: readonly FieldProblem[]): FastifyError {
  const context = problems[0]?.field.split('.')[0] ?? 'body';
  return Object.assign(error, {
    validationContext: context,
    validation: problems.map((p) => ({
      instancePath: p.field.split('.').slice(1).map((part) => `/${part}`).join(''),
      message: p.reason,
      params: {},
      keyword: 'check',
      schemaPath: '',
    })),
  });
}
