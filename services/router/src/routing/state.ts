import { evolveAgreement, initialAgreementState, type AgreementEvent, type AgreementState } from '../agreements/events.ts';
import { evolveAgreementSupervision, type AgreementSupervisionDecider, type AgreementSupervisionState } from '../agreements/supervision.ts';
import type { OutcomeBody } from '../wire/messages.ts';
import { evolveCase, initialCaseState, type CaseEvent, type CaseState } from '../cases/events.ts';
import { evolveItemTable, initialItemTable, type ItemEvent, type ItemTable } from '../items/events.ts';
import type { SupervisionDecider } from '../supervision/decide.ts';
import { evolveSupervision, type SupervisionEvent, type SupervisionState } from '../supervision/events.ts';

/**
 * When each case (or agreement) of a partition raises its next alert, and the
 * earliest of those instants, so that a step before it looks at nothing.
 */
export interface DueIndex {
  /** Per partition: each case whose next alert can come, and the instant it comes (see `fileDue`). */
  readonly due: Map<number, Map<string, number>>;
  /** Per partition: the earliest instant of `due`, so a step before it looks at no case; absent when it must be worked out again. */
  readonly earliest: Map<number, number>;
}

/**
 * What the router knows, rebuilt from its logs: every case (from
 * `cases.events`), every agreement (from `exchange.agreements`), the alerts
 * raised (from `supervision.alerts`), the item table (from `items.events`),
 * and the event-time clock of each partition.
 *
 * Each instance keeps every partition's cases, not only those assigned to it:
 * its readers follow the whole topics, so a partition handed over on a
 * rebalance is ready as soon as the reader has caught up with what the
 * previous owner committed.
 */
export interface RouterState extends DueIndex {
  readonly cases: Map<string, { partition: number; state: CaseState }>;
  /** Every sharing agreement (from `exchange.agreements`), by id. */
  readonly agreements: Map<string, { partition: number; state: AgreementState }>;
  readonly supervision: SupervisionState;
  /** The alerts raised on the owners' answers to sharing requests (those with a requestId), by agreement. */
  readonly agreementSupervision: AgreementSupervisionState;
  /** When each agreement of a partition raises its next alert (the cases' index is the state's own `due`). */
  readonly agreementDue: DueIndex;
  readonly items: ItemTable;
  /** Per partition: the latest event time processed there (supervision's clock). */
  readonly clocks: Map<number, Date>;
  /** Idempotent commands answered (from the outcomes), by command id, oldest first: a repeat is answered with the first outcome. */
  readonly answered: Map<string, AnsweredCommand>;
}

export interface AnsweredCommand {
  readonly fingerprint: string;
  readonly outcome: OutcomeBody;
}

/**
 * How many idempotent answers are remembered; older ones are forgotten first.
 * A restart remembers those still on cases.outcomes (kept a day).
 */
export const MAX_ANSWERED = 200_000;

export function initialRouterState(): RouterState {
  return {
    cases: new Map(),
    agreements: new Map(),
    supervision: { raised: new Map() },
    agreementSupervision: { raised: new Map() },
    agreementDue: { due: new Map(), earliest: new Map() },
    items: initialItemTable(),
    clocks: new Map(),
    due: new Map(),
    earliest: new Map(),
    answered: new Map(),
  };
}

/** The version an aggregate's event carries in its id (`<caseId>:<version>`, `<agreementId>:<version>`). */
export function versionOfEventId(eventId: string): number {
  return Number(eventId.slice(eventId.lastIndexOf(':') + 1));
}

/**
 * A case event read back from `cases.events`: applied when it is the case's
 * next version, skipped when the router already holds it (its own commit,
 * applied at once). The log is the truth: a version that skips ahead means
 * this instance missed what it must not, and says so. The caller reschedules
 * the cases it touched (`scheduleNextAlert`) once its batch of records is in.
 */
export function applyCaseEvent(state: RouterState, partition: number, event: CaseEvent): void {
  const caseId = event.data.caseId;
  let held = state.cases.get(caseId);
  const version = versionOfEventId(event.data.eventId);
  if (held && version <= held.state.version) return;
  if (!held) {
    held = { partition, state: initialCaseState() };
    state.cases.set(caseId, held);
  }
  if (version !== held.state.version + 1) throw new Error(`case ${caseId}: event ${event.data.eventId} follows version ${held.state.version}`);
  evolveCase(held.state, event);
}

