import { fetchCatalogueResources } from '@hub/catalogue-client';
import {
  createExactlyOnceProcessor,
  retry,
  type EventCodec,
  type ExactlyOnceProcessor,
  type InputBatch,
  type Kafka,
  type Logger,
  type OutgoingRecord,
  type TopicRecords,
} from '@hub/runtime';
import { eventType, eventTypes, subjectName, type DeliveryEnvelope, type DepartmentCode, type EventName } from '@hub/schemas';
import type { AgreementState } from '../agreements/events.ts';
import { unmaskedFieldsOf } from '../agreements/view.ts';
import { decideDelivery, maskForDelivery, type DeliveryAgreement, type SharedResource } from '../exchange/access.ts';
import type { RouterState } from '../routing/state.ts';

export const DELIVERIES_GROUP = 'hub-router-deliveries';

/** The resource code of each record topic of the hub (records.<dept>.<resource>), from the schema manifest. */
const resourceOfTopic = new Map(eventTypes.flatMap((t) => (t.area === 'records' ? [[t.topic, t.catalogue.resourceCode] as const] : [])));

/** Every record topic of the hub. */
export const recordTopics = (): string[] => [...resourceOfTopic.keys()];

export interface DeliveriesOptions {
  kafka: Kafka;
  events: EventCodec;
  logger: Logger;
  /** The router's state: the agreements, as its reader of exchange.agreements keeps them. */
  state: RouterState;
  /** The catalog (SCHEMA_REGISTRY_URL): its resource catalogue says each resource's owner, sharing condition and sensitive fields. */
  registryUrl: string;
  /** How often the catalogue is read again (a sharing condition the operator changed applies from then). */
  catalogueRefreshMs?: number;
  sessionTimeoutMs?: number;
}

export interface Deliveries {
  readonly processor: ExactlyOnceProcessor;
  stop(): Promise<void>;
}

const asDeliveryAgreement = (state: AgreementState): DeliveryAgreement => ({
  agreementId: state.agreementId,
  status: state.status ?? 'pending',
  subscriber: state.subscriber,
  resourceCode: state.resourceCode,
  divisionPrefix: state.divisionPrefix,
  unmaskedFields: unmaskedFieldsOf(state),
  approvedBy: state.grant?.approvedBy ?? null,
});

/**
 * Deliveries (数据共享交付): every record on `records.*` that a granted
 * agreement matches (resource, division) becomes a DeliveryEnvelope on
 * `deliveries.<subscriber>`, its sensitive fields masked unless the owner let
 * them through, in the same Kafka transaction as the records' offsets
 * (exactly once, as the cases are). The envelope is keyed by its delivery id:
 * no key or header carries a record's value.
 */
export async function startDeliveries(options: DeliveriesOptions): Promise<Deliveries> {
  const { kafka, events, state } = options;
  const logger = options.logger.child({ component: 'deliveries' });
  let resources = new Map<string, SharedResource>();
  async function readCatalogue(): Promise<void> {
    const listed = await fetchCatalogueResources(options.registryUrl);
    resources = new Map(listed.filter((r) => r.resourceCode !== null).map((r) => [r.resourceCode!, r]));
  }
  // No record is taken before the catalogue is known: one taken without it would be committed undelivered.
  await retry(readCatalogue, { baseMs: 500, maxMs: 10_000, maxAttempts: 40, retriable: () => true });
  const refresh = setInterval(() => void readCatalogue().catch((error: unknown) => logger.warn({ err: error }, 'the catalogue could not be read again; the last one stands')), options.catalogueRefreshMs ?? 60_000);
  refresh.unref();

  async function deliver(batch: InputBatch): Promise<TopicRecords[]> {
    // The agreements by resource, as they stand for this batch, with when each was granted.
    const byResource = new Map<string, Array<{ agreement: DeliveryAgreement; since: number }>>();
    for (const { state: agreement } of state.agreements.values()) {
      if (agreement.status !== 'granted' || !agreement.grant) continue;
      const list = byResource.get(agreement.resourceCode) ?? [];
      list.push({ agreement: asDeliveryAgreement(agreement), since: agreement.grant.grantedAt.getTime() });
      byResource.set(agreement.resourceCode, list);
    }
    const out = new Map<string, OutgoingRecord[]>();
    // Records of a resource nobody has an agreement on are not even decoded.
    if (!byResource.has(resourceOfTopic.get(batch.topic) ?? '')) return [];
    for (const record of batch.records) {
      // An agreement delivers the records that reach the hub after its grant (a snapshot is another matter).
      const entitled = (byResource.get(resourceOfTopic.get(batch.topic) ?? '') ?? []).filter(({ since }) => Number(record.timestamp) >= since);
      if (entitled.length === 0) continue;
      let event;
      try {
        event = await events.fromRecord(record);
      } catch (error) {
        logger.warn({ err: error, topic: record.topic, offset: record.offset }, 'a record that is not a hub event is not delivered');
        continue;
      }
      const catalogue = eventType(event.type as EventName);
      if (catalogue.area !== 'records') continue;
      const resource = resources.get(catalogue.catalogue.resourceCode);
      if (!resource) continue;
      const data = event.data as unknown as { eventId: string; occurredAt: Date; divisionCode?: string | null };
      for (const { agreement } of entitled) {
        const decision = decideDelivery({ resource, recipient: agreement.subscriber, agreement, divisionCode: data.divisionCode });
        if (!decision.deliver) continue;
        let masked;
        try {
          masked = maskForDelivery(data, resource, decision);
        } catch (error) {
          // Fail closed: a sensitive value that cannot be masked is not delivered.
          logger.error({ err: error, topic: record.topic, offset: record.offset, agreementId: agreement.agreementId }, 'a record that cannot be masked is not delivered');
          continue;
        }
        const payload = await events.toRecord({ type: event.type, data: masked.record, metadata: { source: '/hub/router' } } as never);
        const value = payload.record.value as Buffer;
        const deliveryId = `${agreement.agreementId}>${data.eventId}`;
        const envelope: DeliveryEnvelope = {
          eventId: deliveryId,
          occurredAt: data.occurredAt,
          deliveryId,
          recipient: agreement.subscriber,
          agreementId: agreement.agreementId,
          requestId: null,
          resourceCode: catalogue.catalogue.resourceCode,
          sourceTopic: record.topic,
          sourceEventId: data.eventId,
          payloadSubject: subjectName(record.topic, catalogue.fullName),
          payloadSchemaId: value.readInt32BE(1),
          payload: value.subarray(5),
          maskedFields: masked.maskedFields,
          correlationId: data.eventId,
        };
        const written = await events.toRecord({ type: 'DeliveryEnvelope', data: envelope, metadata: { source: '/hub/router', department: agreement.subscriber as DepartmentCode, correlationId: agreement.agreementId } });
        const list = out.get(written.topic) ?? [];
        list.push(written.record);
        out.set(written.topic, list);
      }
    }
    return [...out].map(([topic, messages]) => ({ topic, messages }));
  }

  const processor = createExactlyOnceProcessor({
    kafka,
    logger,
    groupId: DELIVERIES_GROUP,
    topics: recordTopics(),
    transactionalIdPrefix: 'hub-router-deliveries',
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    process: deliver,
  });
  await processor.start();
  return {
    processor,
    async stop() {
      clearInterval(refresh);
      await processor.stop();
    },
  };
}
