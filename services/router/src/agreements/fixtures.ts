// Shared by the agreement specs: the official calendar, catalogue entries
// built from the hub's own schemas (their owner, condition and sensitive
// fields, as the catalog derives them), and builders for commands, so each
// spec reads as given/when/then.
import { eventType, sensitiveFields, type EventName, type SharingCondition } from '@hub/schemas';
import { bj, calendar } from '../cases/fixtures.ts';
import { agreementDecider, type AgreementCommand } from './decide.ts';
import { agreementEventId, type AgreementEvent } from './events.ts';
import type { AgreementResource } from './resource.ts';

export { bj, calendar };

export const decider = agreementDecider({ calendar });

export const AGREEMENT = 'AG-0A1B2C3D4E5F60718293';

/** The catalogue entry of a record resource of the hub, as the router reads it from the catalog; `sharing` to pretend another condition. */
export function resourceOf(name: EventName, sharing?: SharingCondition): AgreementResource {
  const entry = eventType(name);
  if (entry.area !== 'records') throw new Error(`${name} is not a record resource`);
  const { resourceCode, ownerDepartment, sharingCondition } = entry.catalogue;
  return { resourceCode, owner: ownerDepartment, sharing: sharing ?? sharingCondition, maskedFields: sensitiveFields(name).map((field) => field.path) };
}

/** ps, conditional (有条件共享); sensitive: idNumber, previousIdNumber, name, address. */
export const residentIdentity = resourceOf('ResidentIdentity');
/** market, unconditional (无条件共享); sensitive: creditCode, legalRepresentative. */
export const businessLicence = resourceOf('BusinessLicence');
/** tax's taxpayer registrations, pretended not shared (不予共享). */
export const taxpayersNotShared = resourceOf('TaxpayerRegistration', 'not-shared');

/** The fields every event of agreement `AGREEMENT` at version `version` begins with. */
export const head = (version: number, occurredAt: Date) => ({ eventId: agreementEventId(AGREEMENT, version), occurredAt, agreementId: AGREEMENT });

type RequestData = Extract<AgreementCommand, { type: 'RequestAgreement' }>['data'];

/** Civil affairs asks for a resource for its 低保 reviews; `extra` changes any field of the request. */
export function requestOf(resource: AgreementResource | null, at: Date, extra: Partial<RequestData> = {}): AgreementCommand {
  return {
    type: 'RequestAgreement',
    data: {
      agreementId: AGREEMENT,
      occurredAt: at,
      subscriber: 'civil',
      resourceCode: resource?.resourceCode ?? 'ps.resident-identity',
      resource,
      purpose: '最低生活保障申请家庭户籍核对',
      ...extra,
    },
  };
}

/** Commands, by what the caller does. */
export const when = {
  request: requestOf,
  approve: (by: string, at: Date, extra: { fields?: string[]; reason?: string } = {}): AgreementCommand => ({
    type: 'ApproveAgreement',
    data: { agreementId: AGREEMENT, occurredAt: at, by, approved: true, ...extra },
  }),
  refuse: (by: string, at: Date, reason?: string): AgreementCommand => ({
    type: 'ApproveAgreement',
    data: { agreementId: AGREEMENT, occurredAt: at, by, approved: false, ...(reason === undefined ? {} : { reason }) },
  }),
  revoke: (by: string, at: Date, reason?: string): AgreementCommand => ({
    type: 'RevokeAgreement',
    data: { agreementId: AGREEMENT, occurredAt: at, by, ...(reason === undefined ? {} : { reason }) },
  }),
  change: (resourceCode: string, sharing: SharingCondition, at: Date): AgreementCommand => ({
    type: 'SharingConditionChanged',
    data: { resourceCode, sharing, occurredAt: at },
  }),
};

/** The events these commands record one after another from an empty agreement; throws at the first refusal. */
export function history(...commands: AgreementCommand[]): AgreementEvent[] {
  let state = decider.initialState();
  const events: AgreementEvent[] = [];
  for (const command of commands) {
    const decision = decider.decide(command, state);
    if (!decision.ok) throw new Error(`${command.type} refused while building a history: ${JSON.stringify(decision.error)}`);
    for (const event of decision.events) {
      state = decider.evolve(state, event);
      events.push(event);
    }
  }
  return events;
}
