import type { DeliveryEnvelope } from '@hub/schemas';

/**
 * The JSON a department's webhook receives: every field of the DeliveryEnvelope,
 * with `payload` decoded from Avro into JSON (timestamps as ISO text, dates as
 * YYYY-MM-DD, decimals as exact text, bytes as base64) and the exact Avro
 * binary beside it in `payloadAvroBase64` for receivers that decode with the
 * registry (`payloadSchemaId`).
 */
export interface DeliveryBody extends Omit<DeliveryEnvelope, 'payload' | 'occurredAt'> {
  occurredAt: string;
  payload: unknown;
  payloadAvroBase64: string;
}

export function deliveryBody(envelope: DeliveryEnvelope, payload: unknown): string {
  const { payload: avro, occurredAt, ...rest } = envelope;
  const body: DeliveryBody = { ...rest, occurredAt: occurredAt.toISOString(), payload, payloadAvroBase64: Buffer.from(avro).toString('base64') };
  return JSON.stringify(body, function replacer(this: Record<string, unknown>, key: string, value: unknown) {
    // Buffer.toJSON has already run on `value`; the holder still has the Buffer itself.
    const raw = this[key];
    if (Buffer.isBuffer(raw)) return raw.toString('base64');
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}

/**
 * CloudEvents HTTP binding (binary mode) headers: `ce-*`. Values outside
 * printable ASCII are percent-encoded, as the binding asks.
 */
export function cloudEventHttpHeaders(ce: { id: string; type: string; source: string; time: Date; subject?: string; correlationId?: string }): Record<string, string> {
  const headers: Record<string, string> = {
    'ce-specversion': '1.0',
    'ce-id': headerValue(ce.id),
    'ce-type': headerValue(ce.type),
    'ce-source': headerValue(ce.source),
    'ce-time': ce.time.toISOString(),
  };
  if (ce.subject !== undefined) headers['ce-subject'] = headerValue(ce.subject);
  if (ce.correlationId !== undefined) headers['ce-correlationid'] = headerValue(ce.correlationId);
  return headers;
}

function headerValue(text: string): string {
  return text.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c));
}
