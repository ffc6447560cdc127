import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** What `GET /v1/cases/{caseId}` calls the case's status (the router's CaseStatus). */
export const caseStatuses = [
  'submitted',
  'refused-at-intake',
  'co-approval',
  'suspended',
  'awaiting-decision',
  'approved',
  'refused',
  'fee-assessed',
  'paid',
  'certificate-issued',
  'delivered',
  'reviewed',
] as const;

export type CaseStatus = (typeof caseStatuses)[number];

/**
 * The part of the case view the simulators act on; the gateway answers more
 * (deadlines, history), which they leave alone.
 */
export const CaseViewPart = Type.Object({
  caseId: Type.String(),
  status: Type.Union(caseStatuses.map((status) => Type.Literal(status))),
  tasks: Type.Array(Type.Object({ department: Type.String(), stage: Type.Integer(), status: Type.String(), dueDate: Type.Union([Type.String(), Type.Null()]) })),
  coApprovalRefusal: Type.Optional(Type.Union([Type.Object({ department: Type.String(), stage: Type.Integer(), reason: Type.String() }), Type.Null()])),
  promisedDueDate: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  legalDueDate: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  workingDaysUsed: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
});

export type CaseViewPart = Static<typeof CaseViewPart>;

/** The case view of a `GET /v1/cases/{id}` answer (`view`) or of a step's answer (`{case, events}`), or undefined when it is neither. */
export function readCaseView(body: unknown): CaseViewPart | undefined {
  const candidate = typeof body === 'object' && body !== null && 'case' in body ? body.case : body;
  return Value.Check(CaseViewPart, candidate) ? candidate : undefined;
}
