import type { WorkingCalendar } from '@hub/calendar';
import {
  type AvroSerde,
  createExactlyOnceProcessor,
  boundedOriginal,
  createTopicReader,
  headerText,
  type ConsumedRecord,
  type EventCodec,
  type ExactlyOnceProcessor,
  type InputBatch,
  type Kafka,
  type Logger,
  type OutgoingRecord,
  type RecordSender,
  type TopicReader,
  type TopicRecords,
} from '@hub/runtime';
import { eventType, subjectName, topicFor, type DeliveryEnvelope, type EventName } from '@hub/schemas';
import { agreementEventTypes, type AgreementEvent } from '../agreements/events.ts';
import { agreementSupervisionDecider } from '../agreements/supervision.ts';
import type { SharedResource } from '../exchange/access.ts';
import { caseEventTypes, type CaseEvent } from '../cases/events.ts';
import { shippedItems } from '../items/catalogue.ts';
import { defineShippedItems } from '../items/decide.ts';
import { supervisionDecider } from '../supervision/decide.ts';
import { decideBatch, commitBatch, type BatchChanges, type BatchInput, type Write } from '../routing/batch.ts';
import { catalogueChangeCommands } from '../routing/catalogue-watch.ts';
import { applyAgreementEvent, applyAlert, applyCaseEvent, applyItem, initialRouterState, rememberAnswer, scheduleNextAgreementAlert, scheduleNextAlert, versionOfEventId, type RouterState } from '../routing/state.ts';
import type { RecordStore } from '../store/record-store.ts';
import { COMMAND_ID_HEADER, COMMANDS_TOPIC, IDEMPOTENT_PREFIX, OUTCOMES_TOPIC, commandKey, decodeCommand, decodeOutcome, encodeCommand, encodeOutcome, type CommandEnvelope } from '../wire/messages.ts';
import { startAuditThread } from './audit-thread.ts';
import { startDeliveries } from './deliveries.ts';
import type { RouterMetrics } from './metrics.ts';
import { snapshotPageWrites } from './snapshots.ts';

/** How long a command for a case not known here waits for its submission to become readable on cases.events. */
const UNKNOWN_CASE_PATIENCE_MS = 1_500;

export const ROUTER_GROUP = 'hub-router';
export const DEAD_LETTER_TOPIC = 'dlq.router';
/** The most of an unreadable command a dead letter carries; its size and SHA-256 say what the whole was. */

export interface RouterOptions {
  kafka: Kafka;
  events: EventCodec;
  /** The service's idempotent producer: live ticks and the shipped items' definitions go through it to cases.commands. */
  sender: RecordSender;
  logger: Logger;
  calendar: WorkingCalendar;
  metrics: RouterMetrics;
  /** Working days left when supervision warns. */
  warningDays: number;
  /** Live ticks of the router's clock; 0 leaves the clock to event times only (a history run). */
  tickIntervalMs: number;
  /** The wall clock, read only for live ticks and the shipped items' definition time (never in a decision). */
  now?: () => Date;
  sessionTimeoutMs?: number;
  /** The catalog (SCHEMA_REGISTRY_URL), whose resource catalogue the deliveries follow. */
  registryUrl: string;
  /** How often the catalogue is read again: a sharing condition the operator changed applies from then, and its agreements say so. */
  catalogueRefreshMs?: number;
  /** The latest record of every key (a new agreement's snapshot reads it); without it a snapshot cannot be delivered, and waits. */
  store?: RecordStore;
  /** Decodes the stored records (the service's registry serde). */
  serde?: Pick<AvroSerde, 'decode'>;
  /** Counts the events replayed so far, while the state is restored (for /health). */
  restore?: { events: number };
  /** The data folder (HUB_DATA_DIR): the audit trail's signing key is kept there. */
  dataDir: string;
  /** The audit trail's topic (audit.exchange). */
  auditTopic?: string;
  /** What the audit scribe's thread needs to make its own clients: the brokers, this service's client id and log level. */
  audit: { brokers: string; clientId: string; logLevel: string };
}

