import { createHash } from 'node:crypto';
import { headersAsText, type ConsumedRecord, type OutgoingRecord } from '@hub/runtime';

export const DEAD_LETTER_TOPIC = 'dlq.analytics';
/** The most of an unreadable record a dead letter carries; its size and SHA-256 say what the whole was. */
export const DEAD_LETTER_ORIGINAL_BYTES = 64 * 1024;

/** Why a record could not be projected. */
export type DeadLetterReason =
  /** No ce_id, ce_type, ce_source or ce_time header. */
  | 'not-a-cloud-event'
  /** ce_type names no event type of schemas/. */
  | 'unknown-event-type'
  /** No value, or not Avro in the Confluent wire format. */
  | 'not-avro'
  /** The registry has no such schema, or the bytes do not fit it. */
  | 'undecodable'
  /** A case event whose id is not `<caseId>:<version>`, so it cannot be placed in its case. */
  | 'no-case-version';

export interface DeadLetter {
  record: ConsumedRecord;
  reason: DeadLetterReason;
  detail: string;
}

/** The dead letter as written to `dlq.analytics`: where the record was, why, and the original bytes up to 64 KiB with the size and SHA-256 of the whole. */
export function deadLetterRecord({ record, reason, detail }: DeadLetter): OutgoingRecord {
  const value = record.value;
  const letter = {
    component: 'analytics',
    source: { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key?.toString() ?? null },
    reason,
    detail,
    headers: headersAsText(record.headers),
    originalBytes: value?.length ?? 0,
    originalSha256: value ? createHash('sha256').update(value).digest('hex') : null,
    originalValueBase64: value ? value.subarray(0, DEAD_LETTER_ORIGINAL_BYTES).toString('base64') : null,
    originalTruncated: (value?.length ?? 0) > DEAD_LETTER_ORIGINAL_BYTES,
  };
  return { key: record.key, value: JSON.stringify(letter), headers: { 'content-type': 'application/json', hub_dlq_component: 'analytics', hub_dlq_reason: reason } };
}
