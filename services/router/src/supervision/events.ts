import type { Message } from '@hub/decider';
import type { AlertLevel, SupervisionAlert } from '@hub/schemas';

/**
 * An alert of electronic supervision (电子监察) was raised: 预警/黄牌
 * (`WARNING`), 超时/红牌 (`OVERDUE`) or 超法定时限 (`LEGAL_LIMIT_BREACHED`).
 * `data` is the `supervision.alerts` record as the Avro schema has it.
 */
export type SupervisionEvent = Message<'SupervisionAlertRaised', SupervisionAlert>;

/**
 * What an alert is about: the case against its promised and legal limits, one
 * co-approval task (协办任务) against its due date, or a deadline past the
 * calendar's horizon (`horizon`), which the operator must fix with next
 * year's holiday file.
 */
export type AlertSubject =
  | { readonly kind: 'case' }
  | { readonly kind: 'task'; readonly department: string; readonly stage: number }
  | { readonly kind: 'horizon' };

/**
 * `responsibleDepartment` of a horizon warning: the data centre's operator,
 * the gateway principal that maintains items and the calendar. It is not a
 * department, so it has no `deliveries.<dept>` topic.
 */
export const OPERATOR = 'operator';

/**
 * The alert's event id: `${caseId}:alert:${subject}:${level}` with subject
 * `case`, `horizon` or `${department}@${stage}` for a task. One id per case,
 * subject and level, so each alert is raised once and a replay yields the same id.
 */
export function alertId(caseId: string, subject: AlertSubject, level: AlertLevel): string {
  return `${caseId}:alert:${subjectKey(subject)}:${level}`;
}

function subjectKey(subject: AlertSubject): string {
  switch (subject.kind) {
    case 'case':
    case 'horizon':
      return subject.kind;
    case 'task':
      return `${subject.department}@${subject.stage}`;
    default: {
      const _exhaustive: never = subject;
      throw new Error(`unknown alert subject ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/**
 * The alerts raised so far, by case: the ids only, so a partition with
 * thousands of cases keeps a few short strings per case.
 */
export interface SupervisionState {
  readonly raised: Map<string, Set<string>>;
}

export function initialSupervisionState(): SupervisionState {
  return { raised: new Map() };
}

export function hasRaised(state: SupervisionState, caseId: string, eventId: string): boolean {
  return state.raised.get(caseId)?.has(eventId) ?? false;
}

/** In place (see `Decider`): the state belongs to whoever folds the alerts. */
export function evolveSupervision(state: SupervisionState, event: SupervisionEvent): SupervisionState {
  switch (event.type) {
    case 'SupervisionAlertRaised': {
      // Every alert of a case supervision raises has its caseId; a data request's alert (requestId) is not ours to remember.
      const { caseId, eventId } = event.data;
      if (caseId === null) return state;
      const ids = state.raised.get(caseId);
      if (ids) ids.add(eventId);
      else state.raised.set(caseId, new Set([eventId]));
      return state;
    }
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}
