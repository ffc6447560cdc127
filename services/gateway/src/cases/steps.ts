import { Type, type Static, type TObject } from '@fastify/type-provider-typebox';
import type { DeliveryMethod, SuspensionKind } from '@hub/schemas';
import type { StepCommand } from './case-desk.ts';

/**
 * The steps a window or a department takes on a submitted case, each at
 * `POST /v1/cases/{caseId}/<name>`, each one command of the router's case
 * aggregate. The gateway knows who may take a step and the shape of its body;
 * whether the case allows it is the aggregate's to say.
 */
export const caseSteps = ['acceptance', 'answers', 'supplements', 'decision', 'suspension', 'resumption', 'fee', 'payment', 'certificate', 'delivery', 'review'] as const;

export type CaseStepName = (typeof caseSteps)[number];

/**
 * Who takes a step: a service-centre window; a department (which one, the
 * aggregate judges: a co-approver asked, or the lead); the window or the
 * case's lead department (the gateway judges, from the case).
 */
export type StepTaker = 'window' | 'department' | 'window-or-lead';

/** The time and case every command carries; `occurredAt` is settled by the gateway (now, or the body's, not in the future). */
export interface StepAt {
  caseId: string;
  occurredAt: Date;
}

export interface CaseStep<Body extends TObject> {
  name: CaseStepName;
  takenBy: StepTaker;
  /** What a refusal of another principal says it may not do: "accept or refuse cases at intake". */
  verb: string;
  /** Who does, as that refusal names them: "a service-centre window". */
  who: string;
  summary: string;
  description: string;
  body: Body;
  /** The command for the body; `caller` is the principal's name (the department code for a department). */
  command(body: Static<Body>, at: StepAt, caller: string): StepCommand;
}

const OccurredAt = Type.Optional(Type.String({
  format: 'date-time',
  maxLength: 40,
  description: 'When the step was taken, ISO 8601 with offset, for a step recorded after the fact; not in the future, not before the case\'s previous step. Now by default',
}));

const text = (maxLength: number, description: string) => Type.Optional(Type.String({ maxLength, description }));

const Materials = Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  maxItems: 50,
  description: 'Every missing material at once (一次性告知), by its name in the item\'s list',
}));

const define = <Body extends TObject>(step: CaseStep<Body>): CaseStep<Body> => step;

export const acceptance = define({
  name: 'acceptance',
  takenBy: 'window',
  verb: 'accept or refuse cases at intake',
  who: 'a service-centre window',
  summary: 'Accept a case (受理) or refuse it at intake (不予受理)',
  description: 'The window accepts on behalf of the item\'s lead department: CaseAccepted, with the co-approval plan of the item, and the requests of its first stage (CoApprovalRequested). Or it refuses at intake with the reason given to the applicant (CaseRefusedAtIntake). Working days count from the day after acceptance.',
  body: Type.Object({
    accepted: Type.Boolean({ description: 'true: accept (受理); false: refuse at intake (不予受理)' }),
    reason: text(1000, 'The reason of a refusal, as the applicant reads it (不予受理理由); required when accepted is false, ignored otherwise'),
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at) => (body.accepted ? { type: 'AcceptCase', data: at } : { type: 'RefuseAtIntake', data: { ...at, reason: body.reason ?? '' } }),
});

export const answers = define({
  name: 'answers',
  takenBy: 'department',
  verb: 'answer co-approval requests',
  who: 'a department asked to co-approve the case',
  summary: 'Answer a co-approval request (协办意见)',
  description: 'A co-approving department answers the task addressed to it: grant (同意, `reason` is its opinion), refuse (不同意, `reason` required), or supplement (补正: `materials` names every missing material; the clock stops until the applicant brings them). The department is the caller\'s; a department not asked is answered 403.',
  body: Type.Object({
    answer: Type.Union([Type.Literal('grant'), Type.Literal('refuse'), Type.Literal('supplement')], { description: 'grant 同意, refuse 不同意, supplement 补正' }),
    stage: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'The stage answered; when given, it must be the open one' })),
    reason: text(1000, 'The opinion of a grant, the reason of a refusal (required), the note to the applicant of a supplement'),
    materials: Materials,
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at, caller) => ({ type: 'AnswerCoApproval', data: { ...at, department: caller, answer: body.answer, stage: body.stage, reason: body.reason, materials: body.materials } }),
});

