import { Type } from '@fastify/type-provider-typebox';

/** RFC 9457 problem details, as the runtime's error handler writes them. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'GW_* from the gateway catalogue, VALIDATION for a body or parameter that does not fit its schema' }),
    instance: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
    refusal: Type.Optional(Type.String({ description: 'For a case step the case refused: the refusal as the case aggregate names it (OccurredBeforePreviousStep, NotAsked, AlreadyDecided …)' })),
  },
  { $id: 'Problem', description: 'problem+json (RFC 9457)' },
);

export const problemRef = Type.Ref('Problem');

/** The error statuses every authenticated route can answer with. */
export const authProblems = {
  401: problemRef,
  403: problemRef,
  503: problemRef,
};
