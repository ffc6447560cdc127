import { describe, expect, it } from 'vitest';
import { officialCalendar } from '@hub/calendar';
import { cloudEventHeaders, type ConsumedRecord, type ReadEvent } from '@hub/runtime';
import { CaseCache } from '../cases/fold.ts';
import { caseScript, testItem } from '../cases/testing/script.ts';
import { deduplicationToken, projectBatch } from './batch.ts';
import { DEAD_LETTER_ORIGINAL_BYTES, deadLetterRecord } from './dead-letter.ts';

const calendar = officialCalendar();
const item = testItem('ITEM-1');
const events = caseScript({ caseId: 'GW-1', item, calendar, submittedAt: '2026-03-02 09:00', steps: [{ at: '2026-03-02 09:10', do: 'accept' }, { at: '2026-03-03 10:00', do: 'decide', approved: true }] });

/** A record as Kafka hands it over; the value is a placeholder in the wire format, the codec below "decodes" it by offset. */
function record(offset: number, event: { type: string; data: { eventId: string; occurredAt: Date; caseId?: string } }, overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  return {
    topic: 'cases.events',
    partition: 0,
    offset: String(offset),
    key: Buffer.from(event.data.caseId ?? 'k'),
    value: Buffer.from([0, 0, 0, 0, 1, offset]),
    headers: cloudEventHeaders({ id: event.data.eventId, type: `gov.hub.cases.${event.type}`, source: '/hub/router', time: event.data.occurredAt }),
    timestamp: String(Date.parse('2026-03-02T02:00:00Z') + offset),
    ...overrides,
  };
}

const byOffset = new Map(events.map((event, i) => [String(i), event]));
const codec = {
  async fromRecord(r: ConsumedRecord): Promise<ReadEvent> {
    const event = byOffset.get(r.offset);
    if (!event || r.value?.[5] === 99) throw new Error('schema 1 does not fit these bytes');
    return { ...event, metadata: { topic: r.topic, partition: r.partition, offset: r.offset } } as unknown as ReadEvent;
  },
};
const deps = () => ({ codec, calendar, cache: new CaseCache(100), storedCaseEvents: async () => new Map() });

describe('a batch of records, projected', () => {
  it('becomes event rows, case event rows (the applicant kept only as a kind), and the case\'s facts as they stand after the batch', async () => {
    const batch = await projectBatch(events.map((e, i) => record(i, e)), deps());
    expect(batch.deadLetters).toEqual([]);
    expect(batch.rows.events).toHaveLength(events.length);
    expect(batch.rows.case_events.map((r) => (r as { version: number }).version)).toEqual(events.map((_, i) => i + 1));
    const submitted = JSON.parse((batch.rows.case_events[0] as { data: string }).data) as { applicant: unknown };
    expect(submitted.applicant).toEqual({ kind: 'PERSON' });
    expect(batch.rows.cases).toEqual([expect.objectContaining({ caseId: 'GW-1', version: events.length, decidedOn: '2026-03-03', workingDaysUsed: 1, onTime: 1 })]);
  });

  it('sends what cannot be decoded to the dead letters with its reason, and projects the rest', async () => {
    const good = record(0, events[0]!);
    const noHeaders = { ...record(1, events[1]!), headers: {} };
    const unknownType = record(2, events[2]!, { headers: cloudEventHeaders({ id: 'x', type: 'gov.hub.cases.Nonsense', source: '/x', time: new Date() }) });
    const notAvro = record(3, events[2]!, { value: Buffer.from('{"json":true}') });
    const undecodable = record(4, events[2]!, { value: Buffer.from([0, 0, 0, 0, 1, 99]) });
    const batch = await projectBatch([good, noHeaders, unknownType, notAvro, undecodable], deps());
    expect(batch.deadLetters.map((d) => [d.record.offset, d.reason])).toEqual([['1', 'not-a-cloud-event'], ['2', 'unknown-event-type'], ['3', 'not-avro'], ['4', 'undecodable']]);
    expect(batch.rows.events).toHaveLength(1);
  });

  it('does not decode records whose data no table needs (records, deliveries): their headers are enough', async () => {
    const residents = record(0, { type: 'ResidentIdentity', data: { eventId: 'r-1', occurredAt: new Date() } }, { topic: 'records.ps.resident-identity', headers: cloudEventHeaders({ id: 'r-1', type: 'gov.hub.records.ps.ResidentIdentity', source: '/connectors/ps', time: new Date() }) });
    const batch = await projectBatch([residents], { ...deps(), codec: { fromRecord: () => Promise.reject(new Error('must not be decoded')) } });
    expect(batch.deadLetters).toEqual([]);
    expect(batch.rows.events).toEqual([expect.objectContaining({ eventId: 'r-1', type: 'ResidentIdentity', topic: 'records.ps.resident-identity' })]);
  });

  it('names its inserts by topic, partition and offset range', () => {
    const records = [record(5, events[0]!), record(9, events[1]!), record(7, events[2]!, { topic: 'supervision.alerts', partition: 2 })];
    expect(deduplicationToken('cases', records)).toBe('cases|cases.events:0:5-9,supervision.alerts:2:7-7');
  });

  it('writes a dead letter with the original cut to 64 KiB, its size and SHA-256', () => {
    const big = record(1, events[0]!, { value: Buffer.alloc(DEAD_LETTER_ORIGINAL_BYTES + 10, 7) });
    const letter = JSON.parse(String(deadLetterRecord({ record: big, reason: 'undecodable', detail: 'no' }).value)) as Record<string, unknown>;
    expect(letter).toMatchObject({ component: 'analytics', reason: 'undecodable', originalBytes: DEAD_LETTER_ORIGINAL_BYTES + 10, originalTruncated: true, source: { topic: 'cases.events', partition: 0, offset: '1' } });
    expect(Buffer.from(String(letter.originalValueBase64), 'base64')).toHaveLength(DEAD_LETTER_ORIGINAL_BYTES);
    expect(letter.originalSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