export const supplements = define({
  name: 'supplements',
  takenBy: 'window',
  verb: 'record supplementary material',
  who: 'a service-centre window',
  summary: 'Record that the applicant brought the supplementary material (补正材料已收)',
  description: 'Ends the suspension for supplementary material (CaseResumed): the clock runs again and the departments that asked answer again. A case suspended for another reason (a hearing, expert review …) is answered 409.',
  body: Type.Object({ occurredAt: OccurredAt }, { additionalProperties: false }),
  command: (_body, at) => ({ type: 'ResumeCase', data: { ...at, kind: 'SUPPLEMENT' } }),
});

export const decision = define({
  name: 'decision',
  takenBy: 'department',
  verb: 'decide cases',
  who: 'the case\'s lead department',
  summary: 'Decide a case: approve (准予) or refuse (不予许可)',
  description: 'The lead department decides once co-approval is over (CaseDecided); the case is completed (办结). A refusal states its reason (行政许可法 第三十八条); a case a co-approver refused cannot be approved. Another department is answered 403.',
  body: Type.Object({
    approved: Type.Boolean({ description: 'true: 准予许可; false: 不予许可' }),
    reason: text(1000, 'The reason; required for a refusal'),
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at, caller) => ({ type: 'DecideCase', data: { ...at, department: caller, approved: body.approved, reason: body.reason } }),
});

const SuspensionKindBody = Type.Union(
  [Type.Literal('supplement'), Type.Literal('hearing'), Type.Literal('testing'), Type.Literal('appraisal'), Type.Literal('expert-review'), Type.Literal('public-notice')],
  { description: 'supplement 补正, hearing 听证, testing 检验检测, appraisal 鉴定, expert-review 专家评审, public-notice 公示' },
);

const suspensionKinds: Record<Static<typeof SuspensionKindBody>, SuspensionKind> = {
  supplement: 'SUPPLEMENT',
  hearing: 'HEARING',
  testing: 'TESTING',
  appraisal: 'APPRAISAL',
  'expert-review': 'EXPERT_REVIEW',
  'public-notice': 'PUBLIC_NOTICE',
};

export const suspension = define({
  name: 'suspension',
  takenBy: 'department',
  verb: 'suspend cases',
  who: 'the case\'s lead department',
  summary: 'Stop the clock for a special procedure (特殊环节)',
  description: 'The lead department suspends the case for a hearing, testing, appraisal, expert review or public notice (`reason` required), or for supplementary material (`materials` required). The days it lasts do not count against the limits (行政许可法 第四十五条). A supplement ends at /supplements, another procedure at /resumption.',
  body: Type.Object({
    kind: SuspensionKindBody,
    reason: text(1000, 'Why the clock stops (暂停原因); required unless kind is supplement'),
    materials: Materials,
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at, caller) => ({ type: 'SuspendCase', data: { ...at, department: caller, kind: suspensionKinds[body.kind], reason: body.reason, materials: body.materials } }),
});

export const resumption = define({
  name: 'resumption',
  takenBy: 'window-or-lead',
  verb: 'resume cases',
  who: 'a service-centre window or the case\'s lead department',
  summary: 'End a special procedure: the clock runs again (特殊环节结束)',
  description: 'Ends the suspension for a hearing, testing, appraisal, expert review or public notice (CaseResumed). `kind` names the procedure that ended and must be the one the case is suspended for (400 naming it otherwise); supplementary material is recorded at /supplements instead.',
  body: Type.Object({
    kind: Type.Union(
      [Type.Literal('hearing'), Type.Literal('testing'), Type.Literal('appraisal'), Type.Literal('expert-review'), Type.Literal('public-notice')],
      { description: 'The procedure that ended: hearing 听证, testing 检验检测, appraisal 鉴定, expert-review 专家评审, public-notice 公示' },
    ),
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at) => ({ type: 'ResumeCase', data: { ...at, kind: suspensionKinds[body.kind] } }),
});

export const fee = define({
  name: 'fee',
  takenBy: 'window-or-lead',
  verb: 'assess fees',
  who: 'a service-centre window or the case\'s lead department',
  summary: 'Assess the fee of an approved case (收费)',
  description: 'FeeAssessed with the item\'s fee and its legal basis. A free item, or a refused case, is answered 409.',
  body: Type.Object({ occurredAt: OccurredAt }, { additionalProperties: false }),
  command: (_body, at) => ({ type: 'AssessFee', data: at }),
});

export const payment = define({
  name: 'payment',
  takenBy: 'window-or-lead',
  verb: 'record payments',
  who: 'a service-centre window or the case\'s lead department',
  summary: 'Record the payment of the fee (缴费)',
  description: 'FeePaid at the unified fee window (统一收费窗口). `amount`, when given, must be the assessed one.',
  body: Type.Object({
    receiptNo: text(64, 'Receipt number (票据号); PJ-<caseId> by default'),
    amount: Type.Optional(Type.String({ pattern: '^\\d{1,12}(\\.\\d{1,2})?$', maxLength: 15, description: 'Yuan paid, e.g. "80.00"; checked against the assessed fee' })),
    paidAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'When it was paid, between the assessment and occurredAt; occurredAt by default' })),
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at) => ({ type: 'PayFee', data: { ...at, receiptNo: body.receiptNo, amount: body.amount, paidAt: body.paidAt === undefined ? undefined : new Date(body.paidAt) } }),
});

export const certificate = define({
  name: 'certificate',
  takenBy: 'window-or-lead',
  verb: 'issue certificates',
  who: 'a service-centre window or the case\'s lead department',
  summary: 'Issue the certificate of an approved case (制证)',
  description: 'CertificateIssued, of the item\'s certificate type, issued by the lead department. An item without a certificate is answered 409.',
  body: Type.Object({
    certificateNo: text(64, 'Certificate number (证照编号); ZZ-<caseId> by default'),
    validUntil: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'Last day of validity, YYYY-MM-DD; none by default' })),
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at) => ({ type: 'IssueCertificate', data: { ...at, certificateNo: body.certificateNo, validUntil: body.validUntil } }),
});

