// `npm run bench -- router`, the fan-out part: records delivered to the
// subscribers of their agreements per second, masked, each delivery with its
// exchange monitoring record, in the deliveries' Kafka transactions (and the
// router's audit scribe chaining every monitoring record into audit.exchange
// meanwhile, in the same process).
//
// BENCH_FANOUT_RECORDS (200,000) social insurance enrolments
// (hrss.social-insurance-enrolment: an ID number, a name and the employer's
// credit code each, all three masked) are published as the connectors publish
// them (`createRecordPublisher`, the ingest bench's "publisher alone"), which
// is the ingest rate it is compared with, measured in the same run. Three
// agreements are granted on them before: civil with the ID number let through,
// housing and market with every sensitive field masked (two masks, so that
// agreements sharing one share its encoding). Then the router starts, and the
// clock runs from its first delivery to the last one of the 3 × N. A resource
// of its own: the data-request part has an agreement on the residents, which
// would deliver these records too.
import { createRecordPublisher, ledgerPath, openLedger, type NativeRecord } from '@hub/connector-core';
import { COMMANDS_TOPIC, agreementResourceOf, commandKey, encodeCommand, type CommandEnvelope } from '@hub/router';
import { AUDIT_TOPIC } from '@hub/audit-chain';
import { fetchCatalogueResources } from '@hub/catalogue-client';
import { createAvroSerde, createTopicReader, headerText, topicEndOffsets, type ConsumedRecord, type Kafka, type Logger } from '@hub/runtime';
import { eventType, logicalTypes, topicFor, type DepartmentCode } from '@hub/schemas';
import { beijingDate, mulberry32, resourceSimulator, simulatedRegion, simulateRecords } from '@hub/simulators';
import { startService, stopService, waitForHealth } from '../scripts/processes.ts';
import type { Figure } from './report.ts';

export interface FanOutOptions {
  client: Kafka;
  logger: Logger;
  registryUrl: string;
  routerUrl: string;
  serviceEnv: NodeJS.ProcessEnv;
  dataDir: string;
  records: number;
  /** Of the simulated records (another seed, other records: a connector publishes a record once). */
  seed?: number;
  /** Node arguments of the measured router (a CPU profile). */
  nodeArgs?: readonly string[];
  say(line: string): void;
}

export interface FanOutResult {
  figures: Record<string, Figure>;
  /** Records delivered per second (each to every agreement), and the publisher's rate, for the ratios. */
  recordsPerSecond: number;
  deliveriesPerSecond: number;
  ingestPerSecond: number;
}

const RESOURCE = 'hrss.social-insurance-enrolment';
const AGREEMENT_GRANTED = eventType('AgreementGranted').fullName;
/** The CloudEvents type of an audit entry's record (`auditKafkaRecord`). */
const AUDIT_ENTRY = 'gov.hub.audit.ExchangeEntry';
/** Counted by their delivery ids (`<agreementId>>…`), whatever else the subscribers' topics carry. */
const agreements: ReadonlyArray<{ agreementId: string; subscriber: DepartmentCode; fields: string[] }> = [
  { agreementId: 'AG-BENCH-FANOUT-CIVIL', subscriber: 'civil', fields: ['idNumber'] },
  { agreementId: 'AG-BENCH-FANOUT-HOUSING', subscriber: 'housing', fields: [] },
  { agreementId: 'AG-BENCH-FANOUT-MARKET', subscriber: 'market', fields: [] },
];

