import type { LocalDate, WorkingCalendar } from '@hub/calendar';
import { shanghaiDate } from '@hub/calendar';
import { accept, refuse, type Decider, type Decision, type Message, type Refusal } from '@hub/decider';
import type { CaseSubmitted, DeliveryMethod, SuspensionKind } from '@hub/schemas';
import type { Item } from '../items/item.ts';
import {
  caseEventId,
  cloneCase,
  evolveCase,
  initialCaseState,
  openSuspension,
  ratingOfGrade,
  taskOf,
  type CaseEvent,
  type CaseState,
  type CaseStatus,
  type PlannedStage,
} from './events.ts';
import { caseView, type CaseView } from './view.ts';

type At = { caseId: string; occurredAt: Date };

/**
 * What windows, departments and the fee window ask of a case. Time is
 * `occurredAt` (the gateway's clock, or the step's own time sent late);
 * `department` is the caller as the gateway authenticated it.
 */
export type CaseCommand =
  | Message<'SubmitCase', Omit<CaseSubmitted, 'eventId'>>
  /** The window accepts (受理) on behalf of the item's lead department. */
  | Message<'AcceptCase', At>
  /** The window refuses at intake (不予受理), with the reason given to the applicant. */
  | Message<'RefuseAtIntake', At & { reason: string }>
  /**
   * A co-approver answers its task: grant (同意, `reason` is its opinion),
   * refuse (不同意, `reason` required), or ask for supplementary material (补正,
   * `materials` required, `reason` the note to the applicant). `stage`, when
   * given, must be the open one.
   */
  | Message<'AnswerCoApproval', At & { department: string; answer: 'grant' | 'refuse' | 'supplement'; stage?: number; reason?: string; materials?: readonly string[] }>
  /**
   * The lead stops the clock (特殊环节): for a hearing, testing, expert review…
   * with a `reason`, or for supplementary material with `materials`.
   */
  | Message<'SuspendCase', At & { department: string; kind: SuspensionKind; reason?: string; materials?: readonly string[] }>
  /** The special procedure ended: for a supplement, the applicant brought the material (补正材料已收). */
  | Message<'ResumeCase', At & { kind?: SuspensionKind }>
  /** The lead decides (准予 / 不予许可); a refusal states its reason (行政许可法 第三十八条). */
  | Message<'DecideCase', At & { department: string; approved: boolean; reason?: string }>
  | Message<'AssessFee', At>
  /** `receiptNo` defaults to `PJ-<caseId>`, `paidAt` to `occurredAt`; `amount`, when given, must be the assessed one. */
  | Message<'PayFee', At & { paidAt?: Date; receiptNo?: string; amount?: string }>
  /** `certificateNo` defaults to `ZZ-<caseId>`. */
  | Message<'IssueCertificate', At & { certificateNo?: string; validUntil?: LocalDate }>
  /** `method` defaults to WINDOW (窗口领取); a posted result needs its tracking number. */
  | Message<'DeliverResult', At & { method?: DeliveryMethod; trackingNo?: string }>
  /** 好差评: grade 5 非常满意 … 1 非常不满意. */
  | Message<'ReviewCase', At & { grade: number; comment?: string }>;

export type CaseCommandType = CaseCommand['type'];

/** Why a step is refused, in the case's words (each one has its spec in case.unit.test.ts). */
export const caseRefusalTypes = [
  'CaseNotFound',
  'CaseMismatch',
  'AlreadySubmitted',
  'OccurredBeforePreviousStep',
  'InvalidTime',
  'ReasonRequired',
  'MaterialsRequired',
  'NotAccepted',
  'AlreadyAccepted',
  'RefusedAtIntake',
  'NotInCoApproval',
  'NotAsked',
  'StageNotOpen',
  'AlreadyAnswered',
  'AwaitingSupplement',
  'CaseSuspended',
  'AlreadySuspended',
  'NotSuspended',
  'WrongSuspensionKind',
  'NotLeadDepartment',
  'CoApprovalOpen',
  'CoApproverRefused',
  'AlreadyDecided',
  'NotDecided',
  'NotApproved',
  'NoFee',
  'FeeNotAssessed',
  'FeeAlreadyAssessed',
  'FeeNotPaid',
  'FeeAlreadyPaid',
  'WrongAmount',
  'NoCertificate',
  'CertificateNotIssued',
  'CertificateAlreadyIssued',
  'NotDelivered',
  'AlreadyDelivered',
  'TrackingNumberRequired',
  'AlreadyReviewed',
  'InvalidGrade',
] as const;

