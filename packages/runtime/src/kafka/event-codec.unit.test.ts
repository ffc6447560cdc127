import { describe, expect, it } from 'vitest';
import { avroType, eventType, type EventName } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { schemaIdOf, wireEncoder, type AvroSerde, type AvroType } from '../serde.ts';
import { createEventCodec, eventKey, EventCodecError } from './event-codec.ts';
import { consumedRecord } from './records.ts';

/** A registry in memory: one id per subject, the hub's own Avro types to encode and decode. */
function memorySerde() {
  const subjects = new Map<string, number>();
  const types = new Map<number, EventName>();
  const serde: AvroSerde = {
    async register(subject, schema) {
      let id = subjects.get(subject);
      if (id === undefined) {
        id = subjects.size + 1;
        subjects.set(subject, id);
        types.set(id, (schema as { name: EventName }).name);
      }
      return id;
    },
    async encode(id, value) {
      return wireEncoder(avroType(types.get(id)!) as unknown as AvroType, id)(value);
    },
    async encoder(id) {
      return wireEncoder(avroType(types.get(id)!) as unknown as AvroType, id);
    },
    async decode<T>(buffer: Buffer) {
      return avroType(types.get(schemaIdOf(buffer))!).fromBuffer(buffer.subarray(5)) as T;
    },
    schemaIdOf,
  };
  return { serde, subjects };
}

describe('the typed event codec', () => {
  it('writes an event with its topic, key and CloudEvents headers, and reads it back as {type, data, metadata}', async () => {
    const { serde, subjects } = memorySerde();
    const codec = createEventCodec(serde);
    const data = samples.CoApprovalRequested;
    const { topic, record } = await codec.toRecord({ type: 'CoApprovalRequested', data, metadata: { source: '/hub/router', correlationId: data.caseId } });
    expect(topic).toBe('cases.events');
    expect(record.key).toBe(data.caseId);
    expect(record.headers).toMatchObject({ ce_id: data.eventId, ce_type: 'gov.hub.cases.CoApprovalRequested', ce_source: '/hub/router', ce_subject: data.caseId, ce_correlationid: data.caseId, ce_time: data.occurredAt.toISOString() });
    expect([...subjects.keys()]).toEqual(['cases.events-gov.hub.cases.CoApprovalRequested']);

    const read = await codec.fromRecord(consumedRecord(topic, 2, { key: Buffer.from(data.caseId), value: record.value as Buffer, headers: record.headers!, offset: '41', timestamp: '0', attributes: 0 } as never));
    expect(read.type).toBe('CoApprovalRequested');
    expect(read.data).toEqual(data);
    expect(read.metadata).toMatchObject({ id: data.eventId, source: '/hub/router', topic, partition: 2, offset: '41', key: data.caseId });
  });

  it('puts per-department events on the recipient\'s topic and groups events by topic in order', async () => {
    const codec = createEventCodec(memorySerde().serde);
    const delivery = samples.DeliveryEnvelope;
    const grouped = await codec.toTopicRecords([
      { type: 'CaseAccepted', data: samples.CaseAccepted, metadata: { source: '/hub/router' } },
      { type: 'DeliveryEnvelope', data: delivery, metadata: { source: '/hub/router', department: 'tax' } },
      { type: 'CaseDecided', data: samples.CaseDecided, metadata: { source: '/hub/router' } },
    ]);
    expect(grouped.map((g) => [g.topic, g.messages.length])).toEqual([['cases.events', 2], ['deliveries.tax', 1]]);
    await expect(codec.toRecord({ type: 'DeliveryEnvelope', data: delivery, metadata: { source: '/hub/router' } })).rejects.toThrow(/pass the department/);
  });

  it('keys an event by the key fields it has', () => {
    expect(eventKey('SupervisionAlert', { ...samples.SupervisionAlert, caseId: 'C-1', requestId: null })).toBe('C-1');
    expect(eventKey('SocialInsuranceEnrolment', samples.SocialInsuranceEnrolment)).toBe(`${samples.SocialInsuranceEnrolment.idNumber}:${samples.SocialInsuranceEnrolment.insuranceType}`);
    expect(eventType('SupervisionAlert').keyFields).toEqual(['caseId', 'requestId']);
  });

  it('refuses a record without CloudEvents headers, or of a type the hub does not know, naming where it was read', async () => {
    const codec = createEventCodec(memorySerde().serde);
    const bare = consumedRecord('cases.events', 0, { key: null, value: Buffer.from([0, 0, 0, 0, 1]), headers: {}, offset: '7', timestamp: '0' } as never);
    await expect(codec.fromRecord(bare)).rejects.toThrow(EventCodecError);
    await expect(codec.fromRecord(bare)).rejects.toThrow(/cases.events\[0\]@7/);
    const alien = consumedRecord('cases.events', 0, { key: null, value: null, headers: { ce_id: 'x', ce_type: 'com.example.Other', ce_source: '/x', ce_time: new Date(0).toISOString() }, offset: '8', timestamp: '0' } as never);
    await expect(codec.fromRecord(alien)).rejects.toThrow(/not an event type of the hub/);
  });
});
