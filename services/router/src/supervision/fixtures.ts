// Shared by the supervision specs: the real official calendar, cases built
// with the case aggregate's own commands, and builders for ticks and the
// alerts a spec expects, so each spec reads as given/when/then.
import { replay } from '@hub/decider';
import type { AlertLevel, SuspensionKind } from '@hub/schemas';
import type { CaseCommand } from '../cases/decide.ts';
import type { CaseState } from '../cases/events.ts';
import { calendar, CASE, decider as cases, history } from '../cases/fixtures.ts';
import { supervisionDecider, type SupervisionCommand } from './decide.ts';
import { alertId, type AlertSubject, type SupervisionEvent } from './events.ts';

export { bj, calendar, CASE, constructionPermit, hukouTransfer, when } from '../cases/fixtures.ts';

export const supervision = supervisionDecider({ calendar });

/** The case `CASE` after these commands, as the case aggregate leaves it. */
export function caseAfter(...commands: CaseCommand[]): CaseState {
  return replay(cases, history(...commands));
}

/** The lead stops the clock (特殊环节) for a hearing, an expert review… */
export const suspend = (department: string, at: Date, kind: SuspensionKind = 'HEARING', caseId = CASE): CaseCommand => ({
  type: 'SuspendCase',
  data: { caseId, occurredAt: at, department, kind, reason: '组织听证 (hearing)' },
});

/** The router's clock reached `now`; look at these cases. */
export const tick = (now: Date, ...caseStates: CaseState[]): SupervisionCommand => ({ type: 'Tick', data: { now, cases: caseStates } });

export const caseSubject: AlertSubject = { kind: 'case' };
export const horizon: AlertSubject = { kind: 'horizon' };
export const task = (department: string, stage: number): AlertSubject => ({ kind: 'task', department, stage });

export interface Expected {
  level: AlertLevel;
  subject: AlertSubject;
  at: Date;
  to: string;
  deadline: string;
  limitDays: number;
  used: number;
  caseId?: string;
}

/** The alert a spec expects, its id and remaining days derived as the schema defines them. */
export function raised({ level, subject, at, to, deadline, limitDays, used, caseId = CASE }: Expected): SupervisionEvent {
  return {
    type: 'SupervisionAlertRaised',
    data: {
      eventId: alertId(caseId, subject, level),
      occurredAt: at,
      level,
      caseId,
      requestId: null,
      responsibleDepartment: to,
      deadline,
      limitDays,
      workingDaysUsed: used,
      workingDaysRemaining: limitDays - used,
    },
  };
}
