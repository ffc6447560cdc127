import { shanghaiDate, type WorkingCalendar } from '@hub/calendar';
import { accept, refuse, type Decider, type Decision, type Message, type Refusal } from '@hub/decider';
import type { SharingCondition } from '@hub/schemas';
import { divisionPrefixProblem } from './division.ts';
import { agreementEventId, cloneAgreement, evolveAgreement, initialAgreementState, type AgreementEvent, type AgreementState } from './events.ts';
import { isSharingCondition, sharingSymbol, sharingTerm, type AgreementResource } from './resource.ts';
import { agreementView, type AgreementView } from './view.ts';

type At = { agreementId: string; occurredAt: Date };

/**
 * What departments ask of a sharing agreement (共享协议), and what the catalog
 * tells it. Time is `occurredAt` (the gateway's clock); `subscriber` and `by`
 * are the caller as the gateway authenticated it.
 */
export type AgreementCommand =
  /**
   * A department asks for a resource (`POST /v1/agreements`). `resourceCode`
   * is what it asked for; `resource` the catalog's entry for it as the router
   * read it, null when the catalog has none. `fields`: sensitive fields asked
   * for unmasked; `divisionPrefix`: 2, 4, 6, 9 or 12 digits; `snapshot`
   * (default false): the latest record of every matching key first.
   */
  | Message<
      'RequestAgreement',
      At & {
        subscriber: string;
        resourceCode: string;
        resource: AgreementResource | null;
        purpose: string;
        legalBasis?: string;
        fields?: readonly string[];
        divisionPrefix?: string;
        snapshot?: boolean;
      }
    >
  /**
   * The owner answers (`POST /v1/agreements/{id}/approval`): `fields` are the
   * sensitive fields it lets through unmasked (none when absent); a refusal
   * states its `reason`, an approval may give one as its opinion.
   */
  | Message<'ApproveAgreement', At & { by: string; approved: boolean; fields?: readonly string[]; reason?: string }>
  /** The subscriber or the owner ends the agreement (`DELETE /v1/agreements/{id}`). */
  | Message<'RevokeAgreement', At & { by: string; reason?: string }>
  /**
   * The catalog operator changed the sharing condition of `resourceCode`.
   * Sent to every agreement on the resource (see `sharingConditionChanged`);
   * one on another resource, or refused or revoked, is left alone.
   */
  | Message<'SharingConditionChanged', { resourceCode: string; sharing: SharingCondition; occurredAt: Date }>;

export type AgreementCommandType = AgreementCommand['type'];

/** Why a command is refused, in the agreement's words (each one has its spec in agreement.unit.test.ts). */
export const agreementRefusalTypes = [
  'AgreementNotFound',
  'AgreementMismatch',
  'AlreadyRequested',
  'InvalidTime',
  'OccurredBeforePreviousStep',
  'UnknownResource',
  'OwnResource',
  'PurposeRequired',
  'NotSensitiveField',
  'InvalidDivisionPrefix',
  'NotOwner',
  'NotParty',
  'NotPending',
  'ReasonRequired',
  'AlreadyRevoked',
  'AlreadyRefused',
  'InvalidSharingCondition',
] as const;

export type AgreementRefusalType = (typeof agreementRefusalTypes)[number];

/**
 * A refusal. With `field` it is about one field of the request (400 naming
 * it; `resource` for an unknown resource or one's own). NotOwner and NotParty
 * are a department acting on an agreement that is not its to act on (403),
 * AgreementNotFound is 404; the others are transitions the agreement's state
 * does not allow (409).
 */
export type AgreementRefusal = Refusal<AgreementRefusalType> & { readonly field?: string };

export interface AgreementDeciderDeps {
  readonly calendar: WorkingCalendar;
}

/**
 * The sharing agreement aggregate (共享协议). Each accepted command answers
 * the agreement's view as of its own date, after its events: what the
 * gateway answers (`201 {agreementId, status, reason?}` is a part of it).
 */
