import { shanghaiDate, type Deadline, type LocalDate, type WorkingCalendar } from '@hub/calendar';
import { withinDivision } from './division.ts';
import { openWait, type AgreementState, type AgreementStatus, type AnswerWait, type HistoryEntry } from './events.ts';

/**
 * Working days the owner has to answer a conditional request, from the day
 * after it was made (国发〔2016〕51号: 10 个工作日内予以答复).
 */
export const ANSWER_DAYS = 10;

/** What `GET /v1/agreements/{id}` answers. Dates are Asia/Shanghai `YYYY-MM-DD`, instants ISO 8601. */
export interface AgreementView {
  agreementId: string;
  status: AgreementStatus;
  /** Why it is refused, suspended, or revoked (when a reason was given). */
  reason?: string;
  /** The resource code (资源编码), as the request body names it. */
  resource: string;
  subscriber: string;
  owner: string;
  purpose: string;
  legalBasis: string | null;
  /** Sensitive fields asked for unmasked. */
  fields: readonly string[];
  /** Sensitive fields the grant lets through unmasked; empty unless it is granted. */
  unmaskedFields: readonly string[];
  divisionPrefix: string | null;
  snapshot: boolean;
  requestedAt: string;
  /** The latest answer, a grant or a refusal, by the owner or the hub. */
  decidedAt?: string;
  /**
   * While the owner owes an answer (pending, or suspended until the owner
   * approves): the 10th working day after the request (or the suspension); null otherwise.
   */
  dueDate: LocalDate | null;
  /** The due date has passed on `asOf` and the owner has not answered. */
  overdue: boolean;
  /** The due date lies past the calendar's horizon and was counted Monday to Friday. */
  dueDateProvisional: boolean;
  history: HistoryView[];
}

export type HistoryView = Omit<HistoryEntry, 'occurredAt'> & { occurredAt: string };

/** The agreement as its parties see it on `asOf` (a pure function of the state). */
export function agreementView(state: AgreementState, calendar: WorkingCalendar, asOf: LocalDate): AgreementView {
  if (state.status === undefined || state.requestedAt === undefined) throw new Error('agreementView: no agreement has been requested in this state');
  const wait = openWait(state);
  const due = wait ? answerDeadline(wait, calendar) : undefined;
  const dueDate = due?.dueDate ?? null;
  return {
    agreementId: state.agreementId,
    status: state.status,
    ...(state.reason === undefined ? {} : { reason: state.reason }),
    resource: state.resourceCode,
    subscriber: state.subscriber,
    owner: state.owner,
    purpose: state.purpose,
    legalBasis: state.legalBasis,
    fields: [...state.fields],
    unmaskedFields: [...unmaskedFieldsOf(state)],
    divisionPrefix: state.divisionPrefix,
    snapshot: state.snapshot,
    requestedAt: state.requestedAt.toISOString(),
    ...(state.decidedAt === undefined ? {} : { decidedAt: state.decidedAt.toISOString() }),
    dueDate,
    overdue: dueDate !== null && asOf > dueDate,
    dueDateProvisional: due?.provisional ?? false,
    history: state.history.map((entry) => ({ ...entry, occurredAt: entry.occurredAt.toISOString() })),
  };
}

/** The owner's due date for one wait: the 10th working day after the Asia/Shanghai date it began. */
export function answerDeadline(wait: AnswerWait, calendar: WorkingCalendar): Deadline {
  return calendar.dueDate(shanghaiDate(wait.since), ANSWER_DAYS);
}

/**
 * Whether this agreement delivers a record of `resourceCode` from
 * `divisionCode` now: granted (not pending, refused, revoked or suspended),
 * for that resource, and the record within its division prefix.
 */
export function deliversTo(state: AgreementState, resourceCode: string, divisionCode: string): boolean {
  return state.status === 'granted' && state.resourceCode === resourceCode && withinDivision(divisionCode, state.divisionPrefix);
}

/**
 * The sensitive fields a delivery under this agreement leaves unmasked: what
 * the grant let through while it is granted, nothing otherwise. Every other
 * sensitive field of the resource is masked.
 */
export function unmaskedFieldsOf(state: AgreementState): readonly string[] {
  return state.status === 'granted' ? (state.grant?.unmaskedFields ?? []) : [];
}