export interface Router {
  readonly state: RouterState;
  /** What the first catch-up of the three logs took. */
  readonly restore: { events: number; seconds: number } | undefined;
  readonly processor: ExactlyOnceProcessor;
  /** The catalogue as the deliveries last read it, by resource code (the data requests answer under the same one). */
  catalogue(): Promise<ReadonlyMap<string, SharedResource>>;
  /** Problems that make the router unhealthy now (empty when healthy). */
  problems(): string[];
  stop(): Promise<void>;
}

const isCaseEvent = new Set<string>(caseEventTypes);
const isAgreementEvent = new Set<string>(agreementEventTypes);

/**
 * The router: consume-transform-produce on `cases.commands` with one Kafka
 * transaction per batch (the events on `cases.events`, `items.events`,
 * `supervision.alerts` and `deliveries.<dept>`, the outcomes on
 * `cases.outcomes`, and the batch's offsets), on state rebuilt by replaying
 * `cases.events`, `supervision.alerts` and `items.events` at start.
 */
export async function startRouter(options: RouterOptions): Promise<Router> {
  const { kafka, events, calendar, metrics } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ component: 'router' });
  const supervision = supervisionDecider({ calendar, warningDays: options.warningDays });
  const agreementSupervision = agreementSupervisionDecider({ calendar, warningDays: options.warningDays });
  const state = initialRouterState();
  let restored = false;
  let replayed = 0;

  /**
   * The hub events of a batch of a state topic. Most of what the router reads
   * back live is its own output, already applied: `held` says so from the
   * CloudEvents id header alone, and those records are not decoded at all.
   */
  async function decoded(records: ConsumedRecord[], held: (eventId: string, key: string) => boolean = () => false) {
    const out = [];
    for (const record of records) {
      const eventId = headerText(record.headers, 'ce_id');
      if (eventId !== undefined && held(eventId, record.key?.toString() ?? '')) {
        replayed += 1;
        continue;
      }
      try {
        out.push(await events.fromRecord(record));
      } catch (error) {
        logger.error({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, 'a record of a state topic is not a hub event; skipped');
      }
    }
    replayed += out.length;
    if (options.restore) options.restore.events = replayed;
    return out;
  }
  const caseHolds = (eventId: string, caseId: string) => (state.cases.get(caseId)?.state.version ?? 0) >= versionOfEventId(eventId);
  // An alert's key is its case, or, for an owner's answer awaited, its agreement (requestId).
  const alertHeld = (eventId: string, key: string) => (state.supervision.raised.get(key)?.has(eventId) || state.agreementSupervision.raised.get(key)?.has(eventId)) ?? false;

  const casesReader = createTopicReader({
    kafka, logger, topic: topicFor('CaseSubmitted'), groupPrefix: 'hub-router-cases',
    async onRecords(partition, records) {
      const touched = new Set<string>();
      for (const event of await decoded(records, caseHolds)) {
        if (!isCaseEvent.has(event.type)) continue;
        try {
          applyCaseEvent(state, partition, event as unknown as CaseEvent);
        } catch (error) {
          // Not ours to repair here: the case stays as it was, and the operator sees why.
          logger.error({ err: error, partition, offset: event.metadata.offset }, 'a case event does not follow its case; skipped');
          continue;
        }
        touched.add((event.data as { caseId: string }).caseId);
      }
      if (restored) for (const caseId of touched) scheduleNextAlert(state, caseId, supervision);
    },
  });
  const alertsReader = createTopicReader({
    kafka, logger, topic: topicFor('SupervisionAlert'), groupPrefix: 'hub-router-alerts',
    async onRecords(_partition, records) {
      for (const event of await decoded(records, alertHeld)) {
        if (event.type !== 'SupervisionAlert') continue;
        applyAlert(state, { type: 'SupervisionAlertRaised', data: event.data });
        if (restored && event.data.caseId !== null) scheduleNextAlert(state, event.data.caseId, supervision);
        else if (restored && event.data.requestId !== null) scheduleNextAgreementAlert(state, event.data.requestId, agreementSupervision);
      }
    },
  });
  const itemsReader = createTopicReader({
    kafka, logger, topic: topicFor('ItemDefined'), groupPrefix: 'hub-router-items',
    async onRecords(_partition, records) {
      for (const event of await decoded(records)) if (event.type === 'ItemDefined') applyItem(state, { type: 'ItemDefined', data: event.data });
    },
  });
  const agreementHeld = (eventId: string, agreementId: string) => (state.agreements.get(agreementId)?.state.version ?? 0) >= versionOfEventId(eventId);
  const agreementsReader = createTopicReader({
    kafka, logger, topic: topicFor('AgreementRequested'), groupPrefix: 'hub-router-agreements',
    async onRecords(partition, records) {
      const touched = new Set<string>();
      for (const event of await decoded(records, agreementHeld)) {
        if (!isAgreementEvent.has(event.type)) continue;
        try {
          applyAgreementEvent(state, partition, event as unknown as AgreementEvent);
        } catch (error) {
          logger.error({ err: error, partition, offset: event.metadata.offset }, 'an agreement event does not follow its agreement; skipped');
          continue;
        }
        touched.add((event.data as { agreementId: string }).agreementId);
      }
      if (restored) for (const agreementId of touched) scheduleNextAgreementAlert(state, agreementId, agreementSupervision);
    },
  });
  // The answers to idempotent commands, so a retry after a crash or a handover gets the first answer.
  const outcomesReader = createTopicReader({
    kafka, logger, topic: OUTCOMES_TOPIC, groupPrefix: 'hub-router-outcomes',
    onRecords(_partition, records) {
      for (const record of records) {
        // Only answers to idempotent commands are remembered; the header says which without parsing the rest.
        if (!record.value || !headerText(record.headers, COMMAND_ID_HEADER)?.startsWith(IDEMPOTENT_PREFIX)) continue;
        try {
          const { commandId, fingerprint, replayed: repeat, ...outcome } = decodeOutcome(record.value);
          if (fingerprint === undefined || repeat || !commandId.startsWith(IDEMPOTENT_PREFIX)) continue;
          rememberAnswer(state, commandId, { fingerprint, outcome });
        } catch (error) {
          logger.warn({ err: error, offset: record.offset }, 'an outcome is not JSON; skipped');
        }
      }
    },
  });
  const readers: TopicReader[] = [itemsReader, alertsReader, casesReader, agreementsReader, outcomesReader];

  const restoreStart = process.hrtime.bigint();
  await Promise.all(readers.map((reader) => reader.start()));
  for (const caseId of state.cases.keys()) scheduleNextAlert(state, caseId, supervision);
  for (const agreementId of state.agreements.keys()) scheduleNextAgreementAlert(state, agreementId, agreementSupervision);
  restored = true;
  const restore = { events: replayed, seconds: Number(process.hrtime.bigint() - restoreStart) / 1e9 };
  metrics.restoreSeconds.set(restore.seconds);
  metrics.restoreEvents.set(restore.events);
  logger.info({ events: restore.events, seconds: restore.seconds, eventsPerSecond: Math.round(restore.events / Math.max(restore.seconds, 1e-6)), cases: state.cases.size, items: state.items.items.size }, 'state restored');

  // Shipped items the table does not know yet, as commands like the operator's (decided by the item's partition, once).
  const definitions = defineShippedItems(state.items, shippedItems, now());
  if (definitions.length > 0) {
    await options.sender.send({
      topic: COMMANDS_TOPIC,
      messages: definitions.map((command) => {
        const itemCode = (command.data.definition as { code: string }).code;
        const envelope: CommandEnvelope = { command: { type: 'DefineItem', data: { ...command.data, itemCode } } };
        return { key: commandKey(envelope.command), value: encodeCommand(envelope) };
      }),
    });
    logger.info({ items: definitions.length }, 'shipped items defined');
  }

  const pending = new WeakMap<InputBatch, BatchChanges>();

  // The catalogue as the deliveries read it, at start and at every refresh: a snapshot masks with it.
  let catalogueKnown: (resources: ReadonlyMap<string, SharedResource>) => void = () => {};
  let catalogueRead = new Promise<ReadonlyMap<string, SharedResource>>((resolve) => (catalogueKnown = resolve));
  /** Each read of the catalogue: the agreements whose resource's sharing condition changed say so (SharingConditionChanged). */
  function onCatalogue(resources: ReadonlyMap<string, SharedResource>): void {
    catalogueKnown(resources);
    catalogueRead = Promise.resolve(resources);
    const commands = catalogueChangeCommands([...state.agreements.values()].map((held) => held.state), (code) => resources.get(code)?.sharing, now());
    if (commands.length === 0) return;
    void options.sender
      .send({ topic: COMMANDS_TOPIC, messages: commands.map((envelope) => ({ key: commandKey(envelope.command), value: encodeCommand(envelope) })) })
      .then(() => logger.info({ agreements: commands.length }, 'sharing conditions changed in the catalogue: the agreements are told'))
      .catch((error: unknown) => logger.warn({ err: error }, 'the changes of sharing conditions were not sent; the next read of the catalogue sends them again'));
  }

  async function processBatch(batch: InputBatch): Promise<TopicRecords[]> {
    const started = process.hrtime.bigint();
    const inputs: BatchInput[] = batch.records.map((record) => {
      try {
        return { offset: record.offset, envelope: decodeCommand(record.value) };
      } catch (error) {
        return { offset: record.offset, unreadable: (error as Error).message };
      }
    });
    // A case submitted a moment ago is on cases.events, written by the gateway: read up to it before deciding. The
    // gateway answers once its transaction has committed, but the broker writes the commit's markers a moment later
    // (hundreds of milliseconds on a loaded machine), and until then the topic's stable end lies before the
    // submission: the end is measured again, further apart each time, for up to UNKNOWN_CASE_PATIENCE_MS. A case
    // that was never submitted holds its partition up for that long, once per command.
    const unknownCase = () => inputs.some((input) => 'envelope' in input && 'caseId' in input.envelope.command.data && !state.cases.has(input.envelope.command.data.caseId));
    for (let gap = 10, waited = 0; unknownCase(); waited += gap, gap *= 2) {
      await casesReader.catchUp();
      if (!unknownCase() || waited >= UNKNOWN_CASE_PATIENCE_MS) break;
      await new Promise((resolve) => setTimeout(resolve, gap));
    }
    // An item defined a moment ago (by the partition of its code): an acceptance for an item not known here reads up to it.
    const itemUnknown = (caseId: string) => {
      const itemCode = state.cases.get(caseId)?.state.itemCode;
      return itemCode !== undefined && !state.items.items.has(itemCode);
    };
    if (inputs.some((input) => 'envelope' in input && input.envelope.command.type === 'AcceptCase' && itemUnknown(input.envelope.command.data.caseId))) await itemsReader.catchUp();
    const { writes, changes } = decideBatch(state, { calendar, supervision, agreementSupervision }, batch.partition, inputs);
    pending.set(batch, changes);
    const snapshots = await snapshotPages(inputs, changes, writes);
    const records = await encode(writes, batch, snapshots);
    metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    for (const input of inputs) metrics.commands.inc({ type: 'envelope' in input ? input.envelope.command.type : 'unreadable' });
    return records;
  }

  /**
   * The batch's snapshot pages, decided here and not in decideBatch because
   * they read the record store: each page's deliveries, and the command for
   * the next page among the writes. The agreement as the batch left it.
   */
  async function snapshotPages(inputs: BatchInput[], changes: BatchChanges, writes: Write[]): Promise<Array<{ topic: string; record: OutgoingRecord }>> {
    const out: Array<{ topic: string; record: OutgoingRecord }> = [];
    for (const input of inputs) {
      if (!('envelope' in input) || input.envelope.command.type !== 'DeliverSnapshot') continue;
      const { data } = input.envelope.command;
      const { store, serde } = options;
      if (!store || !serde) {
        // Not to hold up the partition's cases: the operator can send the page again to a router that has a store.
        writes.push({ kind: 'dead-letter', offset: input.offset, reason: 'no-record-store', detail: `agreement ${data.agreementId}: a snapshot page needs the record store, and this router has none` });
        continue;
      }
      const agreement = changes.agreements.get(data.agreementId) ?? state.agreements.get(data.agreementId)?.state;
      const page = await snapshotPageWrites({ store, serde, events, catalogue: () => catalogueRead, logger, now }, data, agreement);
      out.push(...page.records);
      if (page.next) writes.push({ kind: 'command', key: data.agreementId, envelope: page.next });
    }
    return out;
  }

  async function encode(writes: Write[], batch: InputBatch, encoded: ReadonlyArray<{ topic: string; record: OutgoingRecord }> = []): Promise<TopicRecords[]> {
    const byTopic = new Map<string, OutgoingRecord[]>();
    const add = (topic: string, record: OutgoingRecord) => {
      let records = byTopic.get(topic);
      if (!records) byTopic.set(topic, (records = []));
      records.push(record);
    };
    for (const { topic, record } of encoded) add(topic, record);
    for (const write of writes) {
      switch (write.kind) {
        case 'event': {
          const { topic, record } = await events.toRecord({ type: write.type, data: write.data, metadata: { source: '/hub/router', correlationId: write.correlationId } } as never);
          add(topic, record);
          for (const department of write.notify) {
            const delivery = await events.toRecord({ type: 'DeliveryEnvelope', data: notice(write, topic, record, department), metadata: { source: '/hub/router', correlationId: write.correlationId, department } });
            add(delivery.topic, delivery.record);
          }
          metrics.events.inc({ type: write.type });
          break;
        }
        case 'outcome':
          // As bytes once: sizing the produce requests and writing them then read its length instead of scanning the text.
          add(OUTCOMES_TOPIC, { key: write.key, value: Buffer.from(encodeOutcome(write.outcome)), headers: { [COMMAND_ID_HEADER]: write.outcome.commandId } });
          metrics.outcomes.inc({ outcome: write.outcome.ok ? 'ok' : 'refused' });
          break;
        case 'command':
          add(COMMANDS_TOPIC, { key: write.key, value: encodeCommand(write.envelope) });
          break;
        case 'dead-letter': {
          const original = batch.records.find((r) => r.offset === write.offset);
          add(DEAD_LETTER_TOPIC, deadLetter(batch, write, original));
          logger.warn({ partition: batch.partition, offset: write.offset, detail: write.detail }, 'unreadable command dead-lettered');
          break;
        }
        default: {
          const _exhaustive: never = write;
          throw new Error(`unknown write ${JSON.stringify(_exhaustive)}`);
        }
      }
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  const processor = createExactlyOnceProcessor({
    kafka,
    logger,
    groupId: ROUTER_GROUP,
    topics: [COMMANDS_TOPIC],
    transactionalIdPrefix: 'hub-router',
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    process: processBatch,
    async assigned(_topic, partition) {
      // The previous owner is fenced by now and its open transaction aborted: read what it committed.
      await Promise.all(readers.map((reader) => reader.catchUp()));
      logger.info({ partition, cases: countOn(state, partition) }, 'partition taken over');
    },
    committed(batch) {
      const changes = pending.get(batch);
      if (changes) commitBatch(state, changes);
    },
    aborted(batch, error) {
      pending.delete(batch);
      logger.warn({ err: error, partition: batch.partition }, 'batch aborted; it comes again');
    },
  });
  await processor.start();
  const deliveries = await startDeliveries({
    kafka, events, logger, state, registryUrl: options.registryUrl, onCatalogue,
    ...(options.catalogueRefreshMs === undefined ? {} : { catalogueRefreshMs: options.catalogueRefreshMs }),
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
  });
  // The audit trail (留痕) of every exchange monitored, deliveries, answers and agreement changes alike.
  const audit = await startAuditThread({
    service: 'router', ...options.audit, registryUrl: options.registryUrl, dataDir: options.dataDir,
    ...(options.auditTopic === undefined ? {} : { topic: options.auditTopic }),
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
  }, logger);

  let ticks: NodeJS.Timeout | undefined;
  async function tick(): Promise<void> {
    const at = now();
    const partitions = [...processor.assignment].map((key) => Number(key.slice(key.lastIndexOf(':') + 1)));
    if (partitions.length === 0) return;
    await options.sender.send({ topic: COMMANDS_TOPIC, messages: partitions.map((partition) => ({ partition, key: null, value: encodeCommand({ command: { type: 'Tick', data: { now: at } } }) })) });
  }
  if (options.tickIntervalMs > 0) {
    const safeTick = () => void tick().catch((error: unknown) => logger.warn({ err: error }, 'tick not sent; the next one follows'));
    // At once too: a case left open by a history run is flagged as soon as live time takes over.
    ticks = setInterval(safeTick, options.tickIntervalMs);
    ticks.unref();
    setTimeout(safeTick, 1_000).unref();
  }

  return {
    state,
    restore,
    processor,
    catalogue: () => catalogueRead,
    problems() {
      const problems: string[] = [];
      if (!processor.healthy) problems.push('the command consumer has stopped');
      if (!deliveries.processor.healthy) problems.push('the records consumer of the deliveries has stopped');
      if (!audit.healthy) problems.push('the exchange.monitoring consumer of the audit trail has stopped');
      for (const reader of readers) if (reader.failure) problems.push(`a state reader has stopped: ${reader.failure.message}`);
      return problems;
    },
    async stop() {
      if (ticks) clearInterval(ticks);
      await Promise.all([processor.stop(), deliveries.stop()]);
      // Last: it signs the heads it holds, after the others' last transactions.
      await audit.stop();
      await Promise.all(readers.map((reader) => reader.close()));
    },
  };
}

function countOn(state: RouterState, partition: number): number {
  let count = 0;
  for (const held of state.cases.values()) if (held.partition === partition) count += 1;
  return count;
}

/** The `deliveries.<dept>` envelope of a request or alert: the event as written, for the department's system. */
function notice(write: Extract<Write, { kind: 'event' }>, topic: string, record: OutgoingRecord, department: string): DeliveryEnvelope {
  const value = record.value as Buffer;
  const { eventId, occurredAt } = write.data as { eventId: string; occurredAt: Date };
  const deliveryId = `${eventId}>${department}`;
  return {
    eventId: deliveryId,
    occurredAt,
    deliveryId,
    recipient: department,
    agreementId: null,
    requestId: null,
    resourceCode: topic,
    sourceTopic: topic,
    sourceEventId: eventId,
    payloadSubject: subjectName(topic, eventType(write.type as EventName).fullName),
    // Confluent wire format: magic byte, 4-byte schema id, then the Avro binary.
    payloadSchemaId: value.readInt32BE(1),
    payload: value.subarray(5),
    maskedFields: [],
    correlationId: write.correlationId,
  };
}

function deadLetter(batch: InputBatch, write: Extract<Write, { kind: 'dead-letter' }>, original: ConsumedRecord | undefined): OutgoingRecord {
  const { kept, ...digest } = boundedOriginal(original?.value);
  const letter = {
    component: 'router',
    source: { topic: batch.topic, partition: batch.partition, offset: write.offset, key: original?.key?.toString() ?? null },
    reason: write.reason,
    detail: write.detail,
    ...digest,
    originalValueBase64: kept?.toString('base64') ?? null,
  };
  return { key: original?.key ?? null, value: JSON.stringify(letter), headers: { 'content-type': 'application/json', hub_dlq_component: 'router', hub_dlq_reason: write.reason } };
}
