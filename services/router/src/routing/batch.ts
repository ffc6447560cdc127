import { shanghaiDate, type WorkingCalendar } from '@hub/calendar';
import type { DepartmentCode, EventName } from '@hub/schemas';
import { departments } from '@hub/schemas';
import { decideCase, type CaseCommand } from '../cases/decide.ts';
import { cloneCase, evolveCase, initialCaseState, type CaseEvent, type CaseState } from '../cases/events.ts';
import { caseSummary, caseView } from '../cases/view.ts';
import { decideAgreement, type AgreementCommand } from '../agreements/decide.ts';
import { cloneAgreement, evolveAgreement, initialAgreementState, type AgreementEvent, type AgreementState } from '../agreements/events.ts';
import { agreementMonitoring } from '../agreements/monitoring.ts';
import type { AgreementSupervisionDecider, AgreementSupervisionState } from '../agreements/supervision.ts';
import { agreementView } from '../agreements/view.ts';
import { itemTableDecider } from '../items/decide.ts';
import type { ItemEvent, ItemTable } from '../items/events.ts';
import type { SupervisionDecider } from '../supervision/decide.ts';
import type { SupervisionEvent, SupervisionState } from '../supervision/events.ts';
import { commandKey, IDEMPOTENT_PREFIX, type CommandEnvelope, type Outcome, type OutcomeBody, type RouterCommand } from '../wire/messages.ts';
import { applyAlert, applyItem, advanceClock, earliestDue, fileDue, rememberAnswer, rememberEarliest as remember, type AnsweredCommand, type RouterState } from './state.ts';

export interface RoutingDeps {
  readonly calendar: WorkingCalendar;
  readonly supervision: SupervisionDecider;
  /** The owners' 10 working days to answer a sharing request, under the same clock. */
  readonly agreementSupervision: AgreementSupervisionDecider;
}

/** An event the router writes, and the departments whose `deliveries.<dept>` hears of it. */
export interface EventWrite {
  kind: 'event';
  type: EventName;
  data: unknown;
  /** The case (item, agreement) the event belongs to: its CloudEvents correlation id. */
  correlationId: string;
  notify: DepartmentCode[];
}

export type Write =
  | EventWrite
  | { kind: 'outcome'; key: string | null; outcome: Outcome }
  /** A command the router gives itself on cases.commands (a snapshot's first page), in the same transaction. */
  | { kind: 'command'; key: string; envelope: CommandEnvelope }
  /** A command that could not be processed: to `dlq.router` with the reason. */
  | { kind: 'dead-letter'; offset: string; reason: string; detail: string };

/** One record of a batch: the command it holds, or why it holds none. */
export type BatchInput = { offset: string; envelope: CommandEnvelope } | { offset: string; unreadable: string };

/** What a batch changes, made the router's state only once its transaction has committed (`commitBatch`). */
export interface BatchChanges {
  readonly partition: number;
  readonly cases: Map<string, CaseState>;
  readonly agreements: Map<string, AgreementState>;
  readonly alerts: SupervisionEvent[];
  readonly items: ItemEvent[];
  clock: Date | undefined;
  readonly due: Map<string, number | undefined>;
  /** When each agreement the batch touched raises its next alert (undefined: none can come). */
  readonly agreementDue: Map<string, number | undefined>;
  readonly answered: Map<string, AnsweredCommand>;
}

export interface BatchResult {
  writes: Write[];
  changes: BatchChanges;
}

type ItemEntry = ItemTable['items'] extends Map<string, infer Entry> ? Entry : never;

const departmentCodes: ReadonlySet<string> = new Set(departments.map((d) => d.code));
const isDepartment = (code: string): code is DepartmentCode => departmentCodes.has(code);

/**
 * The decisions of one batch of one partition of `cases.commands`, in order,
 * against the router's state as it stands plus what the batch has decided so
 * far. Nothing in `state` changes here: the batch's cases are worked on as
 * copies, handed back in `changes`, and become the state when the Kafka
 * transaction that writes them commits; an aborted batch leaves no trace.
 *
 * Supervision runs on event time: before each case step, the partition's
 * clock moves to the step's `occurredAt` (a `Tick` moves it to its `now`),
 * and every alert of the partition's cases, and of its agreements' awaited
 * answers, that has come by then is raised. Before an agreement's command,
 * the agreements' alerts that have come by its `occurredAt` are raised, and
 * the clock stays (see `agreementAlertsBy`). Reads, item definitions and
 * snapshot pages do not move the clock.
 */
