// Shared by the routing specs: the router's state as its logs leave it (the
// shipped items defined, cases submitted by the gateway, batches committed
// before), the records of a batch, and the writes a spec expects, so each spec
// reads as given/when/then on the real official calendar.
import type { DepartmentCode } from '@hub/schemas';
import { agreementSupervisionDecider } from '../agreements/supervision.ts';
import type { CaseCommand } from '../cases/decide.ts';
import { caseEventId, type CaseEvent, type CaseState } from '../cases/events.ts';
import { calendar, submission } from '../cases/fixtures.ts';
import { shippedItems } from '../items/catalogue.ts';
import { itemDefinedData } from '../items/events.ts';
import type { Item } from '../items/item.ts';
import { supervisionDecider } from '../supervision/decide.ts';
import type { SupervisionEvent } from '../supervision/events.ts';
import { decodeCommand, WireError, type CommandEnvelope, type OutcomeBody, type RouterCommand, type StepCommand } from '../wire/messages.ts';
import { commitBatch, decideBatch, type BatchInput, type BatchResult, type RoutingDeps, type Write } from './batch.ts';
import { applyCaseEvent, applyItem, initialRouterState, type RouterState } from './state.ts';

export { bj, calendar, CASE, head, hukouTransfer, realEstateTransfer, when } from '../cases/fixtures.ts';
export { caseSubject, horizon, raised, task } from '../supervision/fixtures.ts';

export const deps: RoutingDeps = { calendar, supervision: supervisionDecider({ calendar }), agreementSupervision: agreementSupervisionDecider({ calendar }) };

/** The partition of cases.commands every spec decides (any number but 0, so a default of 0 would show). */
export const PARTITION = 3;

/** A second case, on the same partition as `CASE`. */
export const OTHER = 'GW-0F1E2D3C4B5A69788796';

/** The time the shipped catalogue was defined, before any case. */
const catalogueDefinedAt = new Date('2026-01-05T00:00:00+08:00');

/** The router's state after its readers replayed the shipped catalogue's definitions (version 1 each), and nothing else. */
export function routerState(): RouterState {
  const state = initialRouterState();
  for (const item of shippedItems) applyItem(state, { type: 'ItemDefined', data: itemDefinedData(item, 1, catalogueDefinedAt, 'catalogue') });
  return state;
}

/** The fields every event of case `caseId` at version `version` begins with. */
export const headOf = (caseId: string, version: number, occurredAt: Date) => ({ eventId: caseEventId(caseId, version), occurredAt, caseId });

/** The gateway's CaseSubmitted of case `caseId`, as the router's reader brings it back from cases.events. */
export function submit(state: RouterState, caseId: string, item: Pick<Item, 'code' | 'name'>, at: Date): void {
  const event: CaseEvent = { type: 'CaseSubmitted', data: { ...submission(item, at), eventId: caseEventId(caseId, 1), caseId } };
  applyCaseEvent(state, PARTITION, event);
}

/** A command of the case aggregate's builders (`when`), as a step of case `caseId` on cases.commands. */
export function stepOf(command: CaseCommand, caseId: string): StepCommand {
  if (command.type === 'SubmitCase') throw new Error('a submission reaches the router as CaseSubmitted on cases.events, not as a command');
  const step: StepCommand = structuredClone(command);
  step.data.caseId = caseId;
  return step;
}

/** A command whose sender waits for its outcome. */
export const asked = (commandId: string, command: RouterCommand): CommandEnvelope => ({ commandId, command });
/** A command nobody waits for (no outcome). */
export const told = (command: RouterCommand): CommandEnvelope => ({ command });

export const readCase = (caseId: string, asOf: Date): RouterCommand => ({ type: 'ReadCase', data: { caseId, asOf } });
export const tick = (now: Date): RouterCommand => ({ type: 'Tick', data: { now } });
export const defineItem = (itemCode: string, definition: unknown, occurredAt: Date, definedBy = 'operator'): RouterCommand => ({
  type: 'DefineItem',
  data: { itemCode, definition, occurredAt, definedBy },
});

/** A record as the service reads it: its command, or, when it holds none, the WireError that says why. */
export function fromWire(value: string): CommandEnvelope | { unreadable: string } {
  try {
    return decodeCommand(value);
  } catch (error) {
    if (error instanceof WireError) return { unreadable: error.message };
    throw error;
  }
}

/** The first offset of every batch a spec builds. */
export const FIRST_OFFSET = 100;

/** The records of one batch, at offsets from FIRST_OFFSET on. */
export function batch(...records: Array<CommandEnvelope | { unreadable: string }>): BatchInput[] {
  return records.map((record, index) => {
    const offset = String(FIRST_OFFSET + index);
    return 'unreadable' in record ? { offset, unreadable: record.unreadable } : { offset, envelope: record };
  });
}

/** The batch decided on the partition. */
export const decided = (state: RouterState, inputs: readonly BatchInput[]): BatchResult => decideBatch(state, deps, PARTITION, inputs);

/** Decides the batch and commits it, as the service does once its transaction has committed; the batch's writes. */
export function committed(state: RouterState, inputs: readonly BatchInput[]): Write[] {
  const { writes, changes } = decided(state, inputs);
  commitBatch(state, changes);
  return writes;
}

/** The state of a case the router holds; throws when it holds none. */
export function caseOf(state: RouterState, caseId: string): CaseState {
  const held = state.cases.get(caseId);
  if (!held) throw new Error(`the router holds no case ${caseId}`);
  return held.state;
}

/** The write of a case event, heard by `notify` on their deliveries topics. */
export const eventWrite = (event: CaseEvent, notify: DepartmentCode[] = []): Write => ({
  kind: 'event',
  type: event.type,
  data: event.data,
  correlationId: event.data.caseId,
  notify,
});

/** The write of an alert, to supervision.alerts and the deliveries of `notify`. */
export function alertWrite(alert: SupervisionEvent, notify: DepartmentCode[]): Write {
  const { caseId } = alert.data;
  if (caseId === null) throw new Error('supervision of cases raises alerts of a case');
  return { kind: 'event', type: 'SupervisionAlert', data: alert.data, correlationId: caseId, notify };
}

/** The outcome of command `commandId` on cases.outcomes, keyed by its case or item. */
export const outcomeWrite = (commandId: string, key: string | null, body: OutcomeBody): Write => ({ kind: 'outcome', key, outcome: { ...body, commandId } });
