import { shanghaiDate, type LocalDate, type Suspension, type WorkingCalendar } from '@hub/calendar';
import type { AlertLevel, SupervisionAlert } from '@hub/schemas';
import type { CaseState, CoApprovalTask, SuspensionPeriod } from '../cases/events.ts';
import { acceptedOn, suspensionsOf } from '../cases/view.ts';
import { alertId, OPERATOR, type AlertSubject } from './events.ts';

export interface SupervisionOptions {
  /**
   * Working days left when the warning (预警) falls due: with 1, on the
   * working day before the due date, whose end leaves only the due date.
   */
  readonly warningDays: number;
}

export const defaultSupervisionOptions: SupervisionOptions = { warningDays: 1 };

/** Throws RangeError naming `warningDays` unless it is a whole number ≥ 0. */
export function checkSupervisionOptions(options: Partial<SupervisionOptions> = {}): SupervisionOptions {
  const { warningDays = defaultSupervisionOptions.warningDays } = options;
  if (!Number.isInteger(warningDays) || warningDays < 0) throw new RangeError(`warningDays should be a whole number ≥ 0, got ${warningDays}`);
  return { warningDays };
}

/** One alert of a case and the instant it falls due, if nothing more happens to the case. */
export interface ScheduledAlert {
  readonly eventId: string;
  readonly caseId: string;
  readonly subject: AlertSubject;
  readonly level: AlertLevel;
  /**
   * When it falls due, and its `occurredAt`: the threshold (00:00 Asia/Shanghai
   * of the warning day, or of the day after the due date), or, when the
   * threshold passed while the clock was stopped, the instant it restarted.
   * Both are event times, so a history run dates an alert as live operation does.
   */
  readonly dueAt: Date;
  readonly responsibleDepartment: string;
  readonly deadline: LocalDate;
  readonly provisional: boolean;
  readonly limitDays: number;
  /** The date of acceptance or request the limit counts from, and the suspensions it skips: for the days used. */
  readonly countsFrom: LocalDate;
  readonly suspensions: readonly Suspension[];
}

/** A time limit supervision watches, and the levels it can raise. */
interface Limit {
  readonly subject: AlertSubject;
  readonly responsibleDepartment: string;
  readonly countsFrom: LocalDate;
  readonly days: number;
  /** Its clock starts (acceptance, request) and stops for good (decision, answer, cancellation). */
  readonly start: Date;
  readonly end: Date | undefined;
  /** Only suspensions that began at or after this instant move it (a task's); all of the case's when undefined. */
  readonly movedBySuspensionsFrom: Date | undefined;
  readonly levels: readonly AlertLevel[];
}

/** A stretch of time in which a limit's clock runs: [from, until), `until` undefined while it still runs. */
interface Stretch {
  readonly from: Date;
  readonly until: Date | undefined;
}

const MS_PER_DAY = 86_400_000;

/**
 * Every alert this case is due to raise, each with the instant it falls due,
 * supposing nothing more happens to the case; in the order they fall due.
 *
 * The schedule is worked out from the case's own event times, not from when
 * it is asked: the case is open from its acceptance to its decision (办结),
 * a task from its request to its answer or cancellation, and neither runs
 * while the case is suspended. In each stretch the clock runs, the due date
 * is the one known then (the suspensions before it counted, later ones not
 * yet), and an alert belongs to the first stretch its threshold falls in.
 * So a case that moved on before a threshold raises nothing for it, a
 * suspended case raises nothing until it resumes, and asking later (a tick
 * after the case's next events) gives the same schedule as asking on time.
 */