export type CaseRefusalType = (typeof caseRefusalTypes)[number];

/**
 * A refusal. With `field` it is about one field of the request (the gateway
 * answers 400 naming it: `occurredAt` before the previous step, a missing
 * reason, a grade out of 1..5); without, the transition itself is not
 * allowed in the case's state (409).
 */
export type CaseRefusal = Refusal<CaseRefusalType> & { readonly field?: string };

export interface CaseDeciderDeps {
  /** The item table: an item by its code. */
  readonly items: (code: string) => Item | undefined;
  readonly calendar: WorkingCalendar;
}

/**
 * The case aggregate (办件). Each accepted command answers the case's view as
 * of its own date, after its events, which is what the gateway answers the
 * caller.
 */
export function caseDecider(deps: CaseDeciderDeps): Decider<CaseCommand, CaseEvent, CaseState, CaseView, CaseRefusal> {
  const decide = (command: CaseCommand, state: CaseState): Decision<CaseEvent, CaseView, CaseRefusal> => {
    const decided = decideCase(command, state, deps.items);
    if (!decided.ok) return decided;
    // decide may not change `state`, so the answer is worked out on a copy.
    const after = decided.events.reduce(evolveCase, cloneCase(state));
    return accept(decided.events, caseView(after, deps.calendar, shanghaiDate(command.data.occurredAt)));
  };
  return { decide, evolve: evolveCase, initialState: initialCaseState };
}

type Outcome = { ok: true; events: CaseEvent[] } | { ok: false; error: CaseRefusal };

const no = (type: CaseRefusalType, message: string, field?: string): { ok: false; error: CaseRefusal } =>
  refuse(field === undefined ? { type, message } : { type, message, field });

