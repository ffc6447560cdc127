import { type LocalDate, type WorkingCalendar, shanghaiDate } from '@hub/calendar';
import { caseDeadlines, suspensionsOf, taskDeadline, workingDaysUsed } from '@hub/router';
import { divisionPath, type DivisionPath } from '../divisions.ts';
import type { ProjectedCase } from './fold.ts';

/**
 * What the figures count of one case, worked out when its events are
 * projected, with the router's own calendar and deadline rules (so the
 * figures agree with the due dates the router supervises): a row of the
 * `cases` table. Dates are Asia/Shanghai dates.
 */
export interface CaseFacts extends DivisionPath {
  caseId: string;
  version: number;
  itemCode: string;
  itemName: string;
  centreId: string;
  divisionCode: string;
  /** Empty until acceptance or a refusal at intake names it (the item table says it meanwhile). */
  leadDepartment: string;
  status: string;
  submittedAt: string;
  /** The day of acceptance or of refusal at intake, else of submission: the day the case counts on. */
  day: LocalDate;
  acceptedOn: LocalDate | null;
  refusedAtIntake: 0 | 1;
  promisedDays: number | null;
  legalDays: number | null;
  promisedDueDate: LocalDate | null;
  legalDueDate: LocalDate | null;
  /** The lead's decision (办结). */
  decidedOn: LocalDate | null;
  approved: 0 | 1 | null;
  workingDaysUsed: number | null;
  onTime: 0 | 1 | null;
  sameDay: 0 | 1 | null;
  grade: number | null;
  suspendedSince: LocalDate | null;
  lastEventAt: string;
}

/** A co-approval task (协办任务) as it stands: a row of the `coapproval_tasks` table. */
export interface TaskFacts extends DivisionPath {
  caseId: string;
  department: string;
  stage: number;
  version: number;
  itemCode: string;
  itemName: string;
  leadDepartment: string;
  centreId: string;
  divisionCode: string;
  day: LocalDate;
  requestedOn: LocalDate;
  dueDays: number;
  /** Moved by the suspensions that started while it was open; null while the clock is stopped. */
  dueDate: LocalDate | null;
  answeredOn: LocalDate | null;
  status: string;
  /** Working days from the request to the answer (day 1 the first after the request), suspensions while open excluded. */
  workingDays: number | null;
}

const bit = (value: boolean): 0 | 1 => (value ? 1 : 0);

/** The facts of a submitted case; undefined while the projection has not seen its submission. */
export function caseFacts(projected: ProjectedCase, calendar: WorkingCalendar): CaseFacts | undefined {
  const { state } = projected;
  if (state.status === undefined || state.submittedAt === undefined) return undefined;
  const acceptedOn = state.acceptedAt ? shanghaiDate(state.acceptedAt) : null;
  const decidedOn = state.decision ? shanghaiDate(state.decision.decidedAt) : null;
  const deadlines = caseDeadlines(state, calendar);
  const promisedDueDate = deadlines?.promised.dueDate ?? null;
  const used = decidedOn === null ? undefined : workingDaysUsed(state, calendar, decidedOn);
  const open = state.suspensions.at(-1);
  return {
    caseId: state.caseId,
    version: state.version,
    itemCode: state.itemCode,
    itemName: state.itemName,
    centreId: state.centreId,
    divisionCode: projected.divisionCode,
    ...divisionPath(projected.divisionCode),
    leadDepartment: state.leadDepartment ?? state.intakeRefusal?.department ?? '',
    status: state.status,
    submittedAt: state.submittedAt.toISOString(),
    day: shanghaiDate(projected.intakeAt ?? state.submittedAt),
    acceptedOn,
    refusedAtIntake: bit(state.status === 'refused-at-intake'),
    promisedDays: state.promisedDays ?? null,
    legalDays: state.legalDays ?? null,
    promisedDueDate,
    legalDueDate: deadlines?.legal.dueDate ?? null,
    decidedOn,
    approved: state.decision ? bit(state.decision.outcome === 'APPROVED') : null,
    workingDaysUsed: used?.days ?? null,
    onTime: decidedOn === null ? null : bit(promisedDueDate !== null && decidedOn <= promisedDueDate),
    sameDay: decidedOn === null ? null : bit(decidedOn === acceptedOn),
    grade: state.review?.grade ?? null,
    suspendedSince: open && open.resumedAt === undefined ? shanghaiDate(open.since) : null,
    lastEventAt: (state.lastStepAt ?? state.submittedAt).toISOString(),
  };
}

/** The case's co-approval tasks, each with its due date and the working days it took. */
export function taskFacts(projected: ProjectedCase, facts: CaseFacts, calendar: WorkingCalendar): TaskFacts[] {
  const { state } = projected;
  return state.tasks.map((task) => {
    const requestedOn = shanghaiDate(task.requestedAt);
    const answeredOn = task.answeredAt ? shanghaiDate(task.answeredAt) : null;
    return {
      caseId: facts.caseId,
      department: task.department,
      stage: task.stage,
      version: facts.version,
      itemCode: facts.itemCode,
      itemName: facts.itemName,
      leadDepartment: facts.leadDepartment,
      centreId: facts.centreId,
      divisionCode: facts.divisionCode,
      province: facts.province,
      city: facts.city,
      county: facts.county,
      town: facts.town,
      village: facts.village,
      divisionLevel: facts.divisionLevel,
      day: facts.day,
      requestedOn,
      dueDays: task.dueDays,
      dueDate: taskDeadline(state, task, calendar).dueDate ?? null,
      answeredOn,
      status: task.status,
      workingDays: answeredOn === null ? null : calendar.workingDaysUsed(requestedOn, answeredOn, suspensionsOf(state, task.requestedAt, task.answeredAt)).days,
    };
  });
}
