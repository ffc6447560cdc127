import { samples } from '@hub/schemas/samples';
import type { ResidentIdentity } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import type { DeliveryAgreement, SharedResource } from './access.ts';
import { recordDeliveryEnvelope } from './envelope.ts';
import { snapshotPage, type SnapshotRecord } from './snapshot.ts';
import { residents } from './fixtures.ts';


/** Civil affairs' agreement, granted by ps with names let through, for Nanning (4501). */
const granted: DeliveryAgreement = {
  agreementId: 'AG-0A1B2C3D4E5F60718293',
  status: 'granted',
  subscriber: 'civil',
  resourceCode: 'ps.resident-identity',
  divisionPrefix: '4501',
  unmaskedFields: ['name'],
  approvedBy: 'ps',
};

const grantedAt = Date.parse('2026-03-02T02:00:00Z');

/** The latest record of resident `n`, as the store holds it: reached the hub `minutes` after (or, negative, before) the grant. */
function stored(n: number, minutes: number, extra: Partial<ResidentIdentity> = {}): SnapshotRecord & { data: ResidentIdentity } {
  const idNumber = `45010219850312${String(1000 + n)}`;
  return {
    key: idNumber,
    timestamp: grantedAt + minutes * 60_000,
    data: { ...samples.ResidentIdentity, eventId: `ps:${idNumber}:1`, idNumber, ...extra },
  };
}

const page = (records: Array<SnapshotRecord & { data: ResidentIdentity | undefined }>, overrides: { agreement?: DeliveryAgreement; resource?: SharedResource; pageSize?: number } = {}) =>
  snapshotPage({ agreement: overrides.agreement ?? granted, grantedAt, resource: overrides.resource ?? residents, records, pageSize: overrides.pageSize ?? 3 });

describe('snapshotPage: one page of a new agreement’s snapshot (存量数据)', () => {
  it('given the latest records of three keys, all before the grant, then each is delivered masked as the stream masks it, and a full page asks for the next after its last key', () => {
    const records = [stored(1, -600), stored(2, -60), stored(3, -1)];
    const result = page(records);
    expect(result.deliveries.map((d) => d.key)).toEqual(records.map((r) => r.key));
    expect(result.deliveries[0]).toMatchObject({
      source: records[0]!.data,
      record: { idNumber: '450102********1001', name: '韦建国', address: '广西壮族自治区南宁市兴宁区***************' },
      maskedFields: ['idNumber', 'address'],
    });
    expect(result.skipped).toEqual([]);
    expect(result.next).toBe(records[2]!.key);
  });

  it('a key whose latest record reached the hub at or after the grant is the stream’s: skipped; a short page ends the scan', () => {
    const result = page([stored(1, -5), stored(2, 0), stored(3, 30)], { pageSize: 4 });
    expect(result.deliveries.map((d) => d.key)).toEqual([stored(1, 0).key]);
    expect(result.skipped).toEqual([{ key: stored(2, 0).key, why: 'streamed' }, { key: stored(3, 0).key, why: 'streamed' }]);
    expect(result.next).toBeNull();
  });

  it('a record outside the agreement’s region, one that is not a hub record, and one that cannot be masked are skipped; the page goes on', () => {
    const outside = stored(1, -5, { divisionCode: '450200' });
    const unreadable = { ...stored(2, -5), data: undefined };
    const unmaskable = stored(3, -5, { idNumber: 450102 as unknown as string });
    const fine = stored(4, -5);
    const result = page([outside, unreadable, unmaskable, fine], { pageSize: 4 });
    expect(result.deliveries.map((d) => d.key)).toEqual([fine.key]);
    expect(result.skipped).toEqual([
      { key: outside.key, why: 'outside-division' },
      { key: unreadable.key, why: 'unreadable' },
      { key: unmaskable.key, why: 'unmaskable', source: unmaskable.data, maskedFields: ['idNumber', 'previousIdNumber', 'address'] },
    ]);
    expect(result.next).toBe(fine.key);
  });

  it('stops, delivering nothing, once the agreement is not granted or the resource is not shared', () => {
    const records = [stored(1, -5), stored(2, -5), stored(3, -5)];
    expect(page(records, { agreement: { ...granted, status: 'suspended' } })).toEqual({ deliveries: [], skipped: [], next: null, stopped: { reason: 'not-granted', message: `agreement ${granted.agreementId} is suspended` } });
    expect(page(records, { resource: { ...residents, sharing: 'not-shared' } })).toMatchObject({ deliveries: [], next: null, stopped: { reason: 'not-shared' } });
  });

  it('an empty page: nothing to deliver, the scan is done', () => {
    expect(page([])).toEqual({ deliveries: [], skipped: [], next: null });
  });
});

describe('recordDeliveryEnvelope: the envelope of a delivered record, the stream’s and a snapshot’s', () => {
  it('is identified and keyed by `${agreementId}>${eventId}`, carries the payload’s schema id and Avro bytes apart, and names the masked fields', () => {
    const payload = Buffer.concat([Buffer.from([0, 0, 0, 0, 42]), Buffer.from('avro')]);
    const source = { eventId: 'ps:450102198503121233:7', occurredAt: new Date('2026-03-01T01:00:00Z') };
    expect(
      recordDeliveryEnvelope({
        agreementId: granted.agreementId,
        recipient: 'civil',
        resourceCode: 'ps.resident-identity',
        sourceTopic: 'records.ps.resident-identity',
        payloadSubject: 'records.ps.resident-identity-gov.hub.records.ps.ResidentIdentity',
        payload,
        maskedFields: ['idNumber'],
        source,
      }),
    ).toEqual({
      eventId: `${granted.agreementId}>${source.eventId}`,
      occurredAt: source.occurredAt,
      deliveryId: `${granted.agreementId}>${source.eventId}`,
      recipient: 'civil',
      agreementId: granted.agreementId,
      requestId: null,
      resourceCode: 'ps.resident-identity',
      sourceTopic: 'records.ps.resident-identity',
      sourceEventId: source.eventId,
      payloadSubject: 'records.ps.resident-identity-gov.hub.records.ps.ResidentIdentity',
      payloadSchemaId: 42,
      payload: Buffer.from('avro'),
      maskedFields: ['idNumber'],
      correlationId: source.eventId,
    });
  });
});
