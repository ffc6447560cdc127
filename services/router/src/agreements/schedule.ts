import { shanghaiDate, type LocalDate, type WorkingCalendar } from '@hub/calendar';
import type { AlertLevel, SupervisionAlert } from '@hub/schemas';
import { defaultSupervisionOptions, startOfShanghaiDay, type SupervisionOptions } from '../supervision/schedule.ts';
import type { AgreementState } from './events.ts';
import { ANSWER_DAYS, answerDeadline } from './view.ts';

/** One alert of an agreement's wait for the owner's answer, and the instant it falls due. */
export interface ScheduledAgreementAlert {
  readonly eventId: string;
  readonly agreementId: string;
  readonly level: AlertLevel;
  /** When it falls due, and its `occurredAt`: 00:00 Asia/Shanghai of the warning day, or of the day after the due date. */
  readonly dueAt: Date;
  /** The owner, who owes the answer. */
  readonly responsibleDepartment: string;
  readonly deadline: LocalDate;
  readonly provisional: boolean;
  /** The date the wait counts from (the request, or the suspension awaiting the owner). */
  readonly countsFrom: LocalDate;
}

/**
 * The alert's event id: `${agreementId}:alert:answer@${round}:${level}`,
 * where `round` is the version of the event that opened the wait (1 for the
 * request). One id per wait and level, so each is raised once and a replay
 * yields the same id.
 */
export function agreementAlertId(agreementId: string, round: number, level: AlertLevel): string {
  return `${agreementId}:alert:answer@${round}:${level}`;
}

const MS_PER_DAY = 86_400_000;

/**
 * Every alert this agreement is due to raise while the owner owes an answer
 * (国发〔2016〕51号: 10 working days), supposing nothing more happens to it,
 * in the order they fall due: a WARNING at 00:00 of the working day
 * `warningDays` before the due date, OVERDUE at 00:00 of the day after, both
 * to the owner. A wait that ended before a threshold (the answer, a
 * revocation, a resource no longer shared) raises nothing for it, and the
 * schedule is worked out from the agreement's own event times, so a tick
 * after the answer raises what a tick on time raised.
 */
export function agreementAlertSchedule(
  state: AgreementState,
  calendar: WorkingCalendar,
  options: SupervisionOptions = defaultSupervisionOptions,
): ScheduledAgreementAlert[] {
  const scheduled: ScheduledAgreementAlert[] = [];
  for (const wait of state.waits) {
    const due = answerDeadline(wait, calendar);
    const deadline = due.dueDate;
    if (deadline === undefined) continue;
    const overdueFrom = new Date(startOfShanghaiDay(deadline).getTime() + MS_PER_DAY);
    const thresholds: [AlertLevel, Date][] = [
      ['WARNING', startOfShanghaiDay(calendar.addWorkingDays(deadline, -options.warningDays).date)],
      ['OVERDUE', overdueFrom],
    ];
    for (const [level, threshold] of thresholds) {
      const dueAt = threshold > wait.since ? threshold : wait.since;
      if (wait.endedAt !== undefined && dueAt >= wait.endedAt) continue;
      if (level === 'WARNING' && dueAt >= overdueFrom) continue;
      scheduled.push({
        eventId: agreementAlertId(state.agreementId, wait.round, level),
        agreementId: state.agreementId,
        level,
        dueAt,
        responsibleDepartment: state.owner,
        deadline,
        provisional: due.provisional,
        countsFrom: shanghaiDate(wait.since),
      });
    }
  }
  return scheduled.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * The alert as `supervision.alerts` carries it. An agreement awaiting its
 * answer is a sharing request (数据共享申请), so its id goes in `requestId`
 * and `caseId` is null.
 */
export function agreementAlertData(alert: ScheduledAgreementAlert, calendar: WorkingCalendar): SupervisionAlert {
  const used = calendar.workingDaysUsed(alert.countsFrom, shanghaiDate(alert.dueAt)).days;
  return {
    eventId: alert.eventId,
    occurredAt: alert.dueAt,
    level: alert.level,
    caseId: null,
    requestId: alert.agreementId,
    responsibleDepartment: alert.responsibleDepartment,
    deadline: alert.deadline,
    limitDays: ANSWER_DAYS,
    workingDaysUsed: used,
    workingDaysRemaining: ANSWER_DAYS - used,
  };
}
