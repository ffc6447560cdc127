import { shanghaiDate, type Deadline, type LocalDate, type Suspension, type WorkingCalendar } from '@hub/calendar';
import type { CaseStatus, CaseState, CoApprovalTask, HistoryEntry, TaskStatus } from './events.ts';

/** What `GET /v1/cases/{caseId}` answers. Dates are Asia/Shanghai `YYYY-MM-DD`, instants ISO 8601. */
export interface CaseView {
  caseId: string;
  itemCode: string;
  itemName: string;
  status: CaseStatus;
  leadDepartment: string | null;
  acceptedAt: string | null;
  /** Due date of the promised limit (承诺时限); null before acceptance and while the clock is stopped. */
  promisedDueDate: LocalDate | null;
  /** Due date of the legal limit (法定时限); null likewise. */
  legalDueDate: LocalDate | null;
  /** Working days used up to `asOf`, or to the decision once the case is completed (办结); suspensions excluded. */
  workingDaysUsed: number | null;
  /** Some date shown lies past the calendar's horizon and was counted Monday to Friday. */
  deadlineProvisional: boolean;
  /** The day the open suspension started, while the clock is stopped. */
  suspendedSince: LocalDate | null;
  /** The co-approver's refusal the lead decides on, if one ended co-approval. */
  coApprovalRefusal: { department: string; stage: number; reason: string } | null;
  /** The co-approval tasks opened so far. */
  tasks: TaskView[];
  history: HistoryView[];
}

export interface TaskView {
  department: string;
  stage: number;
  status: TaskStatus;
  requestedAt: string;
  dueDate: LocalDate | null;
  answeredAt: string | null;
}

export type HistoryView = Omit<HistoryEntry, 'occurredAt'> & { occurredAt: string };

/** A case as a step leaves it: its view without the history (which the step's answer does not repeat). */
export type CaseSummary = Omit<CaseView, 'history'>;

/** The case as its windows and departments see it on `asOf` (a pure function of the state). */
export function caseView(state: CaseState, calendar: WorkingCalendar, asOf: LocalDate): CaseView {
  return { ...caseSummary(state, calendar, asOf), history: state.history.map((entry) => ({ ...entry, occurredAt: entry.occurredAt.toISOString() })) };
}

/** The view without the history: what the router answers a step with. */
export function caseSummary(state: CaseState, calendar: WorkingCalendar, asOf: LocalDate): CaseSummary {
  if (state.status === undefined) throw new Error('caseView: no case has been submitted in this state');
  const deadlines = caseDeadlines(state, calendar);
  const used = workingDaysUsed(state, calendar, asOf);
  const tasks = state.tasks.map((task) => {
    const due = taskDeadline(state, task, calendar);
    return { task, due };
  });
  const provisional =
    (deadlines?.promised.provisional ?? false) ||
    (deadlines?.legal.provisional ?? false) ||
    (used?.provisional ?? false) ||
    tasks.some(({ due }) => due.provisional);
  const open = state.suspensions[state.suspensions.length - 1];
  return {
    caseId: state.caseId,
    itemCode: state.itemCode,
    itemName: state.itemName,
    status: state.status,
    leadDepartment: state.leadDepartment ?? null,
    acceptedAt: state.acceptedAt?.toISOString() ?? null,
    promisedDueDate: deadlines?.promised.dueDate ?? null,
    legalDueDate: deadlines?.legal.dueDate ?? null,
    workingDaysUsed: used?.days ?? null,
    deadlineProvisional: provisional,
    suspendedSince: open && open.resumedAt === undefined ? shanghaiDate(open.since) : null,
    coApprovalRefusal: state.coApprovalRefusal ? { ...state.coApprovalRefusal } : null,
    tasks: tasks.map(({ task, due }) => ({
      department: task.department,
      stage: task.stage,
      status: task.status,
      requestedAt: task.requestedAt.toISOString(),
      dueDate: due.dueDate ?? null,
      answeredAt: task.answeredAt?.toISOString() ?? null,
    })),
  };
}

/** The Asia/Shanghai date of acceptance, from which every limit of the case counts. */
export function acceptedOn(state: CaseState): LocalDate | undefined {
  return state.acceptedAt ? shanghaiDate(state.acceptedAt) : undefined;
}

/** The case's suspensions as the calendar takes them, those that started at or after `from` and before `until`. */
export function suspensionsOf(state: CaseState, from?: Date, until?: Date): Suspension[] {
  return state.suspensions
    .filter((s) => (from === undefined || s.since >= from) && (until === undefined || s.since < until))
    .map((s) => (s.resumedAt ? { from: shanghaiDate(s.since), resumedOn: shanghaiDate(s.resumedAt) } : { from: shanghaiDate(s.since) }));
}

/** Promised and legal due dates of an accepted case, moved by its suspensions; undefined before acceptance. */
export function caseDeadlines(state: CaseState, calendar: WorkingCalendar): { promised: Deadline; legal: Deadline } | undefined {
  const from = acceptedOn(state);
  if (from === undefined || state.promisedDays === undefined || state.legalDays === undefined) return undefined;
  const suspensions = suspensionsOf(state);
  return { promised: calendar.dueDate(from, state.promisedDays, suspensions), legal: calendar.dueDate(from, state.legalDays, suspensions) };
}

/**
 * A task's due date: its stage's working days from the day it was asked, moved
 * by the suspensions that started while it was open.
 */
export function taskDeadline(state: CaseState, task: CoApprovalTask, calendar: WorkingCalendar): Deadline {
  return calendar.dueDate(shanghaiDate(task.requestedAt), task.dueDays, suspensionsOf(state, task.requestedAt, task.answeredAt));
}

/** Working days used up to `asOf`, or up to the decision date once the case is decided. */
export function workingDaysUsed(state: CaseState, calendar: WorkingCalendar, asOf: LocalDate): { days: number; provisional: boolean } | undefined {
  const from = acceptedOn(state);
  if (from === undefined) return undefined;
  const decidedOn = state.decision ? shanghaiDate(state.decision.decidedAt) : undefined;
  const on = decidedOn !== undefined && decidedOn < asOf ? decidedOn : asOf;
  const used = calendar.workingDaysUsed(from, on, suspensionsOf(state));
  return { days: used.days, provisional: used.provisional };
}
