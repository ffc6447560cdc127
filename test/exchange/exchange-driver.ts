// What the exchange suites do to the hub and read back from it, through Kafka
// as the gateway and the connectors do: agreement commands on cases.commands
// (the gateway's own steps), records in transactions on records.* (mapped as
// the connectors map them), and the deliveries, monitoring and audit trail read
// read_committed, as a department's system or an auditor reads them.
import { readAuditTopic, type LoggedRecord } from '@hub/audit-chain';
import { fetchCatalogueResources } from '@hub/catalogue-client';
import { mapBatch } from '@hub/connector-core';
import { COMMANDS_TOPIC, agreementResourceOf, commandKey, encodeCommand, type CommandEnvelope } from '@hub/router';
import { createAvroSerde, createEventCodec, createLogger, createTopicReader, createTransactionalProducer, headerText, topicEndOffsets, type ConsumedRecord, type EventCodec, type Kafka, type OutgoingRecord } from '@hub/runtime';
import { eventType, logicalTypes, topicFor, type DeliveryEnvelope, type DepartmentCode, type ExchangeMonitoring } from '@hub/schemas';
import { beijingDate, mulberry32, resourceSimulator, simulatedRegion, simulateRecords } from '@hub/simulators';

const logger = createLogger('exchange-test', process.env.TEST_LOG_LEVEL ?? 'warn');
const AGREEMENT_GRANTED = eventType('AgreementGranted').fullName;

export interface ExchangeDriver {
  readonly kafka: Kafka;
  readonly events: EventCodec;
  readonly registryUrl: string;
}

export function exchangeDriver(kafka: Kafka, registryUrl: string): ExchangeDriver {
  return { kafka, registryUrl, events: createEventCodec(createAvroSerde({ registryUrl, logicalTypes, clientId: 'exchange-test' })) };
}

async function sendCommands(kafka: Kafka, envelopes: CommandEnvelope[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic: COMMANDS_TOPIC, acks: -1, messages: envelopes.map((envelope) => ({ key: commandKey(envelope.command), value: encodeCommand(envelope) })) });
  } finally {
    await producer.disconnect();
  }
}

/** Reads a topic from the beginning (read_committed) until `done` says so, handing each record to `take`. */
async function follow(kafka: Kafka, topic: string, take: (record: ConsumedRecord) => void | Promise<void>, done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const reader = createTopicReader({ kafka, logger, topic, groupPrefix: 'exchange-test-follow', maxWaitTimeInMs: 100, async onRecords(_partition, records) { for (const record of records) await take(record); } });
  try {
    await reader.start();
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await reader.close();
  }
}

/**
 * Asks for agreements the way the gateway's POST /v1/agreements does (the
 * catalog's resource in the command), and waits until each is granted on
 * exchange.agreements: an unconditional resource is granted at once. No
 * snapshot: only the records that reach the hub after the grant are delivered.
 */
export async function grantAgreements(driver: ExchangeDriver, requests: ReadonlyArray<{ agreementId: string; subscriber: DepartmentCode; resourceCode: string }>, timeoutMs = 60_000): Promise<void> {
  const catalogue = await fetchCatalogueResources(driver.registryUrl);
  const occurredAt = new Date();
  await sendCommands(driver.kafka, requests.map(({ agreementId, subscriber, resourceCode }) => {
    const entry = catalogue.find((r) => r.resourceCode === resourceCode);
    if (!entry) throw new Error(`the catalog has no resource ${resourceCode}`);
    return {
      commandId: `exchange-test:${agreementId}:request`,
      command: { type: 'RequestAgreement', data: { agreementId, occurredAt, subscriber, resourceCode, resource: agreementResourceOf(entry), purpose: '交换留痕测试', snapshot: false } },
    };
  }));
  const granted = new Set<string>();
  const wanted = new Set(requests.map((r) => r.agreementId));
  await follow(driver.kafka, topicFor('AgreementGranted'), (record) => {
    const key = record.key?.toString() ?? '';
    if (wanted.has(key) && headerText(record.headers, 'ce_type') === AGREEMENT_GRANTED) granted.add(key);
  }, () => granted.size === wanted.size, timeoutMs, `the grants of ${[...wanted].join(', ')}`);
}

/** Ends agreements (DELETE /v1/agreements/{id} by the subscriber), so that later suites on the broker deliver nothing under them. */
export async function revokeAgreements(driver: ExchangeDriver, agreements: ReadonlyArray<{ agreementId: string; subscriber: DepartmentCode }>): Promise<void> {
  const occurredAt = new Date();
  await sendCommands(driver.kafka, agreements.map(({ agreementId, subscriber }) => ({
    commandId: `exchange-test:${agreementId}:revoke`,
    command: { type: 'RevokeAgreement', data: { agreementId, occurredAt, by: subscriber, reason: '测试结束' } },
  })));
}

