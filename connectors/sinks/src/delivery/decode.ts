import type { AvroSerde } from '@hub/runtime';
import type { DeliveryEnvelope } from '@hub/schemas';

export interface DecodedDelivery {
  envelope: DeliveryEnvelope;
  /** The payload record decoded with its writer schema (`payloadSchemaId`). */
  payload: unknown;
}

/**
 * Decodes a `deliveries.<dept>` message: the envelope in the Confluent wire
 * format, then its payload, which is bare Avro binary written with
 * `payloadSchemaId`; giving it the wire header lets the same serde (and its
 * schema cache) read it.
 */
export async function decodeDelivery(serde: AvroSerde, value: Buffer): Promise<DecodedDelivery> {
  const envelope = await serde.decode<DeliveryEnvelope>(value);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(envelope.payloadSchemaId, 1);
  const payload = await serde.decode(Buffer.concat([header, Buffer.from(envelope.payload)]));
  return { envelope, payload };
}

/**
 * Whether a decode failure will fail the same way again: a message that is not
 * in the wire format, bytes the schema cannot read, or a schema id the registry
 * does not know (4xx). A registry that is down or answers 5xx is transient.
 */
export function decodeFailureIsPermanent(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const status = 'status' in error && typeof error.status === 'number' ? error.status : undefined;
  if (status !== undefined) return status >= 400 && status < 500 && status !== 408 && status !== 429;
  const text = `${'code' in error ? String(error.code) : ''} ${error instanceof Error ? error.message : ''} ${error instanceof Error && error.cause instanceof Error ? error.cause.message : ''}`;
  return !/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|fetch failed|timeout|timed out|network/i.test(text);
}