export function agreementDecider(deps: AgreementDeciderDeps): Decider<AgreementCommand, AgreementEvent, AgreementState, AgreementView, AgreementRefusal> {
  const decide = (command: AgreementCommand, state: AgreementState): Decision<AgreementEvent, AgreementView, AgreementRefusal> => {
    const decided = decideAgreement(command, state);
    if (!decided.ok) return decided;
    // decide may not change `state`, so the answer is worked out on a copy.
    const after = decided.events.reduce(evolveAgreement, cloneAgreement(state));
    return accept(decided.events, agreementView(after, deps.calendar, shanghaiDate(command.data.occurredAt)));
  };
  return { decide, evolve: evolveAgreement, initialState: initialAgreementState };
}

type Outcome = { ok: true; events: AgreementEvent[] } | { ok: false; error: AgreementRefusal };

const no = (type: AgreementRefusalType, message: string, field?: string): { ok: false; error: AgreementRefusal } =>
  refuse(field === undefined ? { type, message } : { type, message, field });

/** The events a command leads to, or why not. */
export function decideAgreement(command: AgreementCommand, state: AgreementState): Outcome {
  const { occurredAt } = command.data;
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) return no('InvalidTime', 'occurredAt is not a valid time', 'occurredAt');
  if (command.type === 'RequestAgreement') return request(command.data, state);
  if (command.type === 'SharingConditionChanged') return sharingChanged(command.data, state);

  const { agreementId } = command.data;
  if (state.status === undefined) return no('AgreementNotFound', `agreement ${agreementId} has not been requested`);
  if (agreementId !== state.agreementId) return no('AgreementMismatch', `the command is for agreement ${agreementId}, the state is agreement ${state.agreementId}`);
  if (state.lastStepAt !== undefined && occurredAt < state.lastStepAt) {
    const previous = state.history[state.history.length - 1]?.type ?? 'step';
    return no('OccurredBeforePreviousStep', `occurredAt ${iso(occurredAt)} is before the previous step of the agreement (${previous} at ${iso(state.lastStepAt)})`, 'occurredAt');
  }
  const steps = new Steps(state, occurredAt);

  switch (command.type) {
    case 'ApproveAgreement': {
      const { by, approved } = command.data;
      // Who may answer comes first: a stranger learns nothing of the agreement's state.
      if (by !== state.owner) return no('NotOwner', `only the owner of ${state.resourceCode}, ${state.owner}, answers agreement ${state.agreementId}, not ${by}`);
      if (state.status !== 'pending' && !(state.status === 'suspended' && state.awaitingOwner)) {
        return no('NotPending', `agreement ${state.agreementId} awaits no answer: it is ${state.status}${state.reason ? ` (${state.reason})` : ''}`);
      }
      const opinion = text(command.data.reason);
      if (!approved) {
        if (!opinion) return no('ReasonRequired', 'a refusal states its reason (不予共享理由, 国发〔2016〕51号)', 'reason');
        return steps.done((head) => ({ type: 'AgreementRefused', data: { ...head, refusedBy: by, reason: opinion } }));
      }
      const fields = fieldList(command.data.fields);
      const unknown = fields.filter((field) => !state.sensitiveFields.includes(field));
      if (unknown.length > 0) return notSensitive(unknown, state.resourceCode, state.sensitiveFields);
      return steps.done((head) => ({ type: 'AgreementGranted', data: { ...head, approvedBy: by, unmaskedFields: fields, opinion: opinion ?? null } }));
    }

    case 'RevokeAgreement': {
      const { by } = command.data;
      if (by !== state.subscriber && by !== state.owner) {
        return no('NotParty', `only the subscriber ${state.subscriber} or the owner ${state.owner} revokes agreement ${state.agreementId}, not ${by}`);
      }
      if (state.status === 'revoked') return no('AlreadyRevoked', `agreement ${state.agreementId} was revoked at ${iso(state.history[state.history.length - 1]?.occurredAt)}`);
      if (state.status === 'refused') return no('AlreadyRefused', `agreement ${state.agreementId} was refused (${state.reason ?? ''}): there is nothing to revoke`);
      return steps.done((head) => ({ type: 'AgreementRevoked', data: { ...head, revokedBy: by, reason: text(command.data.reason) ?? null } }));
    }

    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown agreement command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

type RequestData = Extract<AgreementCommand, { type: 'RequestAgreement' }>['data'];

/**
 * A request, checked field by field in the order of the body; then the
 * catalogue's condition decides: unconditional is granted at once (masked:
 * asking for sensitive fields unmasked makes it wait for the owner, as a
 * conditional one does), conditional waits for the owner, not-shared is
 * refused by the hub with the reason.
 */
function request(data: RequestData, state: AgreementState): Outcome {
  const { agreementId, occurredAt, subscriber, resourceCode, resource } = data;
  if (state.status !== undefined) return no('AlreadyRequested', `agreement ${state.agreementId} was requested at ${iso(state.requestedAt)}`);
  if (resource === null || resource.resourceCode !== resourceCode) {
    return no('UnknownResource', `the catalog (政务信息资源目录) has no shared resource ${resourceCode}`, 'resource');
  }
  if (resource.owner === subscriber) return no('OwnResource', `${resourceCode} is ${subscriber}'s own resource: a department does not ask itself for its data`, 'resource');
  const purpose = text(data.purpose);
  if (!purpose) return no('PurposeRequired', 'a request states what the data is for (使用用途)', 'purpose');
  const fields = fieldList(data.fields);
  const unknown = fields.filter((field) => !resource.maskedFields.includes(field));
  if (unknown.length > 0) return notSensitive(unknown, resourceCode, resource.maskedFields);
  const divisionPrefix = text(data.divisionPrefix) ?? null;
  const problem = divisionPrefix === null ? undefined : divisionPrefixProblem(divisionPrefix);
  if (problem !== undefined) return no('InvalidDivisionPrefix', problem, 'divisionPrefix');

  const steps = new Steps({ ...state, agreementId }, occurredAt);
  steps.add((head) => ({
    type: 'AgreementRequested',
    data: {
      ...head,
      subscriber,
      resourceCode,
      owner: resource.owner,
      purpose,
      legalBasis: text(data.legalBasis) ?? null,
      fields,
      divisionPrefix,
      snapshot: data.snapshot ?? false,
      sharing: sharingSymbol(resource.sharing),
      sensitiveFields: [...resource.maskedFields],
    },
  }));
  switch (resource.sharing) {
    case 'unconditional':
      if (fields.length === 0) steps.add((head) => ({ type: 'AgreementGranted', data: { ...head, approvedBy: null, unmaskedFields: [], opinion: null } }));
      return steps.result();
    case 'conditional':
      return steps.result();
    case 'not-shared':
      return steps.done((head) => ({ type: 'AgreementRefused', data: { ...head, refusedBy: null, reason: `${resourceCode} is ${sharingTerm('not-shared')} in the catalogue` } }));
    default: {
      const _exhaustive: never = resource.sharing;
      return no('UnknownResource', `${resourceCode} has no known sharing condition (${String(_exhaustive)})`, 'resource');
    }
  }
}

type ChangeData = Extract<AgreementCommand, { type: 'SharingConditionChanged' }>['data'];

/**
 * What a new sharing condition of the resource does to this agreement.
 *
 * | agreement | → not-shared | → conditional | → unconditional |
 * | --- | --- | --- | --- |
 * | pending | refused by the hub | stays pending | granted by the hub (when no field was asked unmasked) |
 * | granted by the owner | suspended | holds | holds |
 * | granted by the hub | suspended | suspended until the owner approves | holds |
 * | suspended (not shared) | – | reinstated if the owner had approved it, else awaits the owner | reinstated |
 * | suspended awaiting the owner | suspended (not shared) | – | reinstated |
 * | refused, revoked | – | – | – |
 *
 * A fact from the catalog, not a party's step: dated no earlier than the
 * agreement's last step, so that its history and its supervision stay in order.
 */
function sharingChanged(data: ChangeData, state: AgreementState): Outcome {
  const { resourceCode, sharing } = data;
  if (!isSharingCondition(sharing)) return no('InvalidSharingCondition', `sharing ${JSON.stringify(sharing)} is not unconditional, conditional or not-shared`, 'sharing');
  if (state.status === undefined) return no('AgreementNotFound', 'no agreement has been requested in this state');
  const nothing: Outcome = { ok: true, events: [] };
  if (resourceCode !== state.resourceCode) return nothing;
  const at = state.lastStepAt !== undefined && data.occurredAt < state.lastStepAt ? state.lastStepAt : data.occurredAt;
  const steps = new Steps(state, at);
  const symbol = sharingSymbol(sharing);
  const now = `${resourceCode} is ${sharingTerm(sharing)} in the catalogue since ${iso(data.occurredAt)}`;
  const suspend = (awaitingOwner: boolean, why: string): Outcome =>
    steps.done((head) => ({ type: 'AgreementSuspended', data: { ...head, sharing: symbol, reason: why, awaitingOwner } }));
  const reinstate = (why: string): Outcome => steps.done((head) => ({ type: 'AgreementReinstated', data: { ...head, sharing: symbol, reason: why } }));
  const awaitingOwner = `${now}: granted without the owner's approval, it waits for ${state.owner} to approve it`;
  const approvedByOwner = state.grant !== undefined && state.grant.approvedBy !== null;

  switch (state.status) {
    case 'refused':
    case 'revoked':
      return nothing;
    case 'pending':
      if (sharing === 'not-shared') return steps.done((head) => ({ type: 'AgreementRefused', data: { ...head, refusedBy: null, reason: now } }));
      if (sharing === 'unconditional' && state.fields.length === 0) {
        return steps.done((head) => ({ type: 'AgreementGranted', data: { ...head, approvedBy: null, unmaskedFields: [], opinion: null } }));
      }
      return nothing;
    case 'granted':
      if (sharing === 'not-shared') return suspend(false, `${now}: nothing is delivered under the agreement`);
      if (sharing === 'conditional' && !approvedByOwner) return suspend(true, awaitingOwner);
      return nothing;
    case 'suspended':
      if (sharing === 'unconditional') return reinstate(`${now}: the agreement holds again`);
      if (sharing === 'not-shared') return state.awaitingOwner ? suspend(false, `${now}: nothing is delivered under the agreement`) : nothing;
      if (state.awaitingOwner) return nothing;
      return approvedByOwner ? reinstate(`${now}: the owner's approval of ${iso(state.grant?.grantedAt)} holds again`) : suspend(true, awaitingOwner);
    default: {
      const _exhaustive: never = state.status;
      throw new Error(`unknown agreement status ${String(_exhaustive)}`);
    }
  }
}

/**
 * A change of a resource's sharing condition, decided for each agreement on
 * it (the router's agreements of one partition, say): the agreements it
 * changes, each with its events, in the order given.
 */
export function sharingConditionChanged(
  agreements: Iterable<AgreementState>,
  change: ChangeData,
): { agreementId: string; events: AgreementEvent[] }[] {
  const changed: { agreementId: string; events: AgreementEvent[] }[] = [];
  for (const state of agreements) {
    if (state.status === undefined || state.resourceCode !== change.resourceCode) continue;
    const decided = decideAgreement({ type: 'SharingConditionChanged', data: change }, state);
    if (decided.ok && decided.events.length > 0) changed.push({ agreementId: state.agreementId, events: decided.events });
  }
  return changed;
}

/** The fields every agreement event begins with. */
type Head = { eventId: string; occurredAt: Date; agreementId: string };

/** Collects the events of one decision, numbering them on from the agreement's version. */
class Steps {
  private readonly events: AgreementEvent[] = [];
  constructor(
    private readonly state: Pick<AgreementState, 'agreementId' | 'version'>,
    private readonly occurredAt: Date,
  ) {}

  add(make: (head: Head) => AgreementEvent): this {
    const { agreementId } = this.state;
    this.events.push(make({ eventId: agreementEventId(agreementId, this.state.version + this.events.length + 1), occurredAt: this.occurredAt, agreementId }));
    return this;
  }

  done(make: (head: Head) => AgreementEvent): Outcome {
    return this.add(make).result();
  }

  result(): Outcome {
    return { ok: true, events: this.events };
  }
}

function notSensitive(unknown: readonly string[], resourceCode: string, sensitive: readonly string[]) {
  const listed = sensitive.length === 0 ? 'it has none' : `they are ${sensitive.join(', ')}`;
  return no('NotSensitiveField', `${unknown.join(', ')}: not sensitive fields (敏感字段) of ${resourceCode}; ${listed}`, 'fields');
}

/** Trimmed, without blanks and repeats, in the order given. */
function fieldList(fields: readonly string[] | undefined): string[] {
  return [...new Set((fields ?? []).map((field) => field.trim()).filter((field) => field.length > 0))];
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function iso(at: Date | undefined): string {
  return at ? at.toISOString() : 'an unknown time';
}
