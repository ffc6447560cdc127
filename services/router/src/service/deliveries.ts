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
import { eventType, eventTypes, subjectName, type DepartmentCode, type EventName } from '@hub/schemas';
import type { AgreementState } from '../agreements/events.ts';
import { unmaskedFieldsOf } from '../agreements/view.ts';
import { decideDelivery, maskForDelivery, type DeliveryAgreement, type SharedResource } from '../exchange/access.ts';
import { recordDeliveryEnvelope } from '../exchange/envelope.ts';
import { deliveryIdOf, deliveryMonitoring, type DeliveryAttempt, type DeliveryOutcome } from '../exchange/monitoring.ts';
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
  /** Told the catalogue, by resource code, at each read (the agreements then say why they stop or hold again). */
  onCatalogue?: (resources: ReadonlyMap<string, SharedResource>) => void;
  sessionTimeoutMs?: number;
  /** The wall clock: when a batch's deliveries leave, for their exchange monitoring (never in a decision). */
  now?: () => Date;
}

export interface Deliveries {
  readonly processor: ExactlyOnceProcessor;
  stop(): Promise<void>;
}

/** An agreement of the router's state as a delivery decision takes it (the stream's and a snapshot's). */
export const asDeliveryAgreement = (state: AgreementState): DeliveryAgreement => ({
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
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ component: 'deliveries' });
  let resources = new Map<string, SharedResource>();
  async function readCatalogue(): Promise<void> {
    const listed = await fetchCatalogueResources(options.registryUrl);
    resources = new Map(listed.filter((r) => r.resourceCode !== null).map((r) => [r.resourceCode!, r]));
    options.onCatalogue?.(resources);
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
    const add = ({ topic, record }: { topic: string; record: OutgoingRecord }) => {
      let list = out.get(topic);
      if (!list) out.set(topic, (list = []));
      list.push(record);
    };
    // Records of a resource nobody has an agreement on are not even decoded.
    if (!byResource.has(resourceOfTopic.get(batch.topic) ?? '')) return [];
    // Every delivery of the batch leaves in its transaction: one instant for all, and one catalogue (a refresh
    // while the batch is decided applies from the next).
    const at = now();
    const catalogueOfBatch = resources;
    // Encoders for the batch, each schema registered once: a record's deliveries are encoded without a wait.
    const encodeMonitoring = await events.encoderFor('ExchangeMonitoring');
    const envelopeEncoders = new Map<string, Awaited<ReturnType<typeof events.encoderFor<'DeliveryEnvelope'>>>>();
    for (const { agreement } of byResource.get(resourceOfTopic.get(batch.topic) ?? '') ?? []) {
      if (!envelopeEncoders.has(agreement.subscriber)) envelopeEncoders.set(agreement.subscriber, await events.encoderFor('DeliveryEnvelope', agreement.subscriber as DepartmentCode));
    }
    /** Each exchange, delivered or not, is monitored (交换监测) in the same transaction as its delivery. */
    const monitor = (attempt: DeliveryAttempt, outcome: DeliveryOutcome) =>
      add(encodeMonitoring(deliveryMonitoring(attempt, outcome), { source: '/hub/router', correlationId: attempt.agreementId }));
    // One decision per agreement and division for the batch: it depends on nothing else of a record.
    const decisions = new Map<DeliveryAgreement, Map<string, ReturnType<typeof decideDelivery>>>();
    const decide = (resource: SharedResource, agreement: DeliveryAgreement, divisionCode: string | null | undefined) => {
      let byDivision = decisions.get(agreement);
      if (!byDivision) decisions.set(agreement, (byDivision = new Map()));
      const key = agreement.divisionPrefix ? String(divisionCode) : '';
      let decision = byDivision.get(key);
      if (!decision) byDivision.set(key, (decision = decideDelivery({ resource, recipient: agreement.subscriber, agreement, divisionCode })));
      return decision;
    };
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
      const resource = catalogueOfBatch.get(catalogue.catalogue.resourceCode);
      if (!resource) continue;
      const data = event.data as unknown as { eventId: string; occurredAt: Date; divisionCode?: string | null };
      const arrived = { key: record.key?.toString() ?? null, arrivedAt: new Date(Number(record.timestamp)), bytes: record.value?.length ?? 0 };
      // Agreements that let the same fields through deliver the same masked record: masked and encoded once.
      const payloads = new Map<string, { value: Buffer; maskedFields: string[] } | 'unmaskable'>();
      for (const { agreement } of entitled) {
        const decision = decide(resource, agreement, data.divisionCode);
        if (!decision.deliver) continue;
        const attempt: DeliveryAttempt = {
          deliveryId: deliveryIdOf(agreement.agreementId, data.eventId),
          agreementId: agreement.agreementId,
          recipient: agreement.subscriber,
          provider: resource.owner ?? catalogue.catalogue.ownerDepartment,
          resourceCode: catalogue.catalogue.resourceCode,
          sourceEventId: data.eventId,
          maskedFields: decision.maskedFields,
          record: arrived,
          at,
        };
        const fields = decision.unmaskedFields.join('\n');
        let masked = payloads.get(fields);
        if (masked === undefined) {
          let made;
          try {
            made = maskForDelivery(data, resource, decision);
          } catch (error) {
            // Fail closed: a sensitive value that cannot be masked is not delivered.
            logger.error({ err: error, topic: record.topic, offset: record.offset, agreementId: agreement.agreementId }, 'a record that cannot be masked is not delivered');
          }
          masked = made ? { value: (await events.encoderFor(event.type))(made.record as never, { source: '/hub/router' }).record.value as Buffer, maskedFields: made.maskedFields } : 'unmaskable';
          payloads.set(fields, masked);
        }
        if (masked === 'unmaskable') {
          monitor(attempt, { succeeded: false, faultCode: 'unmaskable', faultString: 'a sensitive field could not be masked; the record was not delivered' });
          continue;
        }
        const envelope = recordDeliveryEnvelope({
          agreementId: agreement.agreementId,
          recipient: agreement.subscriber,
          resourceCode: catalogue.catalogue.resourceCode,
          sourceTopic: record.topic,
          payloadSubject: subjectName(record.topic, catalogue.fullName),
          payload: masked.value,
          maskedFields: masked.maskedFields,
          source: data,
        });
        const written = envelopeEncoders.get(agreement.subscriber)!(envelope, { source: '/hub/router', correlationId: agreement.agreementId });
        add(written);
        monitor({ ...attempt, maskedFields: masked.maskedFields }, { succeeded: true, envelopeBytes: (written.record.value as Buffer).length });
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