const DeliveryMethodBody = Type.Union([Type.Literal('window'), Type.Literal('post'), Type.Literal('electronic')], {
  description: 'window 窗口领取 (the default), post 邮寄送达 (needs trackingNo), electronic 电子送达',
});

const deliveryMethods: Record<Static<typeof DeliveryMethodBody>, DeliveryMethod> = { window: 'WINDOW', post: 'POST', electronic: 'ELECTRONIC' };

export const delivery = define({
  name: 'delivery',
  takenBy: 'window-or-lead',
  verb: 'deliver results',
  who: 'a service-centre window or the case\'s lead department',
  summary: 'Deliver the result to the applicant (送达)',
  description: 'CaseDelivered: the certificate of an approved case, or the decision of a refused one.',
  body: Type.Object({
    method: Type.Optional(DeliveryMethodBody),
    trackingNo: text(64, 'Postal tracking number (邮件单号); required for post'),
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at) => ({ type: 'DeliverResult', data: { ...at, method: body.method === undefined ? undefined : deliveryMethods[body.method], trackingNo: body.trackingNo } }),
});

export const review = define({
  name: 'review',
  takenBy: 'window',
  verb: 'record reviews',
  who: 'a service-centre window',
  summary: 'Record the applicant\'s review (好差评)',
  description: 'CaseReviewed, after delivery. Grades 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意; 1 and 2 are the 差评 that must be followed up.',
  body: Type.Object({
    grade: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' }),
    comment: text(1000, 'What the applicant wrote'),
    occurredAt: OccurredAt,
  }, { additionalProperties: false }),
  command: (body, at) => ({ type: 'ReviewCase', data: { ...at, grade: body.grade, comment: body.comment } }),
});
