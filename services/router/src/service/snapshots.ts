import type { AvroSerde, EventCodec, Logger, OutgoingRecord } from '@hub/runtime';
import { eventTypes, subjectName, type DepartmentCode, type EventName } from '@hub/schemas';
import type { AgreementState } from '../agreements/events.ts';
import type { SharedResource } from '../exchange/access.ts';
import { recordDeliveryEnvelope } from '../exchange/envelope.ts';
import { deliveryIdOf, deliveryMonitoring, type DeliveryAttempt } from '../exchange/monitoring.ts';
import { SNAPSHOT_PAGE_SIZE, snapshotPage, type SnapshotRecordData } from '../exchange/snapshot.ts';
import type { RecordStore } from '../store/record-store.ts';
import type { CommandEnvelope } from '../wire/messages.ts';
import { asDeliveryAgreement } from './deliveries.ts';

/** The records topic and event type of each resource code of the hub, from the schema manifest. */
const recordTypeOf: ReadonlyMap<string, { topic: string; name: EventName; fullName: string }> = new Map(
  eventTypes.flatMap((t) => (t.area === 'records' ? [[t.catalogue.resourceCode, { topic: t.topic, name: t.name, fullName: t.fullName }] as const] : [])),
);

export interface SnapshotDeps {
  readonly store: RecordStore;
  /** Decodes a stored value (Confluent wire format) with the schema it was written with. */
  readonly serde: Pick<AvroSerde, 'decode'>;
  readonly events: EventCodec;
  /** The catalogue as the deliveries last read it (waits for the first read). */
  catalogue(): Promise<ReadonlyMap<string, SharedResource>>;
  readonly logger: Logger;
  /** The wall clock: when the page's deliveries leave, for their exchange monitoring (never in a decision). */
  readonly now: () => Date;
  readonly pageSize?: number;
}

/** What one page writes, in the transaction of the command that asked for it: its deliveries, and the command for the next page. */
export interface SnapshotPageWrites {
  readonly records: Array<{ topic: string; record: OutgoingRecord }>;
  readonly next: CommandEnvelope | undefined;
}

const nothing: SnapshotPageWrites = { records: [], next: undefined };

/**
 * Decides one `DeliverSnapshot` page (not pure: it reads the record store):
 * the latest record of each key after `afterKey` that reached the hub
 * before the agreement's grant, masked and enveloped as the stream delivers
 * them, and the command for the page after it. Written in one transaction
 * with the command's offset, so a crash decides the page again, and no key
 * is delivered twice: the pages cover the keys in order, each once.
 *
 * Before the first page the store reads up to the end of the records topics
 * (everything that reached the hub before the grant, which committed before
 * this command could be read). A snapshot stops when the agreement is no
 * longer granted, or its resource no longer shared.
 */
export async function snapshotPageWrites(deps: SnapshotDeps, command: { agreementId: string; afterKey: string | null }, agreement: AgreementState | undefined): Promise<SnapshotPageWrites> {
  const { agreementId, afterKey } = command;
  const logger = deps.logger.child({ component: 'snapshots', agreementId });
  if (agreement?.status !== 'granted' || !agreement.grant) {
    logger.info({ status: agreement?.status ?? 'unknown' }, 'the agreement is not granted: its snapshot stops');
    return nothing;
  }
  const recordType = recordTypeOf.get(agreement.resourceCode);
  if (!recordType) {
    logger.warn({ resourceCode: agreement.resourceCode }, 'the resource has no records topic: no snapshot');
    return nothing;
  }
  const resource = (await deps.catalogue()).get(agreement.resourceCode);
  if (!resource) {
    logger.warn({ resourceCode: agreement.resourceCode }, 'the catalogue does not list the resource: its snapshot stops');
    return nothing;
  }
  if (afterKey === null) await deps.store.catchUp();
  const pageSize = deps.pageSize ?? SNAPSHOT_PAGE_SIZE;
  const scanned = deps.store.scan(recordType.topic, afterKey, pageSize);
  const grantedAt = agreement.grant.grantedAt.getTime();
  const records = [];
  const arrived = new Map(scanned.map((stored) => [stored.key, { key: stored.key, arrivedAt: new Date(stored.timestamp), bytes: stored.value.length }]));
  for (const stored of scanned) {
    // The stream's; not worth decoding.
    if (stored.timestamp >= grantedAt) {
      records.push({ key: stored.key, timestamp: stored.timestamp, data: undefined });
      continue;
    }
    let data: SnapshotRecordData | undefined;
    try {
      data = await deps.serde.decode<SnapshotRecordData>(stored.value);
    } catch (error) {
      logger.warn({ err: error, topic: stored.topic, partition: stored.partition, offset: stored.offset }, 'a stored record that is not a hub record is not delivered');
    }
    records.push({ key: stored.key, timestamp: stored.timestamp, data });
  }
  const page = snapshotPage({ agreement: asDeliveryAgreement(agreement), grantedAt, resource, records, pageSize });
  if (page.stopped) {
    logger.info({ reason: page.stopped.reason }, `the snapshot stops: ${page.stopped.message}`);
    return nothing;
  }
  const out: Array<{ topic: string; record: OutgoingRecord }> = [];
  // Each delivery, and each record that could not be masked, is monitored (交换监测) as the stream's are, in the page's transaction.
  const at = deps.now();
  const attempt = (key: string, source: SnapshotRecordData, maskedFields: readonly string[]): DeliveryAttempt => ({
    deliveryId: deliveryIdOf(agreementId, source.eventId),
    agreementId,
    recipient: agreement.subscriber,
    provider: resource.owner ?? agreement.owner,
    resourceCode: agreement.resourceCode,
    sourceEventId: source.eventId,
    maskedFields,
    record: arrived.get(key)!,
    at,
  });
  const monitor = async (made: DeliveryAttempt, outcome: Parameters<typeof deliveryMonitoring>[1]) =>
    out.push(await deps.events.toRecord({ type: 'ExchangeMonitoring', data: deliveryMonitoring(made, outcome), metadata: { source: '/hub/router', correlationId: agreementId } }));
  for (const skipped of page.skipped) {
    if (skipped.why === 'unmaskable') {
      await monitor(attempt(skipped.key, skipped.source, skipped.maskedFields), { succeeded: false, faultCode: 'unmaskable', faultString: 'a sensitive field could not be masked; the record was not delivered' });
    }
  }
  for (const delivery of page.deliveries) {
    const payload = await deps.events.toRecord({ type: recordType.name, data: delivery.record, metadata: { source: '/hub/router' } } as never);
    const envelope = recordDeliveryEnvelope({
      agreementId,
      recipient: agreement.subscriber,
      resourceCode: agreement.resourceCode,
      sourceTopic: recordType.topic,
      payloadSubject: subjectName(recordType.topic, recordType.fullName),
      payload: payload.record.value as Buffer,
      maskedFields: delivery.maskedFields,
      source: delivery.source,
    });
    const written = await deps.events.toRecord({ type: 'DeliveryEnvelope', data: envelope, metadata: { source: '/hub/router', department: agreement.subscriber as DepartmentCode, correlationId: agreementId } });
    out.push(written);
    await monitor(attempt(delivery.key, delivery.source, delivery.maskedFields), { succeeded: true, envelopeBytes: (written.record.value as Buffer).length });
  }
  logger.info({ afterKey, scanned: scanned.length, delivered: page.deliveries.length, skipped: page.skipped.length, done: page.next === null }, 'snapshot page');
  return { records: out, next: page.next === null ? undefined : { command: { type: 'DeliverSnapshot', data: { agreementId, afterKey: page.next } } } };
}
