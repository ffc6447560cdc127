import { describe, expect, it } from 'vitest';
import { appendEntries, genesisHead } from '@hub/audit-chain';
import type { ExchangeMonitoring } from '@hub/schemas';
import { auditEntryOf } from './audit-entry.ts';
import { deliveryIdOf, deliveryMonitoring, type DeliveryAttempt } from './monitoring.ts';

const attempt: DeliveryAttempt = {
  deliveryId: deliveryIdOf('AG-1', 'ev-1'),
  agreementId: 'AG-1',
  recipient: 'civil',
  provider: 'ps',
  resourceCode: 'ps.resident-identity',
  sourceEventId: 'ev-1',
  maskedFields: ['idNumber', 'name'],
  record: { key: '450102198503120123', arrivedAt: new Date('2026-03-02T01:00:00.000Z'), bytes: 180 },
  at: new Date('2026-03-02T01:00:00.250Z'),
};

describe('exchange monitoring of a delivery', () => {
  it('given a delivery made, it names both parties, the record, the two instants and sizes, keyed by the delivery id', () => {
    const monitoring = deliveryMonitoring(attempt, { succeeded: true, envelopeBytes: 412 });
    expect(monitoring).toEqual({
      eventId: 'AG-1>ev-1:monitoring',
      occurredAt: attempt.at,
      exchangeId: 'AG-1>ev-1',
      kind: 'DELIVERY',
      requester: 'civil',
      provider: 'ps',
      resourceCode: 'ps.resident-identity',
      agreementId: 'AG-1',
      requestId: null,
      recordKey: '450102198503120123',
      sourceEventId: 'ev-1',
      maskedFields: ['idNumber', 'name'],
      requestInAt: attempt.record.arrivedAt,
      responseOutAt: attempt.at,
      requestSize: 180,
      responseSize: 412,
      succeeded: true,
      faultCode: null,
      faultString: null,
    } satisfies ExchangeMonitoring);
  });

  it('given a record that could not be masked, the exchange failed closed: nothing sent, the fault named', () => {
    const monitoring = deliveryMonitoring(attempt, { succeeded: false, faultCode: 'unmaskable', faultString: 'not masked' });
    expect(monitoring).toMatchObject({ eventId: 'AG-1>ev-1:monitoring', succeeded: false, faultCode: 'unmaskable', faultString: 'not masked', responseSize: 0, requestSize: 180 });
  });
});

describe('the audit entry of a monitoring record', () => {
  it('given a delivery, then who, the action, resource, owner, key, agreement, event, masked fields, bytes and time', () => {
    const entry = auditEntryOf(deliveryMonitoring(attempt, { succeeded: true, envelopeBytes: 412 }));
    expect(entry).toEqual({
      who: 'civil',
      action: 'delivery',
      resourceCode: 'ps.resident-identity',
      owner: 'ps',
      key: '450102198503120123',
      agreementId: 'AG-1',
      eventId: 'ev-1',
      exchangeId: 'AG-1>ev-1',
      maskedFields: ['idNumber', 'name'],
      bytes: 412,
      at: '2026-03-02T01:00:00.250Z',
      succeeded: true,
    });
  });

  it('given an agreement change, then the kind as a change and the event as its fault code, with no key or event id', () => {
    const monitoring: ExchangeMonitoring = {
      ...deliveryMonitoring(attempt, { succeeded: true, envelopeBytes: 0 }),
      kind: 'AGREEMENT', exchangeId: 'AG-1:2', recordKey: null, sourceEventId: null, maskedFields: [], faultCode: 'AgreementGranted', faultString: '同意',
    };
    const entry = auditEntryOf(monitoring);
    expect(entry).toMatchObject({ action: 'agreement-change', exchangeId: 'AG-1:2', faultCode: 'AgreementGranted', reason: '同意', succeeded: true });
    expect(entry).not.toHaveProperty('key');
    expect(entry).not.toHaveProperty('eventId');
  });

  it('given the same record twice, then the same entry, which the chain takes (JSON carries every value as it is)', () => {
    const monitoring = deliveryMonitoring(attempt, { succeeded: false, faultCode: 'unmaskable', faultString: 'not masked' });
    expect(auditEntryOf(monitoring)).toEqual(auditEntryOf(monitoring));
    const { chained } = appendEntries(genesisHead(0), [auditEntryOf(monitoring)]);
    expect(chained[0]!.entry).toEqual(auditEntryOf(monitoring));
    expect(chained[0]!.entry).toMatchObject({ succeeded: false, faultCode: 'unmaskable', bytes: 0 });
  });
});
