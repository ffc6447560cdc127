import type { Message } from '@hub/decider';
import type { CoApprovalStage, CaseOutcome, DeliveryMethod, EventTypeMap, ReviewRating, SuspensionKind } from '@hub/schemas';

/** The events of a case (办件), in the order a case can meet them; `type` is the Avro record name. */
export const caseEventTypes = [
  'CaseSubmitted',
  'CaseAccepted',
  'CaseRefusedAtIntake',
  'CoApprovalRequested',
  'CoApprovalGranted',
  'CoApprovalRefused',
  'SupplementRequested',
  'CaseSuspended',
  'CaseResumed',
  'CaseDecided',
  'FeeAssessed',
  'FeePaid',
  'CertificateIssued',
  'CaseDelivered',
  'CaseReviewed',
] as const;

export type CaseEventType = (typeof caseEventTypes)[number];

/** One co-approval stage as planned at acceptance (`CaseAccepted.stages`). */
export type PlannedStage = CoApprovalStage;

type CaseEventData = Pick<EventTypeMap, CaseEventType>;

/** `{ type, data }` with `data` the generated Avro type of `type`. */
export type CaseEvent = { [T in CaseEventType]: Message<T, CaseEventData[T]> }[CaseEventType];

/** What `GET /v1/cases/{caseId}` calls the case's status. */
export type CaseStatus =
  | 'submitted'
  | 'refused-at-intake'
  | 'co-approval'
  | 'suspended'
  | 'awaiting-decision'
  | 'approved'
  | 'refused'
  | 'fee-assessed'
  | 'paid'
  | 'certificate-issued'
  | 'delivered'
  | 'reviewed';

/**
 * A co-approval task (协办任务): `open` until the department answers;
 * `awaiting-supplement` while the material it asked for is missing (it answers
 * again once the case resumes); `cancelled` when another department's refusal
 * ended co-approval before it answered.
 */
export type TaskStatus = 'open' | 'awaiting-supplement' | 'granted' | 'refused' | 'cancelled';

export interface CoApprovalTask {
  department: string;
  /** From 1; a parallel item (one stage, `stage: null` on its events) has stage 1. */
  stage: number;
  dueDays: number;
  requestedAt: Date;
  status: TaskStatus;
  answeredAt?: Date;
}

/** A stop of the clock (特殊环节). */
export interface SuspensionPeriod {
  kind: SuspensionKind;
  department: string;
  reason: string;
  since: Date;
  resumedAt?: Date;
}

/** One line of the case's history as the case view shows it. */
export interface HistoryEntry {
  type: CaseEventType;
  occurredAt: Date;
  department?: string;
  stage?: number;
  dueDays?: number;
  reason?: string;
  opinion?: string;
  materials?: string[];
  kind?: SuspensionKind;
  outcome?: CaseOutcome;
  amount?: string;
  receiptNo?: string;
  certificateNo?: string;
  method?: DeliveryMethod;
  grade?: number;
}

/**
 * One case, everything its decisions and its view need, and no more: a case
 * meets some fifteen events, so the state is a few hundred bytes.
 * `status === undefined` until the case is submitted.
 */
export interface CaseState {
  /** Events of the case so far; the next event is version `version + 1`. */
  version: number;
  status: CaseStatus | undefined;
  caseId: string;
  itemCode: string;
  itemName: string;
  centreId: string;
  submittedAt?: Date;
  /** Time of the latest step: no step may be dated before it. */
  lastStepAt?: Date;
  leadDepartment?: string;
  acceptedAt?: Date;
  promisedDays?: number;
  legalDays?: number;
  /** The co-approval plan recorded at acceptance, when the record carries it. */
  plan?: PlannedStage[];
  /** The stage whose tasks are open, while co-approval runs. */
  openStage?: number;
  tasks: CoApprovalTask[];
  suspensions: SuspensionPeriod[];
  /** The status to return to when the open suspension ends. */
  resumeTo?: CaseStatus;
  intakeRefusal?: { department: string; reason: string };
  coApprovalRefusal?: { department: string; stage: number; reason: string };
  decision?: { outcome: CaseOutcome; decidedBy: string; reason: string | null; decidedAt: Date };
  fee?: { amount: string; basis: string; assessedAt: Date; paidAt?: Date; receiptNo?: string };
  certificate?: { certificateNo: string; certificateType: string; issuedAt: Date };
  deliveredAt?: Date;
  review?: { rating: ReviewRating; grade: number; comment: string | null; reviewedAt: Date };
  history: HistoryEntry[];
}

