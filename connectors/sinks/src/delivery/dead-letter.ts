import type { RecordHeaders } from '@hub/runtime';
import type { AttemptRecord } from './retry.ts';

/**
 * What `dlq.sinks` holds for a delivery that could not be made (JSON, one per
 * message, keyed like the original): where it came from, why it failed, every
 * attempt, and the original message so an operator can replay it.
 */
export interface SinkDeadLetter {
  component: 'sinks';
  department: string;
  webhook: string;
  source: { topic: string; partition: number; offset: string; key: string | null };
  eventId: string | null;
  deliveryId: string | null;
  /** permanent: the department refused it (4xx); exhausted: transient failures on every attempt; undecodable: not a DeliveryEnvelope. */
  reason: 'permanent' | 'exhausted' | 'undecodable';
  detail: string;
  failedAt: string;
  attempts: AttemptRecord[];
  /** The JSON body the webhook was sent (null when the message could not be decoded). */
  body: unknown;
  originalValueBase64: string | null;
  originalHeaders: Record<string, string>;
}

export function deadLetterMessage(letter: SinkDeadLetter, originalHeaders: RecordHeaders | undefined) {
  return {
    key: letter.source.key,
    value: JSON.stringify(letter),
    headers: {
      ...originalHeaders,
      'content-type': 'application/json',
      hub_dlq_component: 'sinks',
      hub_dlq_reason: letter.reason,
    },
  };
}
