import type { EventTypeMap } from '../../generated/types.ts';
import { encodeEvent } from '../codec.ts';
import { subjectName } from '../manifest.ts';
import { recordSamples } from './records.ts';

/** The sample case's item as the operator defined it, a warning on the case, and the delivery of a business licence to the tax department. */
export const hubSamples: Pick<EventTypeMap, 'ItemDefined' | 'SupervisionAlert' | 'DeliveryEnvelope'> = {
  ItemDefined: {
    eventId: 'item:11450100MB1534568L4000117005000:1',
    occurredAt: at('2025-01-02T01:00:00.000Z'),
    itemCode: '11450100MB1534568L4000117005000',
    version: 1,
    name: '食品经营许可（新办）',
    leadDepartment: 'market',
    legalDays: 20,
    promisedDays: 5,
    stages: [{ departments: ['housing'], dueDays: 3 }],
    fee: null,
    certificateType: '食品经营许可证',
    definedBy: 'operator',
  },
  SupervisionAlert: {
    eventId: 'NN-XX-20250310-000123:WARNING',
    occurredAt: at('2025-03-13T00:00:00.000Z'),
    level: 'WARNING',
    caseId: 'NN-XX-20250310-000123',
    requestId: null,
    responsibleDepartment: 'market',
    deadline: '2025-03-17',
    limitDays: 5,
    workingDaysUsed: 4,
    workingDaysRemaining: 1,
  },
  DeliveryEnvelope: {
    eventId: 'market:91450103MA5L2Q7R8G:1>tax',
    occurredAt: at('2025-02-14T01:20:01.000Z'),
    deliveryId: 'DL-20250214-000981',
    recipient: 'tax',
    agreementId: 'AG-2024-0031',
    requestId: null,
    resourceCode: 'market.business-licence',
    sourceTopic: 'records.market.business-licence',
    sourceEventId: recordSamples.BusinessLicence.eventId,
    payloadSubject: subjectName('records.market.business-licence', 'gov.hub.records.market.BusinessLicence'),
    payloadSchemaId: 7,
    payload: encodeEvent('BusinessLicence', recordSamples.BusinessLicence),
    maskedFields: [],
    correlationId: '5b0c1f0e-3f4a-4d2b-9a77-0c1d2e3f4a5b',
  },
};

function at(iso: string): Date {
  return new Date(iso);
}
