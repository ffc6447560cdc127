import type { FieldError, NativeRecord, PublishOutcome, RecordSource, RejectedEntry, ResourceMapping } from '@hub/connector-core';

export type { RecordSource };
/** One record the mapping refused, by its position in the pushed batch. */
export type RejectedRecord = RejectedEntry;
/** `{ accepted, duplicates, rejected: [{ index, field, reason }] }`, the body of a 202. */
export type PublishResult = PublishOutcome;

/**
 * What the gateway needs of connectors/core's once-only publisher: map each
 * native record, dead-letter the bad ones, publish the rest in one Kafka
 * transaction and return after the commit; records published before (same
 * event id) count as duplicates. A port, so the HTTP contract can be tested
 * without Kafka.
 */
export interface RecordPublisherPort {
  publish(mapping: ResourceMapping, natives: readonly NativeRecord[], source: RecordSource, now: Date, options?: { readErrors?: ReadonlyMap<number, FieldError[]> }): Promise<PublishResult>;
  close(): Promise<void>;
}