export function initialCaseState(): CaseState {
  return { version: 0, status: undefined, caseId: '', itemCode: '', itemName: '', centreId: '', tasks: [], suspensions: [], history: [] };
}

/** Deterministic event ids: version n of case c is `c:n` (CaseSubmitted is `c:1`, as the gateway names it). */
export const caseEventId = (caseId: string, version: number): string => `${caseId}:${version}`;

/** The five grades of 好差评, from 5 非常满意 down to 1 非常不满意. */
export const ratingOfGrade: Readonly<Record<number, ReviewRating>> = {
  5: 'VERY_SATISFIED',
  4: 'SATISFIED',
  3: 'BASICALLY_SATISFIED',
  2: 'DISSATISFIED',
  1: 'VERY_DISSATISFIED',
};

const gradeOfRating: Readonly<Record<ReviewRating, number>> = {
  VERY_SATISFIED: 5,
  SATISFIED: 4,
  BASICALLY_SATISFIED: 3,
  DISSATISFIED: 2,
  VERY_DISSATISFIED: 1,
};

/** The stage number of an event: `null` is the one stage of a parallel item. */
export const stageNumber = (stage: number | null): number => stage ?? 1;

/** The open suspension, if the clock is stopped. */
export function openSuspension(state: CaseState): SuspensionPeriod | undefined {
  const last = state.suspensions[state.suspensions.length - 1];
  return last && last.resumedAt === undefined ? last : undefined;
}

