import { describe, expect, it } from 'vitest';
import { samples } from '@hub/schemas/samples';
import { cloudEventHttpHeaders, deliveryBody } from './body.ts';
import { decodeFailureIsPermanent } from './decode.ts';

describe('the webhook body', () => {
  it('carries every envelope field, the decoded payload, and the Avro bytes as base64', () => {
    const envelope = samples.DeliveryEnvelope;
    const body = JSON.parse(deliveryBody(envelope, { ...samples.BusinessLicence, photo: Buffer.from([1, 2, 3]) }));
    expect(body).toMatchObject({
      eventId: envelope.eventId,
      occurredAt: '2025-02-14T01:20:01.000Z',
      deliveryId: 'DL-20250214-000981',
      recipient: 'tax',
      agreementId: 'AG-2024-0031',
      requestId: null,
      payloadSchemaId: 7,
      maskedFields: [],
      payloadAvroBase64: Buffer.from(envelope.payload).toString('base64'),
    });
    expect(body.payload.photo).toBe('AQID');
    expect(body.payload.eventId).toBe(samples.BusinessLicence.eventId);
  });

  it('writes CloudEvents HTTP headers, percent-encoding what is not printable ASCII', () => {
    const headers = cloudEventHttpHeaders({ id: 'e-1', type: 'gov.hub.delivery.DeliveryEnvelope', source: '/hub/router', time: new Date('2025-01-01T00:00:00Z'), subject: '办件 100%' });
    expect(headers).toEqual({
      'ce-specversion': '1.0',
      'ce-id': 'e-1',
      'ce-type': 'gov.hub.delivery.DeliveryEnvelope',
      'ce-source': '/hub/router',
      'ce-time': '2025-01-01T00:00:00.000Z',
      'ce-subject': '%E5%8A%9E%E4%BB%B6 100%25',
    });
  });
});

describe('decode failures', () => {
  it('are permanent for malformed messages and unknown schemas, transient for an unreachable registry', () => {
    expect(decodeFailureIsPermanent(new Error('not a Confluent wire-format message (magic byte 0 missing)'))).toBe(true);
    expect(decodeFailureIsPermanent(Object.assign(new Error('Schema not found'), { status: 404 }))).toBe(true);
    expect(decodeFailureIsPermanent(Object.assign(new Error('Internal'), { status: 500 }))).toBe(false);
    expect(decodeFailureIsPermanent(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8081'), { code: 'ECONNREFUSED' }))).toBe(false);
  });
});
