import type { DeliveryEnvelope } from '@hub/schemas';

/** What a record delivered under an agreement is: the parts its `deliveries.<subscriber>` envelope is made of. */
export interface RecordDelivery {
  readonly agreementId: string;
  /** The subscriber (订阅部门), whose `deliveries.<dept>` carries it. */
  readonly recipient: string;
  readonly resourceCode: string;
  /** The records topic it was read from, `records.<dept>.<resource>`. */
  readonly sourceTopic: string;
  /** The subject the payload's schema is registered under. */
  readonly payloadSubject: string;
  /** The masked record as written: Confluent wire format (magic byte, 4-byte schema id, Avro binary). */
  readonly payload: Buffer;
  readonly maskedFields: readonly string[];
  /** The record's own event id and time. */
  readonly source: { readonly eventId: string; readonly occurredAt: Date };
}

/**
 * The DeliveryEnvelope of a record delivered under an agreement, whether the
 * stream delivers it or a snapshot: keyed and identified by its delivery id
 * `${agreementId}>${eventId}`, the same for both, so no record reaches a
 * subscriber twice under one agreement, and no key or header carries a value.
 */
export function recordDeliveryEnvelope(delivery: RecordDelivery): DeliveryEnvelope {
  const { agreementId, recipient, resourceCode, sourceTopic, payloadSubject, payload, maskedFields, source } = delivery;
  const deliveryId = `${agreementId}>${source.eventId}`;
  return {
    eventId: deliveryId,
    occurredAt: source.occurredAt,
    deliveryId,
    recipient,
    agreementId,
    requestId: null,
    resourceCode,
    sourceTopic,
    sourceEventId: source.eventId,
    payloadSubject,
    payloadSchemaId: payload.readInt32BE(1),
    payload: payload.subarray(5),
    maskedFields: [...maskedFields],
    correlationId: source.eventId,
  };
}
