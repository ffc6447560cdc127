import type { SharingCondition } from '@hub/schemas';
import type { AgreementCommand, AgreementRefusal } from '../agreements/decide.ts';
import type { AgreementView } from '../agreements/view.ts';
import type { CaseCommand, CaseRefusal } from '../cases/decide.ts';
import type { CaseSummary, CaseView } from '../cases/view.ts';
import type { ItemDefinitionAnswer, ItemRefusal } from '../items/decide.ts';

/**
 * The router's input: what the gateway asks of it, on `cases.commands`
 * (JSON, key = the case id, or the item code for a definition, so a case's
 * commands land on the partition of its events). Commands with a `commandId`
 * are answered on `cases.outcomes`, in the same transaction as their events.
 */
export const COMMANDS_TOPIC = 'cases.commands';
/** The router's answers, on `cases.outcomes` (JSON, key as the command's); read by the gateway that asked. */
export const OUTCOMES_TOPIC = 'cases.outcomes';
/** The header of an outcome record holding its command id: readers pick theirs without parsing every answer. */
export const COMMAND_ID_HEADER = 'hub_command_id';

/** The case steps of the aggregate (a submission reaches the router as CaseSubmitted on cases.events). */
export type StepCommand = Exclude<CaseCommand, { type: 'SubmitCase' }>;

/** What departments ask of a sharing agreement (a change of sharing condition comes from the catalog, not over the wire). */
export type AgreementStep = Exclude<AgreementCommand, { type: 'SharingConditionChanged' }>;

export type RouterCommand =
  | StepCommand
  /** The case as of `asOf`, consistent with every command before it on the partition. */
  | { type: 'ReadCase'; data: { caseId: string; asOf: Date } }
  /** Keyed by agreement id: requests, approvals and revocations of sharing agreements. */
  | AgreementStep
  /** The agreement as of `asOf`, consistent with every command before it on the partition. */
  | { type: 'ReadAgreement'; data: { agreementId: string; asOf: Date } }
  /** The operator, or the shipped catalogue at start, defines an item (body checked by the router). */
  | { type: 'DefineItem'; data: { itemCode: string; definition: unknown; occurredAt: Date; definedBy: string } }
  /** Live time: the router's clock moves to `now` on this partition (supervision raises what is due). */
  | { type: 'Tick'; data: { now: Date } }
  /**
   * The router read the catalogue and found `resourceCode` under another
   * sharing condition than this agreement holds under: sent by the router
   * itself (`catalogueChangeCommands`), keyed by the agreement, with an
   * idempotent command id so every instance and every refresh that sends it
   * again decides it once.
   */
  | { type: 'SharingConditionChanged'; data: { agreementId: string; resourceCode: string; sharing: SharingCondition; occurredAt: Date } }
  /**
   * The next page of a new agreement's snapshot (存量数据): the latest record of
   * every key after `afterKey` (null: from the first) that reached the hub
   * before the grant. Written by the router in the grant's transaction, then
   * by each page's; decided by the service, which reads the record store.
   */
  | { type: 'DeliverSnapshot'; data: { agreementId: string; afterKey: string | null } };

export type RouterCommandType = RouterCommand['type'];

/** One record of cases.commands. `commandId` (unique, the asking gateway's name first) asks for an outcome. */
export interface CommandEnvelope {
  commandId?: string;
  /**
   * With a commandId from `idempotentCommandId`: the digest of the request as
   * the caller sent it. The same id and fingerprint again is answered with the
   * first outcome and decides nothing; the same id with another fingerprint is
   * refused (IdempotencyKeyReused).
   */
  fingerprint?: string;
  command: RouterCommand;
}

/** The command id of a step sent with an Idempotency-Key: the caller's and the key's, the same on every retry. */
export function idempotentCommandId(owner: string, key: string): string {
  return `${IDEMPOTENT_PREFIX}${owner}:${key}`;
}

export const IDEMPOTENT_PREFIX = 'key:';

/** A repeated idempotent command whose request differs from the first one's. */
export type WireRefusal = { type: 'IdempotencyKeyReused'; message: string };

/** What the router answers a command: the events it wrote and the case or item after them, or why it refused. */
export type OutcomeBody =
  /** `case`: the view after a step (without its history), the whole view for a ReadCase, null for a ReadCase of a case never submitted. */
  | { ok: true; events: Array<{ type: string; eventId: string }>; case?: CaseView | CaseSummary | null; item?: ItemDefinitionAnswer; agreement?: AgreementView | null }
  | { ok: false; refusal: CaseRefusal | ItemRefusal | AgreementRefusal | WireRefusal };

/** `fingerprint` is carried for idempotent commands (a restart remembers them from the outcomes); `replayed` marks a repeat's answer. */
export type Outcome = OutcomeBody & { commandId: string; fingerprint?: string; replayed?: true };