/** The events a command leads to, or why not. */
export function decideCase(command: CaseCommand, state: CaseState, items: (code: string) => Item | undefined): Outcome {
  const { caseId, occurredAt } = command.data;
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) return no('InvalidTime', 'occurredAt is not a valid time', 'occurredAt');
  if (command.type === 'SubmitCase') {
    if (state.status !== undefined) return no('AlreadySubmitted', `case ${state.caseId} was submitted at ${iso(state.submittedAt)}`);
    return { ok: true, events: [{ type: 'CaseSubmitted', data: { eventId: caseEventId(caseId, 1), ...command.data } }] };
  }
  if (state.status === undefined) return no('CaseNotFound', `case ${caseId} has not been submitted`);
  if (caseId !== state.caseId) return no('CaseMismatch', `the command is for case ${caseId}, the state is case ${state.caseId}`);
  if (state.lastStepAt !== undefined && occurredAt < state.lastStepAt) {
    const previous = state.history[state.history.length - 1]?.type ?? 'step';
    return no('OccurredBeforePreviousStep', `occurredAt ${iso(occurredAt)} is before the previous step of the case (${previous} at ${iso(state.lastStepAt)})`, 'occurredAt');
  }
  const steps = new Steps(state, occurredAt);
  const item = items(state.itemCode);

  switch (command.type) {
    case 'AcceptCase':
    case 'RefuseAtIntake': {
      const blocked = intakeBlocked(state);
      if (blocked) return blocked;
      if (command.type === 'RefuseAtIntake') {
        const reason = text(command.data.reason);
        if (!reason) return no('ReasonRequired', 'a refusal at intake gives the applicant its reason (不予受理理由)', 'reason');
        return steps.done((head) => ({ type: 'CaseRefusedAtIntake', data: { ...head, department: item?.leadDepartment ?? state.centreId, reason } }));
      }
      if (!item) {
        // Not a refusal of the command: the case itself is refused at intake, with the reason on record.
        const reason = `unknown item ${state.itemCode}: it is not in the item catalogue (事项目录中无此事项)`;
        return steps.done((head) => ({ type: 'CaseRefusedAtIntake', data: { ...head, department: state.centreId, reason } }));
      }
      const plan: PlannedStage[] = item.stages.map((stage) => ({ departments: [...stage.departments], dueDays: stage.dueDays }));
      const lead = item.leadDepartment;
      steps.add((head) => ({ type: 'CaseAccepted', data: { ...head, leadDepartment: lead, promisedDays: item.promisedDays, legalDays: item.legalDays, acceptedAt: occurredAt, stages: plan } }));
      requestStage(steps, lead, plan, 1);
      return steps.result();
    }

    case 'AnswerCoApproval': {
      const { department, answer, stage } = command.data;
      const blocked = coApprovalBlocked(state);
      if (blocked) return blocked;
      const mine = state.tasks.filter((task) => task.department === department);
      if (mine.length === 0) {
        const later = planOf(state, items).findIndex((s) => s.departments.includes(department));
        const why = later >= 0 ? `its stage ${later + 1} has not opened` : 'it is not a co-approver of this case';
        return no('NotAsked', `${department} has not been asked to co-approve case ${caseId}: ${why}`);
      }
      const open = state.openStage;
      if (stage !== undefined && stage !== open) return no('StageNotOpen', `stage ${stage} of case ${caseId} is not open (stage ${open} is)`, 'stage');
      const task = open === undefined ? undefined : taskOf(state, department, open);
      if (!task) return no('StageNotOpen', `${department} answered in stage ${mine[mine.length - 1]?.stage}, which is closed; stage ${open} is open`);
      if (task.status === 'granted') return no('AlreadyAnswered', `${department} already granted stage ${task.stage} of case ${caseId} at ${iso(task.answeredAt)}`);
      if (task.status === 'awaiting-supplement') return no('AwaitingSupplement', `${department} asked for supplementary material; it answers again once the case resumes`);
      const suspension = openSuspension(state);
      const eventStage = stageOfEvent(state, items, task.stage);
      switch (answer) {
        case 'grant': {
          if (suspension) return suspended(state);
          steps.add((head) => ({ type: 'CoApprovalGranted', data: { ...head, coApprover: department, stage: eventStage, opinion: text(command.data.reason) ?? null } }));
          const others = state.tasks.filter((t) => t.stage === task.stage && t !== task);
          if (others.every((t) => t.status === 'granted')) requestStage(steps, state.leadDepartment ?? '', planOf(state, items), task.stage + 1);
          return steps.result();
        }
        case 'refuse': {
          if (suspension) return suspended(state);
          const reason = text(command.data.reason);
          if (!reason) return no('ReasonRequired', 'a co-approver that refuses gives its reason (不同意理由)', 'reason');
          return steps.done((head) => ({ type: 'CoApprovalRefused', data: { ...head, coApprover: department, stage: eventStage, reason } }));
        }
        case 'supplement':
          return supplement(steps, state, department, command.data.materials, command.data.reason);
        default: {
          const _exhaustive: never = answer;
          return no('NotInCoApproval', `unknown answer ${String(_exhaustive)}`, 'answer');
        }
      }
    }

    case 'SuspendCase': {
      const { department, kind } = command.data;
      if (state.status !== 'co-approval' && state.status !== 'awaiting-decision' && state.status !== 'suspended') return notRunning(state);
      if (department !== state.leadDepartment) return notLead(state, department, 'suspend');
      if (kind === 'SUPPLEMENT') return supplement(steps, state, department, command.data.materials, command.data.reason);
      const current = openSuspension(state);
      if (current) return no('AlreadySuspended', `case ${caseId} is already suspended (${current.kind}) since ${iso(current.since)}`);
      const reason = text(command.data.reason);
      if (!reason) return no('ReasonRequired', 'a suspension states its reason (暂停原因)', 'reason');
      return steps.done((head) => ({ type: 'CaseSuspended', data: { ...head, kind, department, reason } }));
    }

    case 'ResumeCase': {
      const current = openSuspension(state);
      if (!current) return no('NotSuspended', `case ${caseId} is not suspended (status ${state.status})`);
      if (command.data.kind !== undefined && command.data.kind !== current.kind) {
        return no('WrongSuspensionKind', `case ${caseId} is suspended for ${current.kind}, not ${command.data.kind}`, 'kind');
      }
      return steps.done((head) => ({ type: 'CaseResumed', data: { ...head, kind: current.kind, department: current.department } }));
    }

    case 'DecideCase': {
      const { department, approved } = command.data;
      switch (state.status) {
        case 'submitted':
        case 'refused-at-intake':
          return intakeBlocked(state) ?? notAccepted(state);
        case 'co-approval':
          return no('CoApprovalOpen', `co-approval of case ${caseId} is still open (stage ${state.openStage}): the lead decides when it is over`);
        case 'suspended':
          return suspended(state);
        case 'awaiting-decision':
          break;
        default:
          return no('AlreadyDecided', `case ${caseId} was decided (${state.decision?.outcome}) at ${iso(state.decision?.decidedAt)}; it is completed (办结)`);
      }
      if (department !== state.leadDepartment) return notLead(state, department, 'decide');
      const reason = text(command.data.reason);
      const refusal = state.coApprovalRefusal;
      if (approved && refusal) {
        return no('CoApproverRefused', `case ${caseId} cannot be approved: ${refusal.department} refused in stage ${refusal.stage} (${refusal.reason})`);
      }
      if (!approved && !reason) return no('ReasonRequired', 'a refusal (不予许可) states its reason', 'reason');
      return steps.done((head) => ({ type: 'CaseDecided', data: { ...head, outcome: approved ? 'APPROVED' : 'REFUSED', decidedBy: department, reason: reason ?? null } }));
    }

    case 'AssessFee': {
      const blocked = afterDecisionBlocked(state, item, 'fee-assessed');
      if (blocked) return blocked;
      const fee = item?.fee;
      if (!fee) return no('NoFee', `item ${state.itemCode} is free`);
      return steps.done((head) => ({ type: 'FeeAssessed', data: { ...head, amount: fee.amount, feeBasis: fee.basis } }));
    }

    case 'PayFee': {
      const blocked = afterDecisionBlocked(state, item, 'paid');
      if (blocked) return blocked;
      const fee = state.fee;
      if (!fee) return no('FeeNotAssessed', `no fee has been assessed for case ${caseId}`);
      const { amount, receiptNo, paidAt = occurredAt } = command.data;
      if (amount !== undefined && cents(amount) !== cents(fee.amount)) {
        return no('WrongAmount', `the fee assessed is ${fee.amount} yuan, not ${amount}`, 'amount');
      }
      if (Number.isNaN(paidAt.getTime()) || paidAt > occurredAt || paidAt < fee.assessedAt) {
        return no('InvalidTime', `paidAt lies between the assessment (${iso(fee.assessedAt)}) and the record of the payment (${iso(occurredAt)})`, 'paidAt');
      }
      return steps.done((head) => ({ type: 'FeePaid', data: { ...head, amount: fee.amount, paidAt, receiptNo: text(receiptNo) ?? `PJ-${caseId}` } }));
    }

    case 'IssueCertificate': {
      const blocked = afterDecisionBlocked(state, item, 'certificate-issued');
      if (blocked) return blocked;
      const certificateType = item?.certificateType;
      if (!certificateType) return no('NoCertificate', `item ${state.itemCode} issues no certificate`);
      const { certificateNo, validUntil } = command.data;
      return steps.done((head) => ({
        type: 'CertificateIssued',
        data: { ...head, certificateNo: text(certificateNo) ?? `ZZ-${caseId}`, certificateType, issuedBy: state.leadDepartment ?? '', validUntil: validUntil ?? null },
      }));
    }

    case 'DeliverResult': {
      const blocked = afterDecisionBlocked(state, item, 'delivered');
      if (blocked) return blocked;
      const { method = 'WINDOW' } = command.data;
      const trackingNo = text(command.data.trackingNo);
      if (method === 'POST' && !trackingNo) return no('TrackingNumberRequired', 'a posted result (邮寄送达) needs its tracking number', 'trackingNo');
      return steps.done((head) => ({ type: 'CaseDelivered', data: { ...head, method, trackingNo: trackingNo ?? null } }));
    }

    case 'ReviewCase': {
      const { grade } = command.data;
      const rating = Number.isInteger(grade) ? ratingOfGrade[grade] : undefined;
      if (!rating) return no('InvalidGrade', `grade ${grade}: 好差评 grades are whole numbers from 1 (非常不满意) to 5 (非常满意)`, 'grade');
      const blocked = afterDecisionBlocked(state, item, 'reviewed');
      if (blocked) return blocked;
      return steps.done((head) => ({ type: 'CaseReviewed', data: { ...head, rating, comment: text(command.data.comment) ?? null } }));
    }

    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown case command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** The fields every case event begins with. */
type Head = { eventId: string; occurredAt: Date; caseId: string };

/** Collects the events of one decision, numbering them on from the case's version. */
class Steps {
  private readonly events: CaseEvent[] = [];
  constructor(
    private readonly state: CaseState,
    private readonly occurredAt: Date,
  ) {}

  /** Adds the event `make` builds on the next event's head (its id, time and case). */
  add(make: (head: Head) => CaseEvent): this {
    const { caseId } = this.state;
    this.events.push(make({ eventId: caseEventId(caseId, this.state.version + this.events.length + 1), occurredAt: this.occurredAt, caseId }));
    return this;
  }

  done(make: (head: Head) => CaseEvent): Outcome {
    return this.add(make).result();
  }

  result(): Outcome {
    return { ok: true, events: this.events };
  }
}

/** The requests of stage `number` (from 1) of the plan, one per department, all at once; nothing past the last stage. */
function requestStage(steps: Steps, lead: string, plan: readonly PlannedStage[], number: number): void {
  const stage = plan[number - 1];
  if (!stage) return;
  const staged = plan.length > 1;
  for (const coApprover of stage.departments) {
    steps.add((head) => ({
      type: 'CoApprovalRequested',
      data: { ...head, requestedBy: lead, coApprover, mode: staged ? 'STAGED' : 'PARALLEL', stage: staged ? number : null, dueDays: stage.dueDays },
    }));
  }
}

/**
 * A request for supplementary material (补正告知) stops the clock; while it is
 * stopped for material, more departments may add what they miss (the applicant
 * brings it all at once), and the case resumes once for all of them.
 */
function supplement(steps: Steps, state: CaseState, department: string, materials: readonly string[] | undefined, note: string | undefined): Outcome {
  const missing = (materials ?? []).map((name) => name.trim()).filter((name) => name.length > 0);
  if (missing.length === 0) return no('MaterialsRequired', 'a request for supplementary material names every missing material at once (一次性告知)', 'materials');
  const current = openSuspension(state);
  if (current && current.kind !== 'SUPPLEMENT') return suspended(state);
  steps.add((head) => ({ type: 'SupplementRequested', data: { ...head, requestedBy: department, missingMaterials: missing, note: text(note) ?? null } }));
  if (!current) steps.add((head) => ({ type: 'CaseSuspended', data: { ...head, kind: 'SUPPLEMENT', department, reason: `补正 (supplementary material): ${missing.join('、')}` } }));
  return steps.result();
}

/** The co-approval plan: as recorded at acceptance, else the item's as it is now. */
function planOf(state: CaseState, items: (code: string) => Item | undefined): readonly PlannedStage[] {
  if (state.plan) return state.plan;
  return (items(state.itemCode)?.stages ?? []).map((stage) => ({ departments: [...stage.departments], dueDays: stage.dueDays }));
}

/** Answers carry the stage as their request did: null for a parallel item. */
function stageOfEvent(state: CaseState, items: (code: string) => Item | undefined, stage: number): number | null {
  return planOf(state, items).length > 1 ? stage : null;
}

function intakeBlocked(state: CaseState) {
  if (state.status === 'submitted') return undefined;
  if (state.status === 'refused-at-intake') {
    return no('RefusedAtIntake', `case ${state.caseId} was refused at intake: ${state.intakeRefusal?.reason ?? ''}`);
  }
  return no('AlreadyAccepted', `case ${state.caseId} was accepted at ${iso(state.acceptedAt)}`);
}

function notAccepted(state: CaseState) {
  return no('NotAccepted', `case ${state.caseId} has not been accepted yet`);
}

function coApprovalBlocked(state: CaseState) {
  switch (state.status) {
    case 'submitted':
      return notAccepted(state);
    case 'refused-at-intake':
      return intakeBlocked(state);
    case 'co-approval':
      return undefined;
    case 'suspended':
      if (state.resumeTo === 'co-approval') return undefined;
      return no('NotInCoApproval', `co-approval of case ${state.caseId} is over (suspended while awaiting the decision)`);
    default:
      return no('NotInCoApproval', `co-approval of case ${state.caseId} is over (status ${state.status})`);
  }
}

function notRunning(state: CaseState) {
  if (state.status === 'submitted' || state.status === 'refused-at-intake') return coApprovalBlocked(state) ?? notAccepted(state);
  return no('AlreadyDecided', `case ${state.caseId} is completed (status ${state.status})`);
}

function suspended(state: CaseState) {
  const current = openSuspension(state);
  return no('CaseSuspended', `case ${state.caseId} is suspended (${current?.kind}) since ${iso(current?.since)}: answers and decisions wait until it resumes`);
}

function notLead(state: CaseState, department: string, what: string) {
  return no('NotLeadDepartment', `only the lead department ${state.leadDepartment} may ${what} case ${state.caseId}, not ${department}`);
}

type LaterStep = 'fee-assessed' | 'paid' | 'certificate-issued' | 'delivered' | 'reviewed';

/**
 * The steps after the decision, in order: an approved case pays its fee
 * (when the item has one), gets its certificate (when the item issues one),
 * then is delivered and reviewed; a refused one is delivered (the 不予许可
 * decision) and reviewed.
 */
function stepsAfterDecision(state: CaseState, item: Item | undefined): LaterStep[] {
  if (state.decision?.outcome !== 'APPROVED') return ['delivered', 'reviewed'];
  return [...(item?.fee ? (['fee-assessed', 'paid'] as const) : []), ...(item?.certificateType ? (['certificate-issued'] as const) : []), 'delivered', 'reviewed'];
}

const missingStep: Record<LaterStep, [CaseRefusalType, string]> = {
  'fee-assessed': ['FeeNotAssessed', 'the fee has not been assessed'],
  paid: ['FeeNotPaid', 'the fee has not been paid'],
  'certificate-issued': ['CertificateNotIssued', 'the certificate has not been issued'],
  delivered: ['NotDelivered', 'the result has not been delivered'],
  // The last step is never missing before another; listed because every step has an entry.
  reviewed: ['NotDelivered', 'the case has not been reviewed'],
};

const repeatedStep: Record<LaterStep, CaseRefusalType> = {
  'fee-assessed': 'FeeAlreadyAssessed',
  paid: 'FeeAlreadyPaid',
  'certificate-issued': 'CertificateAlreadyIssued',
  delivered: 'AlreadyDelivered',
  reviewed: 'AlreadyReviewed',
};

/** Why `step` cannot be taken now, or undefined when it is the case's next step. */
function afterDecisionBlocked(state: CaseState, item: Item | undefined, step: LaterStep) {
  const status: CaseStatus | undefined = state.status;
  switch (status) {
    case 'submitted':
    case 'refused-at-intake':
      return notRunning(state);
    case 'co-approval':
    case 'suspended':
    case 'awaiting-decision':
      return no('NotDecided', `case ${state.caseId} has not been decided yet (status ${status})`);
    default:
      break;
  }
  const sequence = stepsAfterDecision(state, item);
  const position = sequence.indexOf(step);
  if (position < 0) {
    if (state.decision?.outcome !== 'APPROVED') return no('NotApproved', `case ${state.caseId} was refused: there is no ${step === 'certificate-issued' ? 'certificate' : 'fee'}`);
    return step === 'certificate-issued' ? no('NoCertificate', `item ${state.itemCode} issues no certificate`) : no('NoFee', `item ${state.itemCode} is free`);
  }
  const done = sequence.indexOf(status as LaterStep);
  if (position <= done) return no(repeatedStep[step], `case ${state.caseId} is past that step (status ${status})`);
  const next = sequence[done + 1];
  if (next !== undefined && next !== step) {
    const [type, what] = missingStep[next];
    return no(type, `case ${state.caseId}: ${what} yet`);
  }
  return undefined;
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function cents(amount: string): number {
  return Math.round(Number(amount) * 100);
}

function iso(at: Date | undefined): string {
  return at ? at.toISOString() : 'an unknown time';
}