export async function fanOutBench(options: FanOutOptions): Promise<FanOutResult> {
  const { client, logger, say, records } = options;
  const figures: Record<string, Figure> = {};
  const lines: string[] = [];
  const logged = async (child: ReturnType<typeof startService>, message: string): Promise<void> => {
    while (!lines.some((line) => line.includes(message))) {
      if (child.exitCode !== null) throw new Error(`the router exited (${child.exitCode}):\n${lines.slice(-20).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  // 1. The agreements, asked and approved through a router as the gateway asks (the resource is conditional).
  say(`▶ fan-out: ${agreements.length} agreements on ${RESOURCE}`);
  let router = startService('services/router', options.serviceEnv, (line) => lines.push(line));
  try {
    await logged(router, 'state restored');
    await waitForHealth(options.routerUrl, router);
    const entry = (await fetchCatalogueResources(options.registryUrl)).find((r) => r.resourceCode === RESOURCE);
    if (!entry) throw new Error(`the catalog has no ${RESOURCE}`);
    const at = new Date();
    await sendCommands(client, agreements.map(({ agreementId, subscriber, fields }) => ({
      commandId: `bench:${agreementId}:request`,
      command: { type: 'RequestAgreement', data: { agreementId, occurredAt: at, subscriber, resourceCode: RESOURCE, resource: agreementResourceOf(entry), purpose: '基准测试：数据共享交付', fields, snapshot: false } },
    })));
    await sendCommands(client, agreements.map(({ agreementId, fields }) => ({
      commandId: `bench:${agreementId}:approval`,
      command: { type: 'ApproveAgreement', data: { agreementId, occurredAt: new Date(at.getTime() + 1), by: 'hrss', approved: true, fields } },
    })));
    await countUntil(client, logger, [topicFor('AgreementGranted')], false, (record) => headerText(record.headers, 'ce_type') === AGREEMENT_GRANTED && agreements.some((a) => a.agreementId === record.key?.toString()), agreements.length, 60_000);
  } finally {
    await stopService(router);
  }

  // 2. The records, published as the connectors publish them: the ingest rate of this run.
  say(`▶ fan-out: ${records.toLocaleString()} ${RESOURCE} records published as a connector publishes them`);
  const simulator = resourceSimulator(RESOURCE);
  const now = new Date();
  const seed = options.seed ?? 42;
  const context = { region: simulatedRegion(mulberry32(seed - 1)), now, today: beijingDate(now) };
  const natives: NativeRecord[] = Array.from(simulateRecords(simulator, mulberry32(seed), context, { badShare: 0, count: records }), (r) => r.native);
  const serde = createAvroSerde({ registryUrl: options.registryUrl, logicalTypes });
  const ledger = openLedger({ kafka: client, logger, connector: 'bench-fanout', instanceId: '0', path: ledgerPath(options.dataDir, 'bench-fanout', '0') });
  const publisher = await createRecordPublisher({ kafka: client, serde, ledger, logger, connector: 'bench-fanout', instanceId: '0' });
  let published = 0;
  try {
    const started = performance.now();
    let previous: Promise<unknown> | undefined;
    for (let from = 0; from < natives.length; from += publisher.batchSize) {
      const current = publisher.publish(simulator.mapping, natives.slice(from, from + publisher.batchSize), { kind: 'file', name: 'bench-fanout' }, now, previous ? { after: previous } : {});
      current.catch(() => undefined);
      await previous;
      previous = current.then((outcome) => { published += outcome.accepted; });
    }
    await previous;
    const ingestPerSecond = published / ((performance.now() - started) / 1000);
    figures['fan-out: records published as a connector does (the ingest compared with)'] = { value: Math.round(ingestPerSecond), unit: 'records/s' };
    if (published !== records) throw new Error(`the publisher published ${published} of ${records}`);

    // 3. The router starts with every record waiting: from its first delivery to the last.
    say(`▶ fan-out: the router delivers ${records.toLocaleString()} records to ${agreements.length} subscribers, masked, with their monitoring, in transactions`);
    lines.length = 0;
    const expected = records * agreements.length;
    const prefixes = agreements.map((a) => `${a.agreementId}>`);
    let first: number | undefined;
    const counting = countUntil(client, logger, agreements.map((a) => topicFor('DeliveryEnvelope', a.subscriber)), true, (record) => {
      const key = record.key?.toString() ?? '';
      if (!prefixes.some((prefix) => key.startsWith(prefix))) return false;
      first ??= performance.now();
      return true;
    }, expected, 1_800_000);
    // The audit scribe's entries of those deliveries (audit.exchange, by header), to see whether the trail keeps up.
    let audited: number | undefined;
    const auditing = countUntil(client, logger, [AUDIT_TOPIC], true, (record) => {
      if (headerText(record.headers, 'ce_type') !== AUDIT_ENTRY || !prefixes.some((prefix) => headerText(record.headers, 'ce_subject') === RESOURCE && record.value?.includes(`"exchangeId":"${prefix}`))) return false;
      return true;
    }, expected, 1_800_000).then(() => { audited = performance.now(); });
    router = startService('services/router', options.serviceEnv, (line) => lines.push(line), options.nodeArgs ?? []);
    try {
      await logged(router, 'state restored');
      const restoredAt = performance.now();
      await counting;
      const done = performance.now();
      const seconds = (done - first!) / 1000;
      const recordsPerSecond = records / seconds;
      const deliveriesPerSecond = expected / seconds;
      figures['fan-out: records delivered (each to 3 agreements, masked, monitored)'] = { value: Math.round(recordsPerSecond), unit: `records/s (${seconds.toFixed(1)} s from the first delivery; ${((done - restoredAt) / 1000).toFixed(1)} s from the state restored)` };
      figures['fan-out: deliveries'] = { value: Math.round(deliveriesPerSecond), unit: 'deliveries/s (a DeliveryEnvelope and an ExchangeMonitoring record each)' };
      await auditing;
      figures['fan-out: audit entries chained'] = { value: Math.round(expected / ((audited! - first!) / 1000)), unit: `entries/s (the last ${((audited! - done) / 1000).toFixed(1)} s after the last delivery)` };
      return { figures, recordsPerSecond, deliveriesPerSecond, ingestPerSecond };
    } finally {
      await stopService(router, 60_000);
    }
  } finally {
    await publisher.close();
    await ledger.close();
  }
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

/** Follows topics (read_committed, by key and headers only; from their ends now, or from the beginning) until `count` records have matched. */
async function countUntil(kafka: Kafka, logger: Logger, topics: readonly string[], fromEnd: boolean, matches: (record: ConsumedRecord) => boolean, count: number, timeoutMs: number): Promise<void> {
  let seen = 0;
  const ends = fromEnd ? await Promise.all(topics.map((topic) => topicEndOffsets(kafka, topic))) : [];
  const readers = topics.map((topic, i) => createTopicReader({
    kafka, logger, topic, groupPrefix: 'bench-fanout-watch', maxWaitTimeInMs: 50,
    ...(fromEnd ? { resumeFrom: () => ends[i]! } : {}),
    onRecords(_partition, batch) { for (const record of batch) if (matches(record)) seen += 1; },
  }));
  try {
    await Promise.all(readers.map((reader) => reader.start()));
    const deadline = Date.now() + timeoutMs;
    while (seen < count) {
      if (Date.now() > deadline) throw new Error(`${seen} of ${count} records on ${topics.join(', ')} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
  }
}