/** In place (see `Decider`): the case's state belongs to whoever folds its events. */
export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  state.version += 1;
  const at = event.data.occurredAt;
  if (state.lastStepAt === undefined || at > state.lastStepAt) state.lastStepAt = at;
  state.history.push(historyEntry(event));
  switch (event.type) {
    case 'CaseSubmitted': {
      const { caseId, itemCode, itemName, centreId } = event.data;
      Object.assign(state, { status: 'submitted', caseId, itemCode, itemName, centreId, submittedAt: at });
      return state;
    }
    case 'CaseAccepted': {
      const { leadDepartment, promisedDays, legalDays, acceptedAt, stages } = event.data;
      // Awaiting the lead's decision unless the requests of stage 1 follow in the same batch.
      Object.assign(state, { status: 'awaiting-decision', leadDepartment, promisedDays, legalDays, acceptedAt });
      if (stages) state.plan = stages;
      return state;
    }
    case 'CaseRefusedAtIntake':
      state.status = 'refused-at-intake';
      state.intakeRefusal = { department: event.data.department, reason: event.data.reason };
      return state;
    case 'CoApprovalRequested': {
      const stage = stageNumber(event.data.stage);
      state.tasks.push({ department: event.data.coApprover, stage, dueDays: event.data.dueDays, requestedAt: at, status: 'open' });
      state.openStage = stage;
      state.status = 'co-approval';
      return state;
    }
    case 'CoApprovalGranted': {
      const task = taskOf(state, event.data.coApprover, stageNumber(event.data.stage));
      if (task) Object.assign(task, { status: 'granted', answeredAt: at });
      if (state.tasks.every((t) => t.stage !== state.openStage || t.status === 'granted')) {
        // The stage is through: the lead decides, unless the next stage's requests follow in the same batch.
        state.openStage = undefined;
        state.status = 'awaiting-decision';
      }
      return state;
    }
    case 'CoApprovalRefused': {
      const stage = stageNumber(event.data.stage);
      const task = taskOf(state, event.data.coApprover, stage);
      if (task) Object.assign(task, { status: 'refused', answeredAt: at });
      for (const other of state.tasks) if (other.status === 'open' || other.status === 'awaiting-supplement') other.status = 'cancelled';
      state.coApprovalRefusal = { department: event.data.coApprover, stage, reason: event.data.reason };
      state.openStage = undefined;
      state.status = 'awaiting-decision';
      return state;
    }
    case 'SupplementRequested': {
      const task = state.openStage === undefined ? undefined : taskOf(state, event.data.requestedBy, state.openStage);
      if (task?.status === 'open') task.status = 'awaiting-supplement';
      return state;
    }
    case 'CaseSuspended': {
      const { kind, department, reason } = event.data;
      if (state.status !== 'suspended') state.resumeTo = state.status;
      state.suspensions.push({ kind, department, reason, since: at });
      state.status = 'suspended';
      return state;
    }
    case 'CaseResumed': {
      const suspension = openSuspension(state);
      if (suspension) suspension.resumedAt = at;
      for (const task of state.tasks) if (task.status === 'awaiting-supplement') task.status = 'open';
      state.status = state.resumeTo ?? 'co-approval';
      state.resumeTo = undefined;
      return state;
    }
    case 'CaseDecided': {
      const { outcome, decidedBy, reason } = event.data;
      state.decision = { outcome, decidedBy, reason, decidedAt: at };
      state.status = outcome === 'APPROVED' ? 'approved' : 'refused';
      return state;
    }
    case 'FeeAssessed':
      state.fee = { amount: event.data.amount, basis: event.data.feeBasis, assessedAt: at };
      state.status = 'fee-assessed';
      return state;
    case 'FeePaid':
      state.fee = { ...(state.fee ?? { amount: event.data.amount, basis: '', assessedAt: at }), paidAt: event.data.paidAt, receiptNo: event.data.receiptNo };
      state.status = 'paid';
      return state;
    case 'CertificateIssued':
      state.certificate = { certificateNo: event.data.certificateNo, certificateType: event.data.certificateType, issuedAt: at };
      state.status = 'certificate-issued';
      return state;
    case 'CaseDelivered':
      state.deliveredAt = at;
      state.status = 'delivered';
      return state;
    case 'CaseReviewed':
      state.review = { rating: event.data.rating, grade: gradeOfRating[event.data.rating], comment: event.data.comment, reviewedAt: at };
      state.status = 'reviewed';
      return state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

/**
 * A copy of the case that `evolveCase` may change without touching the
 * original: evolve changes tasks and suspensions in place and adds to the
 * arrays, and replaces every other object whole (what is shared is never
 * changed). Much cheaper than structuredClone, which the router would pay on
 * every case of every batch.
 */
export function cloneCase(state: CaseState): CaseState {
  return {
    ...state,
    tasks: state.tasks.map((task) => ({ ...task })),
    suspensions: state.suspensions.map((suspension) => ({ ...suspension })),
    history: [...state.history],
  };
}

/** The task of `department` in `stage`. */
export function taskOf(state: CaseState, department: string, stage: number): CoApprovalTask | undefined {
  return state.tasks.find((task) => task.department === department && task.stage === stage);
}

function historyEntry(event: CaseEvent): HistoryEntry {
  const entry: HistoryEntry = { type: event.type, occurredAt: event.data.occurredAt };
  switch (event.type) {
    case 'CaseSubmitted':
      return entry;
    case 'CaseAccepted':
      return { ...entry, department: event.data.leadDepartment };
    case 'CaseRefusedAtIntake':
      return { ...entry, department: event.data.department, reason: event.data.reason };
    case 'CoApprovalRequested':
      return { ...entry, department: event.data.coApprover, stage: stageNumber(event.data.stage), dueDays: event.data.dueDays };
    case 'CoApprovalGranted':
      return withOptional({ ...entry, department: event.data.coApprover, stage: stageNumber(event.data.stage) }, 'opinion', event.data.opinion);
    case 'CoApprovalRefused':
      return { ...entry, department: event.data.coApprover, stage: stageNumber(event.data.stage), reason: event.data.reason };
    case 'SupplementRequested':
      return { ...entry, department: event.data.requestedBy, materials: [...event.data.missingMaterials] };
    case 'CaseSuspended':
      return { ...entry, department: event.data.department, kind: event.data.kind, reason: event.data.reason };
    case 'CaseResumed':
      return { ...entry, department: event.data.department, kind: event.data.kind };
    case 'CaseDecided':
      return withOptional({ ...entry, department: event.data.decidedBy, outcome: event.data.outcome }, 'reason', event.data.reason);
    case 'FeeAssessed':
      return { ...entry, amount: event.data.amount };
    case 'FeePaid':
      return { ...entry, amount: event.data.amount, receiptNo: event.data.receiptNo };
    case 'CertificateIssued':
      return { ...entry, department: event.data.issuedBy, certificateNo: event.data.certificateNo };
    case 'CaseDelivered':
      return { ...entry, method: event.data.method };
    case 'CaseReviewed':
      return { ...entry, grade: gradeOfRating[event.data.rating] };
    default: {
      const _exhaustive: never = event;
      return entry;
    }
  }
}

function withOptional<K extends 'opinion' | 'reason'>(entry: HistoryEntry, key: K, value: string | null): HistoryEntry {
  return value === null ? entry : { ...entry, [key]: value };
}
