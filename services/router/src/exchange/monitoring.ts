import type { ExchangeMonitoring } from '@hub/schemas';

/**
 * Exchange monitoring (交换监测) of a record delivered under an agreement, as
 * X-Road's operational monitoring keeps one record per exchange: who received
 * (the subscriber) from whom (the owner), which record, when it reached the
 * hub and when its delivery left, how big both were. The audit scribe turns
 * each into an audit entry (留痕). Pure: the time the delivery left comes in.
 */

/** The source record as it reached the hub: its Kafka key, timestamp and value size. */
export interface ArrivedRecord {
  readonly key: string | null;
  readonly arrivedAt: Date;
  readonly bytes: number;
}

/** A delivery the decision allowed, whether or not it could be made. */
export interface DeliveryAttempt {
  readonly deliveryId: string;
  readonly agreementId: string;
  /** The subscriber (订阅部门). */
  readonly recipient: string;
  /** The owner of the resource (提供部门). */
  readonly provider: string;
  readonly resourceCode: string;
  readonly sourceEventId: string;
  readonly maskedFields: readonly string[];
  readonly record: ArrivedRecord;
  /** When the batch's deliveries left the hub (the service's clock). */
  readonly at: Date;
}

export type DeliveryOutcome =
  | { readonly succeeded: true; readonly envelopeBytes: number }
  /** Fail closed: a sensitive value that could not be masked was not delivered. */
  | { readonly succeeded: false; readonly faultCode: 'unmaskable'; readonly faultString: string };

/** The delivery id a record has under an agreement (as `recordDeliveryEnvelope` names it): the exchange number. */
export const deliveryIdOf = (agreementId: string, sourceEventId: string): string => `${agreementId}>${sourceEventId}`;

/** The monitoring record of a delivery: keyed by its delivery id (the exchange), its event id derived from it. */
export function deliveryMonitoring(attempt: DeliveryAttempt, outcome: DeliveryOutcome): ExchangeMonitoring {
  return {
    eventId: `${attempt.deliveryId}:monitoring`,
    occurredAt: attempt.at,
    exchangeId: attempt.deliveryId,
    kind: 'DELIVERY',
    requester: attempt.recipient,
    provider: attempt.provider,
    resourceCode: attempt.resourceCode,
    agreementId: attempt.agreementId,
    requestId: null,
    recordKey: attempt.record.key,
    sourceEventId: attempt.sourceEventId,
    maskedFields: [...attempt.maskedFields],
    requestInAt: attempt.record.arrivedAt,
    responseOutAt: attempt.at,
    requestSize: attempt.record.bytes,
    responseSize: outcome.succeeded ? outcome.envelopeBytes : 0,
    succeeded: outcome.succeeded,
    faultCode: outcome.succeeded ? null : outcome.faultCode,
    faultString: outcome.succeeded ? null : outcome.faultString,
  };
}