const commandTypes: ReadonlySet<string> = new Set<RouterCommandType>([
  'AcceptCase', 'RefuseAtIntake', 'AnswerCoApproval', 'SuspendCase', 'ResumeCase', 'DecideCase', 'AssessFee', 'PayFee',
  'IssueCertificate', 'DeliverResult', 'ReviewCase', 'ReadCase', 'DefineItem', 'Tick',
  'RequestAgreement', 'ApproveAgreement', 'RevokeAgreement', 'ReadAgreement', 'SharingConditionChanged', 'DeliverSnapshot',
]);

const agreementCommandTypes: ReadonlySet<string> = new Set<RouterCommandType>(['RequestAgreement', 'ApproveAgreement', 'RevokeAgreement', 'ReadAgreement', 'SharingConditionChanged', 'DeliverSnapshot']);

/** Whether a command is about a sharing agreement (keyed and decided by its agreement id). */
export const isAgreementCommand = (command: RouterCommand): command is Extract<RouterCommand, { data: { agreementId: string } }> => agreementCommandTypes.has(command.type);

/** Fields that travel as ISO 8601 text and are instants again once read. */
const instantFields = ['occurredAt', 'paidAt', 'asOf', 'now'] as const;

/** The Kafka key of a command: the case it is about, or the item. */
export function commandKey(command: RouterCommand): string | null {
  switch (command.type) {
    case 'DefineItem':
      return command.data.itemCode;
    case 'Tick':
      return null;
    case 'RequestAgreement':
    case 'ApproveAgreement':
    case 'RevokeAgreement':
    case 'ReadAgreement':
    case 'SharingConditionChanged':
    case 'DeliverSnapshot':
      return command.data.agreementId;
    default:
      return command.data.caseId;
  }
}

export function encodeCommand(envelope: CommandEnvelope): string {
  return JSON.stringify(envelope);
}

export class WireError extends Error {
  override name = 'WireError';
}

/** A command read from cases.commands; throws WireError naming what is wrong with a record that is not one. */
export function decodeCommand(value: Buffer | string | null): CommandEnvelope {
  if (value === null) throw new WireError('the record has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch (error) {
    throw new WireError(`the value is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new WireError('the value is not a JSON object');
  const { commandId, fingerprint, command } = parsed as { commandId?: unknown; fingerprint?: unknown; command?: unknown };
  if (commandId !== undefined && typeof commandId !== 'string') throw new WireError('commandId: not a string');
  if (fingerprint !== undefined && typeof fingerprint !== 'string') throw new WireError('fingerprint: not a string');
  if (typeof command !== 'object' || command === null) throw new WireError('command: missing');
  const { type, data } = command as { type?: unknown; data?: unknown };
  if (typeof type !== 'string' || !commandTypes.has(type)) throw new WireError(`command.type: ${JSON.stringify(type)} is not a router command`);
  if (typeof data !== 'object' || data === null) throw new WireError('command.data: missing');
  const revived: Record<string, unknown> = { ...data };
  for (const field of instantFields) {
    const text = revived[field];
    if (text === undefined) continue;
    const instant = typeof text === 'string' ? new Date(text) : undefined;
    if (!instant || Number.isNaN(instant.getTime())) throw new WireError(`command.data.${field}: ${JSON.stringify(text)} is not an instant`);
    revived[field] = instant;
  }
  // A snapshot page is not dated: it delivers what reached the hub before the agreement's grant.
  const instant = type === 'ReadCase' || type === 'ReadAgreement' ? 'asOf' : type === 'Tick' ? 'now' : type === 'DeliverSnapshot' ? undefined : 'occurredAt';
  if (instant !== undefined && !(revived[instant] instanceof Date)) throw new WireError(`command.data.${instant}: missing`);
  if (type === 'DeliverSnapshot' && revived.afterKey !== null && typeof revived.afterKey !== 'string') throw new WireError('command.data.afterKey: neither a key nor null');
  if (agreementCommandTypes.has(type)) {
    if (typeof revived.agreementId !== 'string') throw new WireError('command.data.agreementId: missing');
  } else if (type !== 'Tick' && type !== 'DefineItem' && typeof revived.caseId !== 'string') throw new WireError('command.data.caseId: missing');
  if (type === 'DefineItem' && typeof revived.itemCode !== 'string') throw new WireError('command.data.itemCode: missing');
  return { ...(commandId === undefined ? {} : { commandId }), ...(fingerprint === undefined ? {} : { fingerprint }), command: { type, data: revived } as RouterCommand };
}

export function encodeOutcome(outcome: Outcome): string {
  return JSON.stringify(outcome);
}

/** An outcome as the gateway reads it (dates in the case view stay text, as they are answered). */
export function decodeOutcome(value: Buffer | string): Outcome {
  return JSON.parse(value.toString()) as Outcome;
}