export function decideBatch(state: RouterState, deps: RoutingDeps, partition: number, inputs: readonly BatchInput[]): BatchResult {
  const changes: BatchChanges = { partition, cases: new Map(), agreements: new Map(), alerts: [], items: [], clock: undefined, due: new Map(), agreementDue: new Map(), answered: new Map() };
  const writes: Write[] = [];
  const pendingRaised = new Map<string, Set<string>>();
  const pendingAgreementRaised = new Map<string, Set<string>>();
  const pendingItems = new Map<string, ItemEntry>();

  const caseState = (caseId: string): CaseState | undefined => changes.cases.get(caseId) ?? state.cases.get(caseId)?.state;
  const working = (caseId: string): CaseState => {
    let copy = changes.cases.get(caseId);
    if (!copy) {
      const held = state.cases.get(caseId)?.state;
      copy = held ? cloneCase(held) : initialCaseState();
      changes.cases.set(caseId, copy);
    }
    return copy;
  };
  /** The alerts raised for these cases, those of this batch included. */
  const raisedOf = (caseIds: Iterable<string>): SupervisionState => {
    const raised = new Map<string, Set<string>>();
    for (const caseId of caseIds) {
      const ids = new Set([...(state.supervision.raised.get(caseId) ?? []), ...(pendingRaised.get(caseId) ?? [])]);
      raised.set(caseId, ids);
    }
    return { raised };
  };
  const agreementState = (agreementId: string): AgreementState | undefined => changes.agreements.get(agreementId) ?? state.agreements.get(agreementId)?.state;
  /** The alerts raised on these agreements' answers, those of this batch included. */
  const agreementRaisedOf = (agreementIds: Iterable<string>): AgreementSupervisionState => {
    const raised = new Map<string, Set<string>>();
    for (const agreementId of agreementIds) {
      raised.set(agreementId, new Set([...(state.agreementSupervision.raised.get(agreementId) ?? []), ...(pendingAgreementRaised.get(agreementId) ?? [])]));
    }
    return { raised };
  };
  /** The earliest alert instant of the partition's cases, and of its agreements, before the batch and among the batch's own rescheduled ones. */
  const stateEarliest = earliestDue(state, partition) ?? Number.POSITIVE_INFINITY;
  const agreementStateEarliest = earliestDue(state.agreementDue, partition) ?? Number.POSITIVE_INFINITY;
  let batchEarliest = Number.POSITIVE_INFINITY;
  let agreementBatchEarliest = Number.POSITIVE_INFINITY;
  const reschedule = (caseId: string) => {
    const current = caseState(caseId);
    const next = current?.acceptedAt ? deps.supervision.nextAlertAt(raisedOf([caseId]), current)?.getTime() : undefined;
    changes.due.set(caseId, next);
    if (next !== undefined && next < batchEarliest) batchEarliest = next;
  };
  const rescheduleAgreement = (agreementId: string) => {
    const current = agreementState(agreementId);
    const next = current ? deps.agreementSupervision.nextAlertAt(agreementRaisedOf([agreementId]), current)?.getTime() : undefined;
    changes.agreementDue.set(agreementId, next);
    if (next !== undefined && next < agreementBatchEarliest) agreementBatchEarliest = next;
  };
  // Items redefined earlier in the batch are seen by the cases after them.
  const items = (code: string) => (pendingItems.get(code) ?? state.items.items.get(code))?.item;
  const clock = () => changes.clock ?? state.clocks.get(partition);

  function moveClock(to: Date): void {
    // A step with no valid time is refused by the aggregate; it tells the clock nothing.
    if (!(to instanceof Date) || Number.isNaN(to.getTime())) return;
    const now = clock();
    // The same instant again looks again: the step before may have made an alert due at once (a horizon warning at acceptance).
    if (now && to < now) return;
    if (!now || to > now) changes.clock = to;
    // Most steps come before any alert of the partition is due: nothing to look at.
    if (to.getTime() >= Math.min(batchEarliest, stateEarliest)) raiseCaseAlerts(to);
    agreementAlertsBy(to);
  }

  /**
   * The agreements' alerts that have come by `to`. An agreement's command
   * raises them by its own time without moving the partition's clock: it is
   * dated by the gateway's (or the catalogue read's) wall clock, and the
   * clock is the cases' event time, which a history run keeps in the past.
   */
  function agreementAlertsBy(to: Date): void {
    if (!(to instanceof Date) || Number.isNaN(to.getTime())) return;
    if (to.getTime() >= Math.min(agreementBatchEarliest, agreementStateEarliest)) raiseAgreementAlerts(to);
  }

  /** The ids whose next alert has come by `to`: those the batch rescheduled as it has them, the others as the state has them. */
  function dueBy(to: Date, batchDue: Map<string, number | undefined>, stateDue: Map<string, number> | undefined): string[] {
    const dueNow: string[] = [];
    const seen = new Set<string>();
    const consider = (id: string, at: number | undefined) => {
      if (seen.has(id)) return;
      seen.add(id);
      if (at !== undefined && at <= to.getTime()) dueNow.push(id);
    };
    for (const [id, at] of batchDue) consider(id, at);
    for (const [id, at] of stateDue ?? []) consider(id, at);
    return dueNow;
  }

  function raiseCaseAlerts(to: Date): void {
    const dueNow = dueBy(to, changes.due, state.due.get(partition)).map((caseId) => caseState(caseId)!);
    if (dueNow.length === 0) return;
    const decision = deps.supervision.decide({ type: 'Tick', data: { now: to, cases: dueNow } }, raisedOf(dueNow.map((c) => c.caseId)));
    if (!decision.ok) return;
    for (const alert of decision.events) {
      const { caseId, eventId, responsibleDepartment } = alert.data;
      if (caseId === null) continue;
      let ids = pendingRaised.get(caseId);
      if (!ids) pendingRaised.set(caseId, (ids = new Set()));
      ids.add(eventId);
      changes.alerts.push(alert);
      writes.push({ kind: 'event', type: 'SupervisionAlert', data: alert.data, correlationId: caseId, notify: isDepartment(responsibleDepartment) ? [responsibleDepartment] : [] });
    }
    for (const caseState of dueNow) reschedule(caseState.caseId);
  }

  /** The owners' answers whose warning or overdue has come: each alert to supervision.alerts and the owner's deliveries. */
  function raiseAgreementAlerts(to: Date): void {
    const dueIds = dueBy(to, changes.agreementDue, state.agreementDue.due.get(partition));
    const dueNow = dueIds.map(agreementState).filter((agreement): agreement is AgreementState => agreement !== undefined);
    if (dueNow.length === 0) return;
    const decision = deps.agreementSupervision.decide({ type: 'Tick', data: { now: to, agreements: dueNow } }, agreementRaisedOf(dueIds));
    if (!decision.ok) return;
    for (const alert of decision.events) {
      const { requestId, eventId, responsibleDepartment } = alert.data;
      if (requestId === null) continue;
      let ids = pendingAgreementRaised.get(requestId);
      if (!ids) pendingAgreementRaised.set(requestId, (ids = new Set()));
      ids.add(eventId);
      changes.alerts.push(alert);
      writes.push({ kind: 'event', type: 'SupervisionAlert', data: alert.data, correlationId: requestId, notify: isDepartment(responsibleDepartment) ? [responsibleDepartment] : [] });
    }
    for (const agreementId of dueIds) rescheduleAgreement(agreementId);
  }

  function answer(envelope: CommandEnvelope, key: string | null, outcome: OutcomeBody): void {
    const { commandId, fingerprint } = envelope;
    if (commandId === undefined) return;
    if (fingerprint !== undefined && commandId.startsWith(IDEMPOTENT_PREFIX)) {
      changes.answered.set(commandId, { fingerprint, outcome });
      writes.push({ kind: 'outcome', key, outcome: { ...outcome, commandId, fingerprint } });
    } else {
      writes.push({ kind: 'outcome', key, outcome: { ...outcome, commandId } });
    }
  }

  /** A repeated idempotent command: the first answer again, or a refusal when the request differs; nothing decided. */
  function answeredBefore(envelope: CommandEnvelope, key: string | null): boolean {
    const { commandId, fingerprint } = envelope;
    if (commandId === undefined || fingerprint === undefined || !commandId.startsWith(IDEMPOTENT_PREFIX)) return false;
    const before = changes.answered.get(commandId) ?? state.answered.get(commandId);
    if (!before) return false;
    const outcome: OutcomeBody = before.fingerprint === fingerprint
      ? before.outcome
      : { ok: false, refusal: { type: 'IdempotencyKeyReused', message: `Idempotency-Key ${commandId.slice(IDEMPOTENT_PREFIX.length)} was used for a different request` } };
    writes.push({ kind: 'outcome', key, outcome: { ...outcome, commandId, replayed: true } });
    return true;
  }

  function step(envelope: CommandEnvelope, command: Extract<RouterCommand, { data: { caseId: string } }> & CaseCommand): void {
    const { caseId } = command.data;
    moveClock(command.data.occurredAt);
    // The aggregate's own decide (caseDecider's, without the copy it makes for its answer: the batch has its copy).
    const before = caseState(caseId);
    const decided = decideCase(command, before ?? initialCaseState(), items);
    if (!decided.ok) {
      answer(envelope, caseId, { ok: false, refusal: decided.error });
      return;
    }
    const copy = working(caseId);
    for (const event of decided.events) {
      const notify = noticeTo(copy, event);
      evolveCase(copy, event);
      writes.push({ kind: 'event', type: event.type, data: event.data, correlationId: caseId, notify });
    }
    // After the decision nothing moves a limit any more (fee, certificate, delivery and review do not): the schedule stands.
    if (before?.decision === undefined) reschedule(caseId);
    if (envelope.commandId !== undefined) {
      const view = caseSummary(copy, deps.calendar, shanghaiDate(command.data.occurredAt));
      answer(envelope, caseId, { ok: true, events: decided.events.map((e) => ({ type: e.type, eventId: e.data.eventId })), case: view });
    }
  }

  /**
   * A request, approval or revocation of a sharing agreement, or a change of
   * its resource's sharing condition, decided against the batch's copy of
   * it, after the agreement alerts that came by its time.
   */
  function agreementStep(envelope: CommandEnvelope, agreementId: string, command: AgreementCommand): void {
    agreementAlertsBy(command.data.occurredAt);
    const current = agreementState(agreementId);
    const decided = decideAgreement(command, current ?? initialAgreementState());
    if (!decided.ok) {
      answer(envelope, agreementId, { ok: false, refusal: decided.error });
      return;
    }
    const firstGrant = current?.grant === undefined;
    let copy = changes.agreements.get(agreementId);
    if (!copy) changes.agreements.set(agreementId, (copy = current ? cloneAgreement(current) : initialAgreementState()));
    for (const event of decided.events) evolveAgreement(copy, event);
    // Told as the agreement stands after the command: a request granted at once asks nothing of its owner.
    for (const event of decided.events) {
      writes.push({ kind: 'event', type: event.type, data: event.data, correlationId: agreementId, notify: agreementNotice(copy, event) });
      writes.push({ kind: 'event', type: 'ExchangeMonitoring', data: agreementMonitoring(copy, event), correlationId: agreementId, notify: [] });
    }
    // The first grant of an agreement that asked for a snapshot starts it: its first page is decided after this commits.
    if (firstGrant && copy.snapshot && decided.events.some((event) => event.type === 'AgreementGranted')) {
      writes.push({ kind: 'command', key: agreementId, envelope: { command: { type: 'DeliverSnapshot', data: { agreementId, afterKey: null } } } });
    }
    if (decided.events.length > 0) rescheduleAgreement(agreementId);
    answer(envelope, agreementId, { ok: true, events: decided.events.map((e) => ({ type: e.type, eventId: e.data.eventId })), agreement: agreementView(copy, deps.calendar, shanghaiDate(command.data.occurredAt)) });
  }

  for (const input of inputs) {
    if ('unreadable' in input) {
      writes.push({ kind: 'dead-letter', offset: input.offset, reason: 'unreadable', detail: input.unreadable });
      continue;
    }
    const { envelope } = input;
    const { command } = envelope;
    if (answeredBefore(envelope, commandKey(command))) continue;
    switch (command.type) {
      case 'Tick':
        moveClock(command.data.now);
        break;
      case 'ReadCase': {
        const current = caseState(command.data.caseId);
        const view = current?.status === undefined ? null : caseView(current, deps.calendar, shanghaiDate(command.data.asOf));
        answer(envelope, command.data.caseId, { ok: true, events: [], case: view });
        break;
      }
      case 'ReadAgreement': {
        const current = agreementState(command.data.agreementId);
        const view = current?.status === undefined ? null : agreementView(current, deps.calendar, shanghaiDate(command.data.asOf));
        answer(envelope, command.data.agreementId, { ok: true, events: [], agreement: view });
        break;
      }
      case 'RequestAgreement':
      case 'ApproveAgreement':
      case 'RevokeAgreement':
        agreementStep(envelope, command.data.agreementId, command);
        break;
      case 'SharingConditionChanged': {
        const { agreementId, ...change } = command.data;
        agreementStep(envelope, agreementId, { type: 'SharingConditionChanged', data: change });
        break;
      }
      case 'DeliverSnapshot':
        // Decided by the service, which reads the record store (`snapshotPageWrites` of service/snapshots.ts): nothing of it is pure.
        break;
      case 'DefineItem': {
        const { itemCode, definition, occurredAt, definedBy } = command.data;
        const entry = pendingItems.get(itemCode) ?? state.items.items.get(itemCode);
        const table: ItemTable = { items: new Map(entry ? [[itemCode, entry]] : []), unreadable: [] };
        const body = typeof definition === 'object' && definition !== null ? { ...definition, code: itemCode } : definition;
        const decided = itemTableDecider.decide({ type: 'DefineItem', data: { definition: body, occurredAt, definedBy } }, table);
        if (!decided.ok) {
          answer(envelope, itemCode, { ok: false, refusal: decided.error });
          break;
        }
        for (const event of decided.events) {
          itemTableDecider.evolve(table, event);
          pendingItems.set(itemCode, table.items.get(itemCode)!);
          changes.items.push(event);
          writes.push({ kind: 'event', type: 'ItemDefined', data: event.data, correlationId: itemCode, notify: [] });
        }
        answer(envelope, itemCode, { ok: true, events: decided.events.map((e) => ({ type: e.type, eventId: e.data.eventId })), item: decided.answer });
        break;
      }
      default:
        step(envelope, command);
    }
  }
  return { writes, changes };
}