export function alertSchedule(state: CaseState, calendar: WorkingCalendar, options: SupervisionOptions = defaultSupervisionOptions): ScheduledAlert[] {
  const scheduled: ScheduledAlert[] = [];
  let horizon: ScheduledAlert | undefined;
  for (const limit of limitsOf(state)) {
    const pending = new Set(limit.levels);
    for (const stretch of runningStretches(limit.start, limit.end, state.suspensions)) {
      const suspensions = suspensionsOf(state, limit.movedBySuspensionsFrom, stretch.from);
      const due = calendar.dueDate(limit.countsFrom, limit.days, suspensions);
      const deadline = due.dueDate;
      // Every suspension before the stretch has resumed, so the due date is known; undefined would mean an inconsistent state.
      if (deadline === undefined) continue;
      const alert = (dueAt: Date, level: AlertLevel, subject: AlertSubject, responsibleDepartment: string): ScheduledAlert => ({
        eventId: alertId(state.caseId, subject, level),
        caseId: state.caseId,
        subject,
        level,
        dueAt,
        responsibleDepartment,
        deadline,
        provisional: due.provisional,
        limitDays: limit.days,
        countsFrom: limit.countsFrom,
        suspensions,
      });
      // Raised once for the whole case, as soon as any of its limits is counted past the horizon.
      if (due.provisional && (horizon === undefined || stretch.from < horizon.dueAt)) {
        horizon = alert(stretch.from, 'WARNING', { kind: 'horizon' }, OPERATOR);
      }
      for (const level of pending) {
        const dueAt = fallsDueIn(stretch, level, deadline, calendar, options);
        if (dueAt === undefined) continue;
        scheduled.push(alert(dueAt, level, limit.subject, limit.responsibleDepartment));
        pending.delete(level);
      }
    }
  }
  if (horizon) scheduled.push(horizon);
  return scheduled.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** The alert's data as `supervision.alerts` carries it, with the working days used on the day it falls due. */
export function alertData(alert: ScheduledAlert, calendar: WorkingCalendar): SupervisionAlert {
  const used = calendar.workingDaysUsed(alert.countsFrom, shanghaiDate(alert.dueAt), alert.suspensions).days;
  return {
    eventId: alert.eventId,
    occurredAt: alert.dueAt,
    level: alert.level,
    caseId: alert.caseId,
    requestId: null,
    responsibleDepartment: alert.responsibleDepartment,
    deadline: alert.deadline,
    limitDays: alert.limitDays,
    workingDaysUsed: used,
    workingDaysRemaining: alert.limitDays - used,
  };
}

/** When `level` falls due in this stretch, or undefined when the stretch ends first. */
function fallsDueIn(stretch: Stretch, level: AlertLevel, dueDate: LocalDate, calendar: WorkingCalendar, options: SupervisionOptions): Date | undefined {
  const overdueFrom = new Date(startOfShanghaiDay(dueDate).getTime() + MS_PER_DAY);
  let threshold: Date;
  switch (level) {
    case 'WARNING':
      threshold = startOfShanghaiDay(calendar.addWorkingDays(dueDate, -options.warningDays).date);
      break;
    case 'OVERDUE':
    case 'LEGAL_LIMIT_BREACHED':
      threshold = overdueFrom;
      break;
    default: {
      const _exhaustive: never = level;
      throw new Error(`unknown alert level ${String(_exhaustive)}`);
    }
  }
  const dueAt = threshold > stretch.from ? threshold : stretch.from;
  if (stretch.until !== undefined && dueAt >= stretch.until) return undefined;
  // A warning is for a limit not yet passed: a clock that restarts overdue raises the red card alone.
  if (level === 'WARNING' && dueAt >= overdueFrom) return undefined;
  return dueAt;
}

/** The case's limits: promised (承诺时限) and legal (法定时限) on the lead department, and each task's on its co-approver. */
function limitsOf(state: CaseState): Limit[] {
  const from = acceptedOn(state);
  const { acceptedAt, leadDepartment, promisedDays, legalDays } = state;
  if (from === undefined || acceptedAt === undefined || leadDepartment === undefined || promisedDays === undefined || legalDays === undefined) return [];
  const decidedAt = state.decision?.decidedAt;
  const caseLimit = { subject: { kind: 'case' } as const, responsibleDepartment: leadDepartment, countsFrom: from, start: acceptedAt, end: decidedAt, movedBySuspensionsFrom: undefined };
  const limits: Limit[] = [
    { ...caseLimit, days: promisedDays, levels: ['WARNING', 'OVERDUE'] },
    { ...caseLimit, days: legalDays, levels: ['LEGAL_LIMIT_BREACHED'] },
  ];
  for (const task of state.tasks) {
    limits.push({
      subject: { kind: 'task', department: task.department, stage: task.stage },
      responsibleDepartment: task.department,
      countsFrom: shanghaiDate(task.requestedAt),
      days: task.dueDays,
      start: task.requestedAt,
      end: taskEnd(state, task),
      movedBySuspensionsFrom: task.requestedAt,
      levels: ['WARNING', 'OVERDUE'],
    });
  }
  return limits;
}

/** When the task moved on for good: its answer, or the refusal that cancelled it. */
function taskEnd(state: CaseState, task: CoApprovalTask): Date | undefined {
  switch (task.status) {
    case 'open':
    case 'awaiting-supplement':
      return undefined;
    case 'granted':
    case 'refused':
      return task.answeredAt;
    case 'cancelled':
      // The task keeps no time of its cancellation: it is the time of the refusal that ended co-approval.
      return state.history.find((entry) => entry.type === 'CoApprovalRefused' && entry.occurredAt >= task.requestedAt)?.occurredAt;
    default: {
      const _exhaustive: never = task.status;
      return undefined;
    }
  }
}

/** The stretches of [start, end) outside the case's suspensions (kept in the order they began, one open at a time). */
function runningStretches(start: Date, end: Date | undefined, suspensions: readonly SuspensionPeriod[]): Stretch[] {
  const stretches: Stretch[] = [];
  let from = start;
  for (const suspension of suspensions) {
    if (end !== undefined && suspension.since >= end) break;
    if (suspension.resumedAt !== undefined && suspension.resumedAt <= from) continue;
    if (suspension.since > from) stretches.push({ from, until: suspension.since });
    if (suspension.resumedAt === undefined) return stretches;
    from = suspension.resumedAt;
  }
  if (end === undefined || from < end) stretches.push({ from, until: end });
  return stretches;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** 00:00 in Beijing (UTC+8, no summer time since 1991) of a calendar date (a valid one: the calendar made it). */
export function startOfShanghaiDay(date: LocalDate): Date {
  // From its digits, not `new Date(text)`: parsing is a third of a schedule's time, and every tick asks for a few.
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS);
}
