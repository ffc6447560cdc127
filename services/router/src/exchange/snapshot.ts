import { decideDelivery, maskForDelivery, type DeliveryAgreement, type DeliveryRefusalReason, type SharedResource } from './access.ts';

/** Records a snapshot page reads from the record store: enough for a transaction, few enough for a batch. */
export const SNAPSHOT_PAGE_SIZE = 500;

/** A record of the hub's record store as a snapshot page reads it: the latest of its key, decoded (undefined when it is not a hub record). */
export interface SnapshotRecord {
  readonly key: string;
  /** When it reached the hub (the Kafka timestamp, ms). */
  readonly timestamp: number;
  readonly data: SnapshotRecordData | undefined;
}

export interface SnapshotRecordData {
  readonly eventId: string;
  readonly occurredAt: Date;
  readonly divisionCode?: string | null;
}

export interface SnapshotPageInput<T extends SnapshotRecordData> {
  readonly agreement: DeliveryAgreement;
  /** The agreement's grant (ms): records that reached the hub from then on are the stream's to deliver. */
  readonly grantedAt: number;
  readonly resource: SharedResource;
  /** One page of the store's scan, in key order. */
  readonly records: ReadonlyArray<SnapshotRecord & { readonly data: T | undefined }>;
  /** How many records the scan was asked for: a page as long is followed by another. */
  readonly pageSize: number;
}

/** Why a record of the page is not delivered: the stream delivers it, it is no hub record, it lies outside the agreement's region. */
export type SnapshotSkip = 'streamed' | 'unreadable' | 'outside-division';

/** A record of the page, skipped: those that could not be masked with what they would have masked, for their monitoring. */
export type SkippedRecord<T> = { key: string; why: SnapshotSkip } | { key: string; why: 'unmaskable'; source: T; maskedFields: readonly string[] };

export interface SnapshotPage<T extends SnapshotRecordData> {
  /** The records to deliver, masked as a delivery masks them. */
  readonly deliveries: Array<{ key: string; source: T; record: T; maskedFields: string[] }>;
  readonly skipped: Array<SkippedRecord<T>>;
  /**
   * Where the next page begins (its `afterKey`), or null when the scan is
   * done or the snapshot stops (`stopped` says why: the agreement or the
   * resource no longer delivers anything).
   */
  readonly next: string | null;
  readonly stopped?: { reason: DeliveryRefusalReason; message: string };
}

/** Refusals about the agreement or the resource, not the record: no record of the page, nor of any later one, is delivered. */
const endsTheSnapshot: ReadonlySet<DeliveryRefusalReason> = new Set(['not-shared', 'own-resource', 'no-agreement', 'not-granted', 'condition-changed']);

/**
 * One page of a new agreement's snapshot (存量数据): of the latest record of
 * each key, those that reached the hub before the grant, as the stream would
 * have delivered them (the same decision and masks, see `decideDelivery`).
 * A key whose latest record came at or after the grant is skipped: the
 * stream delivers it. Pure: the service reads the store and encodes.
 */
export function snapshotPage<T extends SnapshotRecordData>(input: SnapshotPageInput<T>): SnapshotPage<T> {
  const { agreement, grantedAt, resource, records, pageSize } = input;
  const deliveries: Array<{ key: string; source: T; record: T; maskedFields: string[] }> = [];
  const skipped: Array<SkippedRecord<T>> = [];
  for (const { key, timestamp, data } of records) {
    if (timestamp >= grantedAt) {
      skipped.push({ key, why: 'streamed' });
      continue;
    }
    if (data === undefined) {
      skipped.push({ key, why: 'unreadable' });
      continue;
    }
    const decision = decideDelivery({ resource, recipient: agreement.subscriber, agreement, divisionCode: data.divisionCode });
    if (!decision.deliver) {
      if (endsTheSnapshot.has(decision.reason)) return { deliveries: [], skipped: [], next: null, stopped: { reason: decision.reason, message: decision.message } };
      skipped.push({ key, why: 'outside-division' });
      continue;
    }
    try {
      const masked = maskForDelivery(data, resource, decision);
      deliveries.push({ key, source: data, record: masked.record, maskedFields: [...masked.maskedFields] });
    } catch {
      // Fail closed, as the stream does: a sensitive value that cannot be masked (UnmaskableValueError) is not delivered.
      skipped.push({ key, why: 'unmaskable', source: data, maskedFields: decision.maskedFields });
    }
  }
  const last = records[records.length - 1];
  return { deliveries, skipped, next: records.length >= pageSize && last !== undefined ? last.key : null };
}
