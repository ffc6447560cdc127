import type { EventTypeMap } from '../../generated/types.ts';

const requestId = 'DR-450102-20250312-0042';

/** The housing bureau asks public security whether an applicant is registered in the county (一次性核验). */
export const exchangeSamples: Pick<EventTypeMap, 'ExchangeRequested' | 'ExchangeResponded'> = {
  ExchangeRequested: {
    eventId: `${requestId}:1`,
    occurredAt: new Date('2025-03-12T01:00:00.000Z'),
    requestId,
    requester: 'housing',
    owner: 'ps',
    resourceCode: 'ps.resident-identity',
    purpose: '公租房申请资格审核',
    legalBasis: '《公共租赁住房管理办法》第七条',
    agreementId: 'AG-2025-0007',
    kind: 'QUESTION',
    query: { idNumber: '450102198503121233', name: '韦建国' },
    fields: ['idNumber', 'name', 'divisionCode'],
  },
  ExchangeResponded: {
    eventId: `${requestId}:2`,
    occurredAt: new Date('2025-03-12T01:00:02.000Z'),
    requestId,
    responder: 'ps',
    outcome: 'ANSWERED',
    reason: null,
    forwardedTo: null,
    agreementId: 'AG-2025-0007',
    answer: { registered: 'true', divisionCode: '450102', name: '韦*国' },
    maskedFields: ['name'],
  },
};