/** Simulated records of a resource as its connector maps them: the Kafka records, and each one's event id. */
export async function simulatedRecords(driver: ExchangeDriver, resourceCode: string, count: number, seed: number): Promise<Array<{ eventId: string; record: OutgoingRecord }>> {
  const simulator = resourceSimulator(resourceCode);
  const now = new Date();
  const context = { region: simulatedRegion(mulberry32(seed)), now, today: beijingDate(now) };
  const natives = Array.from(simulateRecords(simulator, mulberry32(seed + 1), context, { badShare: 0, count }), (r) => r.native);
  const { mapped } = mapBatch(simulator.mapping, natives, { now, department: simulator.department });
  const out = [];
  for (const { eventId, record } of mapped) {
    const written = await driver.events.toRecord({ type: simulator.mapping.eventType, data: record, metadata: { source: `/departments/${simulator.department}` } } as never);
    out.push({ eventId, record: written.record });
  }
  return out;
}

/** Publishes records in transactions of `perTransaction`, as a connector does; returns once all are committed. */
export async function publishRecords(driver: ExchangeDriver, resourceCode: string, records: ReadonlyArray<{ record: OutgoingRecord }>, options: { transactionalId: string; perTransaction?: number; pauseMs?: number; onCommitted?: (published: number) => void }): Promise<void> {
  const producer = createTransactionalProducer({ kafka: driver.kafka, logger, transactionalId: options.transactionalId });
  const topic = `records.${resourceCode}`;
  const per = options.perTransaction ?? 500;
  try {
    for (let at = 0; at < records.length; at += per) {
      // A fresh timestamp on each: an agreement delivers the records that reach the hub after its grant.
      await producer.commit([{ topic, messages: records.slice(at, at + per).map((r) => ({ ...r.record, timestamp: String(Date.now()) })) }]);
      options.onCommitted?.(Math.min(records.length, at + per));
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  } finally {
    await producer.disconnect();
  }
}

/** Whether a record is correlated (its CloudEvents correlation id) with one of `ids`: deliveries and monitoring name their agreement. */
const correlatedWith = (ids: ReadonlySet<string>) => (record: ConsumedRecord): boolean => ids.has(headerText(record.headers, 'ce_correlationid') ?? '');

/** Every envelope on deliveries.<dept> (read_committed) under one of `agreements` that `keep` takes. */
export async function readEnvelopes(driver: ExchangeDriver, department: DepartmentCode, agreements: ReadonlySet<string>, keep: (envelope: DeliveryEnvelope) => boolean = () => true, until: (found: DeliveryEnvelope[]) => boolean = () => true, timeoutMs = 120_000): Promise<DeliveryEnvelope[]> {
  const found: DeliveryEnvelope[] = [];
  const ours = correlatedWith(agreements);
  await follow(driver.kafka, topicFor('DeliveryEnvelope', department), async (record) => {
    if (!ours(record)) return;
    const event = await driver.events.fromRecord(record);
    if (event.type === 'DeliveryEnvelope' && keep(event.data)) found.push(event.data);
  }, () => until(found), timeoutMs, `deliveries on deliveries.${department}`);
  return found;
}

/** Every exchange.monitoring record (read_committed) under one of `agreements` that `keep` takes. */
export async function readMonitoring(driver: ExchangeDriver, agreements: ReadonlySet<string>, keep: (monitoring: ExchangeMonitoring) => boolean = () => true, until: (found: ExchangeMonitoring[]) => boolean = () => true, timeoutMs = 120_000): Promise<ExchangeMonitoring[]> {
  const found: ExchangeMonitoring[] = [];
  const ours = correlatedWith(agreements);
  await follow(driver.kafka, topicFor('ExchangeMonitoring'), async (record) => {
    if (!ours(record)) return;
    const event = await driver.events.fromRecord(record);
    if (event.type === 'ExchangeMonitoring' && keep(event.data)) found.push(event.data);
  }, () => until(found), timeoutMs, 'the exchange monitoring records');
  return found;
}

/** The whole audit topic, read_committed, as `npm run audit -- export` reads it. */
export async function readAuditLog(kafka: Kafka, topic: string): Promise<LoggedRecord[]> {
  const records: LoggedRecord[] = [];
  await readAuditTopic({ kafka, logger, topic, groupPrefix: 'exchange-test-audit', onRecords(_partition, batch) { records.push(...batch); } });
  return records;
}

/** Reads the audit topic again until `done` holds for its entries (the scribe follows the monitoring by a transaction or so). */
export async function auditUntil(kafka: Kafka, topic: string, done: (records: LoggedRecord[]) => boolean, timeoutMs = 120_000): Promise<LoggedRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ends = await topicEndOffsets(kafka, topic).catch(() => new Map());
    const records = ends.size > 0 ? await readAuditLog(kafka, topic) : [];
    if (done(records)) return records;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms reading ${topic}: ${records.length} records`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
