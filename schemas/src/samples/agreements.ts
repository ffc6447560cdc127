import type { EventTypeMap } from '../../generated/types.ts';

const agreementId = 'AG-450102-20250303-0007';

type AgreementEventName = 'AgreementRequested' | 'AgreementGranted' | 'AgreementRefused' | 'AgreementRevoked' | 'AgreementSuspended' | 'AgreementReinstated';

/**
 * Civil affairs subscribes to public security's resident identity for the
 * county's 低保 reviews (最低生活保障审核); public security lets the ID number
 * through unmasked. The refusal, suspension and reinstatement are of the same
 * agreement at other moments, each valid on its own.
 */
export const agreementSamples: Pick<EventTypeMap, AgreementEventName> = {
  AgreementRequested: {
    eventId: `${agreementId}:1`,
    occurredAt: new Date('2025-03-03T01:30:00.000Z'),
    agreementId,
    subscriber: 'civil',
    resourceCode: 'ps.resident-identity',
    owner: 'ps',
    purpose: '最低生活保障申请家庭户籍核对',
    legalBasis: '《社会救助暂行办法》第十一条',
    fields: ['idNumber'],
    divisionPrefix: '450102',
    snapshot: true,
    sharing: 'CONDITIONAL',
    sensitiveFields: ['idNumber', 'previousIdNumber', 'name', 'address'],
  },
  AgreementGranted: {
    eventId: `${agreementId}:2`,
    occurredAt: new Date('2025-03-06T07:00:00.000Z'),
    agreementId,
    approvedBy: 'ps',
    unmaskedFields: ['idNumber'],
    opinion: '同意，限用于低保家庭户籍核对',
  },
  AgreementRefused: {
    eventId: `${agreementId}:2`,
    occurredAt: new Date('2025-03-06T07:00:00.000Z'),
    agreementId,
    refusedBy: 'ps',
    reason: '申请用途与所列法律依据不符',
  },
  AgreementRevoked: {
    eventId: `${agreementId}:3`,
    occurredAt: new Date('2025-12-31T08:00:00.000Z'),
    agreementId,
    revokedBy: 'civil',
    reason: '低保年度复核结束',
  },
  AgreementSuspended: {
    eventId: `${agreementId}:3`,
    occurredAt: new Date('2025-06-02T00:00:00.000Z'),
    agreementId,
    sharing: 'NOT_SHARED',
    reason: 'ps.resident-identity is no longer shared (不予共享) in the catalogue',
    awaitingOwner: false,
  },
  AgreementReinstated: {
    eventId: `${agreementId}:4`,
    occurredAt: new Date('2025-06-09T00:00:00.000Z'),
    agreementId,
    sharing: 'CONDITIONAL',
    reason: 'ps.resident-identity is shared conditionally (有条件共享) again: the owner\'s approval holds',
  },
};