/** An agreement event read back from `exchange.agreements`: applied when it is the next version, skipped when already held (as a case event is). */
export function applyAgreementEvent(state: RouterState, partition: number, event: AgreementEvent): void {
  const agreementId = event.data.agreementId;
  let held = state.agreements.get(agreementId);
  const id = event.data.eventId;
  const version = versionOfEventId(id);
  if (held && version <= held.state.version) return;
  if (!held) {
    held = { partition, state: initialAgreementState() };
    state.agreements.set(agreementId, held);
  }
  if (version !== held.state.version + 1) throw new Error(`agreement ${agreementId}: event ${id} follows version ${held.state.version}`);
  evolveAgreement(held.state, event);
}

/** An alert raised: a case's is the case supervision's to remember, an agreement's (a requestId) the agreements'. */
export function applyAlert(state: RouterState, event: SupervisionEvent): void {
  evolveSupervision(state.supervision, event);
  evolveAgreementSupervision(state.agreementSupervision, event);
}

export function applyItem(state: RouterState, event: ItemEvent): void {
  const current = state.items.items.get(event.data.itemCode);
  if (current && current.version >= event.data.version) return;
  evolveItemTable(state.items, event);
}

/** An idempotent command's answer (committed, or read back from cases.outcomes). */
export function rememberAnswer(state: RouterState, commandId: string, answered: AnsweredCommand): void {
  state.answered.delete(commandId);
  state.answered.set(commandId, answered);
  if (state.answered.size > MAX_ANSWERED) state.answered.delete(state.answered.keys().next().value!);
}

export function advanceClock(state: RouterState, partition: number, to: Date): void {
  const clock = state.clocks.get(partition);
  if (!clock || to > clock) state.clocks.set(partition, to);
}

/** Files the case under its partition with the instant of its next alert, or takes it off when none can come. */
export function scheduleNextAlert(state: RouterState, caseId: string, supervision: SupervisionDecider): void {
  const held = state.cases.get(caseId);
  if (!held) return;
  const next = held.state.acceptedAt ? supervision.nextAlertAt(state.supervision, held.state) : undefined;
  fileDue(state, held.partition, caseId, next?.getTime());
}

/** Files the agreement under its partition with the instant of its next alert (the owner's answer awaited), or takes it off. */
export function scheduleNextAgreementAlert(state: RouterState, agreementId: string, supervision: AgreementSupervisionDecider): void {
  const held = state.agreements.get(agreementId);
  if (!held) return;
  fileDue(state.agreementDue, held.partition, agreementId, supervision.nextAlertAt(state.agreementSupervision, held.state)?.getTime());
}

/** Sets (or, with undefined, clears) when the case's (or agreement's) next alert comes, keeping the partition's earliest instant true. */
export function fileDue(state: DueIndex, partition: number, caseId: string, at: number | undefined): void {
  let due = state.due.get(partition);
  if (!due) state.due.set(partition, (due = new Map()));
  const before = due.get(caseId);
  if (at === undefined) due.delete(caseId);
  else due.set(caseId, at);
  const earliest = state.earliest.get(partition);
  if (earliest === undefined) return;
  if (at !== undefined && at < earliest) state.earliest.set(partition, at);
  else if (before === earliest && at !== before) state.earliest.delete(partition);
}

/** The earliest instant a case of the partition has an alert due, or undefined when none has (worked out, not remembered: see `rememberEarliest`). */
export function earliestDue(state: DueIndex, partition: number): number | undefined {
  const known = state.earliest.get(partition);
  if (known !== undefined) return known;
  let earliest: number | undefined;
  for (const at of state.due.get(partition)?.values() ?? []) if (earliest === undefined || at < earliest) earliest = at;
  return earliest;
}

/** Keeps the partition's earliest instant at hand (after a commit), so the next batch need not look through every case. */
export function rememberEarliest(state: DueIndex, partition: number): void {
  const earliest = earliestDue(state, partition);
  if (earliest !== undefined) state.earliest.set(partition, earliest);
}
