import type { Message } from '@hub/decider';
import type { EventTypeMap, SharingCondition } from '@hub/schemas';
import { sharingOfSymbol } from './resource.ts';

/** The events of a sharing agreement (共享协议), in the order one can meet them; `type` is the Avro record name. */
export const agreementEventTypes = [
  'AgreementRequested',
  'AgreementGranted',
  'AgreementRefused',
  'AgreementRevoked',
  'AgreementSuspended',
  'AgreementReinstated',
] as const;

export type AgreementEventType = (typeof agreementEventTypes)[number];

type AgreementEventData = Pick<EventTypeMap, AgreementEventType>;

/** `{ type, data }` with `data` the generated Avro type of `type`. */
export type AgreementEvent = { [T in AgreementEventType]: Message<T, AgreementEventData[T]> }[AgreementEventType];

/**
 * What `GET /v1/agreements/{id}` calls the agreement's status: `pending`
 * until the owner answers; `granted` while it delivers; `suspended` while
 * the resource's sharing condition no longer allows it; `refused` and
 * `revoked` for good.
 */
export type AgreementStatus = 'pending' | 'granted' | 'refused' | 'revoked' | 'suspended';

/**
 * A stretch in which the owner owes an answer (答复): from the request, or
 * from a suspension that waits for the owner's approval, until its answer or
 * whatever else ended the wait. `round` is the version of the event that
 * opened it, so each wait has its own alerts.
 */
export interface AnswerWait {
  readonly round: number;
  readonly since: Date;
  endedAt?: Date;
}

/** The grant in force, or suspended: who approved it (null: the hub, for an unconditional resource) and what it lets through. */
export interface Grant {
  readonly approvedBy: string | null;
  readonly unmaskedFields: readonly string[];
  readonly grantedAt: Date;
}

/** One line of the agreement's history as its view shows it. */
export interface HistoryEntry {
  type: AgreementEventType;
  occurredAt: Date;
  /** The department that acted; absent for what the hub did by itself (`automatic`). */
  department?: string;
  automatic?: true;
  reason?: string;
  /** Fields asked for unmasked (a request), or let through unmasked (a grant). */
  fields?: readonly string[];
  sharing?: SharingCondition;
}

/**
 * One agreement, everything its decisions, its view, its deliveries and its
 * supervision need. `status === undefined` until it is requested.
 */
export interface AgreementState {
  /** Events so far; the next event is version `version + 1`. */
  version: number;
  status: AgreementStatus | undefined;
  agreementId: string;
  subscriber: string;
  resourceCode: string;
  owner: string;
  purpose: string;
  legalBasis: string | null;
  /** Sensitive fields asked for unmasked. */
  fields: readonly string[];
  divisionPrefix: string | null;
  snapshot: boolean;
  /** The condition the catalogue gave at the request. */
  sharingAtRequest?: SharingCondition;
  /** The resource's sensitive fields at the request: the only fields an owner may let through. */
  sensitiveFields: readonly string[];
  requestedAt?: Date;
  /** Time of the latest step: no party's step may be dated before it. */
  lastStepAt?: Date;
  grant?: Grant;
  /** The latest answer: a grant or a refusal, by the owner or the hub. */
  decidedAt?: Date;
  /** Why it is refused, revoked (when given) or suspended. */
  reason?: string;
  /** Suspended, and the owner's approval would make it hold again. */
  awaitingOwner: boolean;
  waits: AnswerWait[];
  history: HistoryEntry[];
}

export function initialAgreementState(): AgreementState {
  return {
    version: 0,
    status: undefined,
    agreementId: '',
    subscriber: '',
    resourceCode: '',
    owner: '',
    purpose: '',
    legalBasis: null,
    fields: [],
    divisionPrefix: null,
    snapshot: false,
    sensitiveFields: [],
    awaitingOwner: false,
    waits: [],
    history: [],
  };
}

/** Deterministic event ids, as the case's: version n of agreement a is `a:n` (AgreementRequested is `a:1`). */
export const agreementEventId = (agreementId: string, version: number): string => `${agreementId}:${version}`;

