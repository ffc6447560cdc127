import { Type, type TSchema } from '@fastify/type-provider-typebox';

/*
 * The router's CaseView as the HTTP answer declares it. fast-json-stringify
 * writes only the properties a schema names, so every field of the view is
 * named here, and a history entry, whose fields differ by event type, lets
 * through what it does not name.
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const LocalDate = Type.String({ format: 'date', description: 'Asia/Shanghai calendar date, YYYY-MM-DD' });
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant (UTC)' });

const CaseStatus = Type.Union(
  [
    Type.Literal('submitted'),
    Type.Literal('refused-at-intake'),
    Type.Literal('co-approval'),
    Type.Literal('suspended'),
    Type.Literal('awaiting-decision'),
    Type.Literal('approved'),
    Type.Literal('refused'),
    Type.Literal('fee-assessed'),
    Type.Literal('paid'),
    Type.Literal('certificate-issued'),
    Type.Literal('delivered'),
    Type.Literal('reviewed'),
  ],
  { description: 'Where the case stands: submitted (申请), refused-at-intake (不予受理), co-approval (并联审批), suspended (特殊环节), awaiting-decision, approved (准予) or refused (不予许可) = completed (办结), fee-assessed, paid, certificate-issued (制证), delivered (送达), reviewed (好差评)' },
);

const TaskView = Type.Object({
  department: Type.String({ description: 'Co-approving department (协办部门)' }),
  stage: Type.Integer({ description: 'Stage of the task, from 1; a parallel item has one stage' }),
  status: Type.Union(
    [Type.Literal('open'), Type.Literal('awaiting-supplement'), Type.Literal('granted'), Type.Literal('refused'), Type.Literal('cancelled')],
    { description: 'open until answered; awaiting-supplement while the material it asked for is missing; cancelled when another department\'s refusal ended co-approval first' },
  ),
  requestedAt: Instant,
  dueDate: nullable(LocalDate),
  answeredAt: nullable(Instant),
});

const HistoryEntry = Type.Object(
  {
    type: Type.String({ description: 'Event type: CaseSubmitted, CaseAccepted, CoApprovalRequested, CoApprovalGranted, CaseDecided, FeePaid …' }),
    occurredAt: Instant,
    department: Type.Optional(Type.String({ description: 'The department the event is of: the lead at acceptance, the co-approver of a request or an answer, the decider …' })),
    stage: Type.Optional(Type.Integer()),
    dueDays: Type.Optional(Type.Integer()),
    reason: Type.Optional(Type.String()),
    opinion: Type.Optional(Type.String({ description: 'A co-approver\'s opinion when it grants' })),
    materials: Type.Optional(Type.Array(Type.String(), { description: 'Materials a supplement request names (补正材料)' })),
    kind: Type.Optional(Type.String({ description: 'Kind of suspension: SUPPLEMENT, HEARING, TESTING, APPRAISAL, EXPERT_REVIEW, PUBLIC_NOTICE' })),
    outcome: Type.Optional(Type.String({ description: 'APPROVED or REFUSED' })),
    amount: Type.Optional(Type.String({ description: 'Yuan, two decimals' })),
    receiptNo: Type.Optional(Type.String()),
    certificateNo: Type.Optional(Type.String()),
    method: Type.Optional(Type.String({ description: 'Delivery method: WINDOW, POST, ELECTRONIC' })),
    grade: Type.Optional(Type.Integer({ description: '好差评 grade, 5 非常满意 … 1 非常不满意' })),
  },
  { additionalProperties: true, description: 'One event of the case; which fields it has depends on its type' },
);

export const CaseView = Type.Object(
  {
    caseId: Type.String({ description: 'Case number (办件编号)' }),
    itemCode: Type.String({ description: 'Item code (事项编码)' }),
    itemName: Type.String({ description: 'Item name (事项名称)' }),
    status: CaseStatus,
    leadDepartment: nullable(Type.String({ description: 'Lead department (主办部门); null before acceptance' })),
    acceptedAt: nullable(Instant),
    promisedDueDate: nullable(LocalDate),
    legalDueDate: nullable(LocalDate),
    workingDaysUsed: nullable(Type.Integer({ description: 'Working days used since acceptance, up to today or to the decision; suspensions excluded' })),
    deadlineProvisional: Type.Boolean({ description: 'Some date lies past the published holiday calendar and was counted Monday to Friday' }),
    suspendedSince: nullable(LocalDate),
    coApprovalRefusal: nullable(Type.Object({ department: Type.String(), stage: Type.Integer(), reason: Type.String() }, { description: 'The co-approver\'s refusal that ended co-approval, for the lead to decide on' })),
    tasks: Type.Array(TaskView, { description: 'Co-approval tasks opened so far (协办任务)' }),
    history: Type.Array(HistoryEntry, { description: 'Every event of the case, oldest first' }),
  },
  { description: 'A case as its windows and departments see it today: dates Asia/Shanghai YYYY-MM-DD, instants ISO 8601' },
);

/** The case as a step leaves it: the view without its history (the step's own events are beside it; GET has the whole history). */
export const CaseAfterStep = Type.Omit(CaseView, ['history'], { description: 'The case after the step: status, limits, tasks; its history is in GET /v1/cases/{caseId}' });

export const StepAnswer = Type.Object({
  case: CaseAfterStep,
  events: Type.Array(
    Type.Object({ type: Type.String({ description: 'Event type, e.g. CaseAccepted' }), eventId: Type.String({ description: 'Its id on cases.events (<caseId>:<version>)' }) }),
    { description: 'The events the step recorded on cases.events, in order' },
  ),
});
