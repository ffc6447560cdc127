import { describe, expect, it } from 'vitest';
import { cloudEventHeaders, readCloudEvent } from './cloudevents.ts';
import { schemaIdOf } from '../serde.ts';

describe('CloudEvents Kafka binding', () => {
  it('writes ce_* headers and reads them back', () => {
    const attributes = { id: 'evt-1', type: 'gov.hub.cases.CaseSubmitted', source: '/centres/450102', time: new Date('2025-03-03T01:02:03.004Z'), subject: 'case-1', correlationId: 'corr-9' };
    const headers = cloudEventHeaders(attributes);
    expect(headers).toMatchObject({ ce_specversion: '1.0', ce_id: 'evt-1', ce_time: '2025-03-03T01:02:03.004Z', ce_correlationid: 'corr-9' });
    const asReceived = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))]));
    expect(readCloudEvent(asReceived)).toEqual(attributes);
  });

  it('refuses a message without the required attributes', () => {
    expect(() => readCloudEvent({ ce_id: Buffer.from('x') })).toThrow(/ce_type/);
  });
});

describe('Confluent wire format', () => {
  it('reads the schema id after the magic byte', () => {
    expect(schemaIdOf(Buffer.from([0, 0, 0, 1, 2, 42]))).toBe(258);
    expect(() => schemaIdOf(Buffer.from([1, 0, 0, 0, 1]))).toThrow(/magic byte/);
  });
});