/** The wait for the owner's answer that is still open, if the owner owes one now. */
export function openWait(state: AgreementState): AnswerWait | undefined {
  const last = state.waits[state.waits.length - 1];
  return last && last.endedAt === undefined ? last : undefined;
}

/** In place (see `Decider`): the agreement's state belongs to whoever folds its events. */
export function evolveAgreement(state: AgreementState, event: AgreementEvent): AgreementState {
  state.version += 1;
  const at = event.data.occurredAt;
  if (state.lastStepAt === undefined || at > state.lastStepAt) state.lastStepAt = at;
  state.history.push(historyEntry(event));
  switch (event.type) {
    case 'AgreementRequested': {
      const { agreementId, subscriber, resourceCode, owner, purpose, legalBasis, fields, divisionPrefix, snapshot, sharing, sensitiveFields } = event.data;
      Object.assign(state, { status: 'pending', agreementId, subscriber, resourceCode, owner, purpose, legalBasis, fields, divisionPrefix, snapshot, sensitiveFields, requestedAt: at });
      state.sharingAtRequest = sharingOfSymbol(sharing);
      state.waits.push({ round: state.version, since: at });
      return state;
    }
    case 'AgreementGranted':
      endWait(state, at);
      state.status = 'granted';
      state.grant = { approvedBy: event.data.approvedBy, unmaskedFields: event.data.unmaskedFields, grantedAt: at };
      state.decidedAt = at;
      state.reason = undefined;
      state.awaitingOwner = false;
      return state;
    case 'AgreementRefused':
      endWait(state, at);
      state.status = 'refused';
      state.decidedAt = at;
      state.reason = event.data.reason;
      state.awaitingOwner = false;
      return state;
    case 'AgreementRevoked':
      endWait(state, at);
      state.status = 'revoked';
      state.reason = event.data.reason ?? undefined;
      state.awaitingOwner = false;
      return state;
    case 'AgreementSuspended': {
      const { awaitingOwner, reason } = event.data;
      // Waiting for the owner opens a wait (the owner has its 10 working days); a resource no longer shared ends it.
      if (!awaitingOwner) endWait(state, at);
      else if (!openWait(state)) state.waits.push({ round: state.version, since: at });
      state.status = 'suspended';
      state.reason = reason;
      state.awaitingOwner = awaitingOwner;
      return state;
    }
    case 'AgreementReinstated':
      endWait(state, at);
      state.status = 'granted';
      state.reason = undefined;
      state.awaitingOwner = false;
      return state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

/**
 * A copy that `evolveAgreement` may change without touching the original: it
 * changes the open wait in place and adds to the arrays, and replaces every
 * other object whole.
 */
export function cloneAgreement(state: AgreementState): AgreementState {
  return { ...state, waits: state.waits.map((wait) => ({ ...wait })), history: [...state.history] };
}

function endWait(state: AgreementState, at: Date): void {
  const wait = openWait(state);
  if (wait) wait.endedAt = at;
}

function historyEntry(event: AgreementEvent): HistoryEntry {
  const entry: HistoryEntry = { type: event.type, occurredAt: event.data.occurredAt };
  switch (event.type) {
    case 'AgreementRequested':
      return { ...entry, department: event.data.subscriber, fields: event.data.fields, sharing: sharingOfSymbol(event.data.sharing) };
    case 'AgreementGranted': {
      const { approvedBy, unmaskedFields, opinion } = event.data;
      const by = approvedBy === null ? { automatic: true as const } : { department: approvedBy };
      return { ...entry, ...by, fields: unmaskedFields, ...(opinion === null ? {} : { reason: opinion }) };
    }
    case 'AgreementRefused': {
      const { refusedBy, reason } = event.data;
      return { ...entry, ...(refusedBy === null ? { automatic: true as const } : { department: refusedBy }), reason };
    }
    case 'AgreementRevoked':
      return { ...entry, department: event.data.revokedBy, ...(event.data.reason === null ? {} : { reason: event.data.reason }) };
    case 'AgreementSuspended':
    case 'AgreementReinstated':
      return { ...entry, automatic: true, reason: event.data.reason, sharing: sharingOfSymbol(event.data.sharing) };
    default: {
      const _exhaustive: never = event;
      return entry;
    }
  }
}