/**
 * Who hears of a case event in their `deliveries.<dept>`: a co-approval
 * request goes to the department asked; a resumption to the departments that
 * asked for the material, which now answer again. `state` is the case before
 * the event.
 */
function noticeTo(state: CaseState, event: CaseEvent): DepartmentCode[] {
  switch (event.type) {
    case 'CoApprovalRequested':
      return isDepartment(event.data.coApprover) ? [event.data.coApprover] : [];
    case 'CaseResumed':
      return [...new Set(state.tasks.filter((task) => task.status === 'awaiting-supplement').map((task) => task.department))].filter(isDepartment);
    default:
      return [];
  }
}

/**
 * Who hears of an agreement event in their `deliveries.<dept>`: the owner of a
 * request it must answer; the subscriber of every answer and change; the
 * other party of a revocation. `state` is the agreement after the command.
 */
function agreementNotice(state: AgreementState, event: AgreementEvent): DepartmentCode[] {
  const to = event.type === 'AgreementRequested' ? (state.status === 'pending' ? state.owner : undefined) : event.type === 'AgreementRevoked' ? [state.owner, state.subscriber].find((d) => d !== event.data.revokedBy) : state.subscriber;
  return to !== undefined && isDepartment(to) ? [to] : [];
}

/** The batch's transaction committed: what it decided is now the router's state. */
export function commitBatch(state: RouterState, changes: BatchChanges): void {
  for (const [agreementId, agreement] of changes.agreements) {
    const held = state.agreements.get(agreementId);
    if (held && held.state.version > agreement.version) continue;
    state.agreements.set(agreementId, { partition: held?.partition ?? changes.partition, state: agreement });
  }
  for (const [caseId, caseState] of changes.cases) {
    const held = state.cases.get(caseId);
    // The reader may have brought the same events back first; the batch's copy is at least as far.
    if (held && held.state.version > caseState.version) continue;
    state.cases.set(caseId, { partition: held?.partition ?? changes.partition, state: caseState });
  }
  for (const alert of changes.alerts) applyAlert(state, alert);
  for (const [commandId, answered] of changes.answered) rememberAnswer(state, commandId, answered);
  for (const item of changes.items) applyItem(state, item);
  if (changes.clock) advanceClock(state, changes.partition, changes.clock);
  for (const [caseId, at] of changes.due) fileDue(state, changes.partition, caseId, at);
  for (const [agreementId, at] of changes.agreementDue) fileDue(state.agreementDue, state.agreements.get(agreementId)?.partition ?? changes.partition, agreementId, at);
  remember(state, changes.partition);
  remember(state.agreementDue, changes.partition);
}
