// Ingest benchmark: records/s from a drop folder of BENCH_ROWS rows (1,000,000 by
// default) and from HTTP push in batches of 1,000, both Avro-encoded, published
// with acks=all in Kafka transactions through the real catalog, gateway and
// connector host, next to the broker's own ProducerPerformance tool run on the
// same broker with the same record count and average record size. Then where
// the time goes: the publisher alone on records already parsed (this process,
// same broker and catalog), and each stage of the pipeline alone, in this process.
//
// Figures and ratios go to bench/results/latest.json; the previous run's file
// is compared with, so a change shows as a ratio, not an absolute time.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createAvroSerde, createKafka, createLogger, ensureTopics } from '@hub/runtime';
import { avroType, logicalTypes } from '@hub/schemas';
import { createRecordPublisher, inspectFile, LedgerStore, ledgerPath, openLedger, prepareWorkerPays, readRows, recordEventId, type NativeRecord } from '@hub/connector-core';
import { beijingDate, mulberry32, resourceSimulator, simulatedRegion, simulateRecords, writeSimulatedFile } from '@hub/simulators';
import { hubTopics, services } from '@hub/topology';
// @ts-expect-error plain ESM script without type declarations
import { startKafka, killLeftover, KAFKA_VERSION } from '../infra/kafka/kafka.mjs';
import { root, startService, stopService, waitForHealth } from '../scripts/processes.ts';
import { producerPerformance } from './baselines.ts';
import { reportResults, type Figure } from './report.ts';

const env = process.env;
const rows = Number(env.BENCH_ROWS ?? 1_000_000);
const pushRows = Number(env.BENCH_PUSH_ROWS ?? 200_000);
const pushBatch = 1_000;
const pushConcurrency = Number(env.BENCH_PUSH_CONCURRENCY ?? 4);
const stageRows = Math.min(rows, 100_000);
const dataDir = join(root, '.hub', 'bench');
const resultsFile = join(root, 'bench', 'results', 'latest.json');
const logger = createLogger('bench', 'warn');
const simulator = resourceSimulator('ps.resident-identity');
const now = new Date();
const context = { region: simulatedRegion(mulberry32(7)), now, today: beijingDate(now) };

/** A process's resident memory in bytes, from /proc (Linux), or undefined. */
const residentMemory = (pid: number | undefined): number | undefined => {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
};
const figures: Record<string, Figure> = {};
const ratios: Record<string, number> = {};
const say = (line: string) => console.log(line);
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

// 1. The broker (or KAFKA_BROKERS), and the hub's topics.
const kafkaDir = join(dataDir, 'kafka');
killLeftover(kafkaDir);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(join(dataDir, 'staging'), { recursive: true });
let kafka: { brokers: string; stop: () => Promise<void> } | undefined;
let brokers = env.KAFKA_BROKERS;
process.once('exit', () => { if (kafka) killLeftover(kafkaDir); });
if (!brokers) {
  kafka = await startKafka({ dataDir: kafkaDir, port: Number(env.BENCH_KAFKA_PORT ?? 19692), fresh: true, heap: '1g', log: say });
  brokers = kafka!.brokers;
}
const client = createKafka({ brokers: brokers!, clientId: 'bench', logger });
await ensureTopics(client, [...hubTopics(), { topic: 'bench.baseline', partitions: 3 }]);

// 2. The drop file, written before any clock starts.
say(`▶ writing ${rows.toLocaleString()} resident records (ps, CSV UTF-8)`);
const file = join(dataDir, 'staging', 'residents.csv');
await writeSimulatedFile(file, { simulator, count: rows, badShare: 0, random: mulberry32(1), context, format: 'csv' });

// 3. The real services: catalog, gateway, connector host.
const ports = { catalog: 18181, gateway: 18180, connectors: 18183 };
const serviceEnv = {
  ...env, KAFKA_BROKERS: brokers, HUB_DATA_DIR: dataDir, LOG_LEVEL: 'warn',
  SCHEMA_REGISTRY_URL: `http://127.0.0.1:${ports.catalog}`,
  CATALOG_PORT: String(ports.catalog), GATEWAY_PORT: String(ports.gateway), CONNECTORS_PORT: String(ports.connectors),
  CONNECTORS_POLL_INTERVAL_MS: '100', CONNECTORS_MODULES: '@hub/connector-ps',
};
// BENCH_CPU_PROFILE=<dir>: the gateway and the connector host write V8 CPU profiles there when they
// stop (`<dir>/gateway`, `<dir>/connectors`; `npm run profile -- <file>` prints where the time went).
const profiled = (name: string): string[] => env.BENCH_CPU_PROFILE && name !== 'catalog' ? ['--cpu-prof', `--cpu-prof-dir=${join(env.BENCH_CPU_PROFILE, name)}`] : [];
const running = [];
try {
  for (const name of ['catalog', 'gateway', 'connectors'] as const) {
    const { dir } = services.find((service) => service.name === name)!;
    const child = startService(dir, serviceEnv, (line) => { if (/"level":(50|60)/.test(line)) say(`[${name}] ${line}`); }, profiled(name));
    running.push(child);
    await waitForHealth(`http://127.0.0.1:${ports[name]}`, child);
  }

  // 4. Drop folder: from the file landing in the inbox to it moving to done/.
  say('▶ drop folder ingest');
  const folder = join(dataDir, 'drop', 'ps', 'resident-identity');
  mkdirSync(join(folder, 'inbox'), { recursive: true });
  const host = running[2]!;
  const idleMemory = residentMemory(host.pid);
  const memory: { at: number; bytes: number }[] = [];
  let started = process.hrtime.bigint();
  renameSync(file, join(folder, 'inbox', 'residents.csv'));
  while (!existsSync(join(folder, 'done')) || !readdirSync(join(folder, 'done')).includes('residents.csv')) {
    if (existsSync(join(folder, 'failed')) && readdirSync(join(folder, 'failed')).length > 0) throw new Error('the bench file went to failed/');
    const bytes = residentMemory(host.pid);
    if (bytes !== undefined) memory.push({ at: seconds(started), bytes });
    await new Promise((r) => setTimeout(r, 50));
  }
  const fileSeconds = seconds(started);
  figures['drop-folder ingest'] = { value: Math.round(rows / fileSeconds), unit: 'records/s' };
  // Memory stays bounded however many rows pass: the host's peak over the second half of the file is
  // compared with its peak over the first half (about 1 when bounded, about 2 if it grew with the rows).
  const peak = (from: number, to: number) => Math.max(...memory.filter((m) => m.at >= from && m.at < to).map((m) => m.bytes));
  const [firstHalf, secondHalf] = [peak(0, fileSeconds / 2), peak(fileSeconds / 2, Infinity)];
  if (idleMemory !== undefined && Number.isFinite(firstHalf) && Number.isFinite(secondHalf)) {
    figures['connector host memory, idle'] = { value: Math.round(idleMemory / 2 ** 20), unit: 'MiB' };
    figures['connector host memory, peak over the first half of the file'] = { value: Math.round(firstHalf / 2 ** 20), unit: 'MiB' };
    figures['connector host memory, peak over the second half'] = { value: Math.round(secondHalf / 2 ** 20), unit: 'MiB' };
    ratios['host memory: second half / first half of the file'] = secondHalf / firstHalf;
  } else say('  (connector host memory not measured: no /proc on this system)');

  // 5. HTTP push, batches of 1,000, a few requests in flight.
  say(`▶ HTTP push of ${pushRows.toLocaleString()} records in batches of ${pushBatch}`);
  const batches: NativeRecord[][] = [];
  let batch: NativeRecord[] = [];
  for (const { native } of simulateRecords(simulator, mulberry32(2), context, { badShare: 0, count: pushRows })) {
    batch.push(native);
    if (batch.length === pushBatch) { batches.push(batch); batch = []; }
  }
  if (batch.length > 0) batches.push(batch);
  const bodies = batches.map((b) => JSON.stringify(b));
  let next = 0;
  let accepted = 0;
  started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: pushConcurrency }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const response = await fetch(`http://127.0.0.1:${ports.gateway}/v1/records/ps/resident-identity`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer dev-ps-token' },
      });
      if (response.status !== 202) throw new Error(`push answered ${response.status}: ${await response.text()}`);
      accepted += ((await response.json()) as { accepted: number }).accepted;
    }
  }));
  const pushSeconds = seconds(started);
  figures['http push ingest'] = { value: Math.round(pushRows / pushSeconds), unit: 'records/s' };
  if (accepted !== pushRows) throw new Error(`push accepted ${accepted} of ${pushRows}`);

  // 6. The publisher alone, as the connector host runs it (one batch handed over ahead, a prepare
  // worker thread where it pays), on records already parsed: the drop folder without reading the file.
  say(`▶ publisher alone: ${stageRows.toLocaleString()} records already parsed`);
  const preParsed = Array.from(simulateRecords(simulator, mulberry32(4), context, { badShare: 0, count: stageRows }), (r) => r.native);
  const serde = createAvroSerde({ registryUrl: serviceEnv.SCHEMA_REGISTRY_URL, logicalTypes });
  const ledger = openLedger({ kafka: client, logger, connector: 'bench', instanceId: '0', path: ledgerPath(dataDir, 'bench', '0') });
  const publisher = await createRecordPublisher({ kafka: client, serde, ledger, logger, connector: 'bench', instanceId: '0', ...(prepareWorkerPays() ? { prepareWorker: { modules: ['@hub/connector-ps'] } } : {}) });
  try {
    started = process.hrtime.bigint();
    let previous: Promise<unknown> | undefined;
    let published = 0;
    for (let at = 0; at < preParsed.length; at += publisher.batchSize) {
      const current = publisher.publish(simulator.mapping, preParsed.slice(at, at + publisher.batchSize), { kind: 'file', name: 'bench' }, now, previous ? { after: previous } : {});
      current.catch(() => undefined);
      await previous;
      previous = current.then((outcome) => { published += outcome.accepted; });
    }
    await previous;
    figures['publisher alone (records already parsed)'] = { value: Math.round(stageRows / seconds(started)), unit: 'records/s' };
    if (published !== stageRows) throw new Error(`the publisher alone published ${published} of ${stageRows}`);
  } finally {
    await publisher.close();
    await ledger.close();
  }
} finally {
  await Promise.all(running.map((child) => stopService(child)));
}

// 7. Average size of what was published, to run the broker's tool with the same records.
const offsets = await (async () => { const admin = client.admin(); await admin.connect(); try { return await admin.fetchTopicOffsets('records.ps.resident-identity'); } finally { await admin.disconnect(); } })();
const published = offsets.reduce((sum, p) => sum + Number(p.high), 0);
const sizes: number[] = [];
const consumer = client.consumer({ groupId: `bench-${Date.now()}` });
await consumer.connect();
await consumer.subscribe({ topic: 'records.ps.resident-identity', fromBeginning: true });
await new Promise<void>((resolve) => {
  void consumer.run({ eachMessage: async ({ message }) => {
    if (sizes.length < 5_000) sizes.push(message.value!.length);
    if (sizes.length === 5_000) resolve();
  } });
});
await consumer.disconnect();
const averageSize = Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);
figures['average record size'] = { value: averageSize, unit: 'bytes' };
// The transactions commit markers count in the high watermark too, hence >=.
if (published < rows + pushRows) throw new Error(`only ${published} offsets on the topic for ${rows + pushRows} records`);

// 8. The broker's own producer performance tool, same broker, same count and size.
say(`▶ Kafka ${KAFKA_VERSION} ProducerPerformance: ${rows.toLocaleString()} records of ${averageSize} bytes, acks=all, idempotent`);
const perfRate = producerPerformance({ root, brokers: brokers!, topic: 'bench.baseline', records: rows, recordSize: averageSize });
figures['kafka ProducerPerformance'] = { value: Math.round(perfRate), unit: 'records/s' };
await kafka?.stop();

// 9. Where the time goes: each stage alone, single-threaded, on the same records.
say(`▶ pipeline stages alone, ${stageRows.toLocaleString()} records each`);
const stageFile = join(dataDir, 'staging', 'stages.csv');
await writeSimulatedFile(stageFile, { simulator, count: stageRows, badShare: 0, random: mulberry32(3), context, format: 'csv' });
let start = process.hrtime.bigint();
await inspectFile(stageFile);
figures['stage: file pre-pass (sha-256 + UTF-8 check)'] = { value: Math.round(stageRows / seconds(start)), unit: 'records/s' };
start = process.hrtime.bigint();
const natives: NativeRecord[] = [];
for await (const row of readRows(stageFile, '.csv', { utf8: true })) natives.push(row.record);
figures['stage: csv parse'] = { value: Math.round(stageRows / seconds(start)), unit: 'records/s' };
start = process.hrtime.bigint();
const mapped = natives.map((native) => simulator.mapping.map(native, { now, department: 'ps' }));
figures['stage: map + validate'] = { value: Math.round(stageRows / seconds(start)), unit: 'records/s' };
start = process.hrtime.bigint();
const ids = natives.map((native) => recordEventId('ps', 'resident-identity', String(native.GMSFHM), native));
figures['stage: event id (sha-256 + uuid v5)'] = { value: Math.round(stageRows / seconds(start)), unit: 'records/s' };
const type = avroType('ResidentIdentity');
start = process.hrtime.bigint();
mapped.forEach((result, i) => { if (result.ok) type.toBuffer({ ...result.record, eventId: ids[i] }); });
figures['stage: avro encode'] = { value: Math.round(stageRows / seconds(start)), unit: 'records/s' };
// The local ledger as each batch uses it: look the batch's ids up, then record them after the commit.
const store = new LedgerStore(join(dataDir, 'stages', 'ledger.sqlite'));
start = process.hrtime.bigint();
for (let at = 0; at < ids.length; at += 1_000) {
  const batchIds = ids.slice(at, at + 1_000);
  store.known(batchIds);
  store.apply({ connector: 'bench', instanceId: '0', eventIds: batchIds, rejectionIds: [] });
}
store.close();
figures['stage: ledger look-up + record (SQLite)'] = { value: Math.round(stageRows / seconds(start)), unit: 'records/s' };

ratios['drop-folder / ProducerPerformance'] = figures['drop-folder ingest']!.value / perfRate;
ratios['http push / ProducerPerformance'] = figures['http push ingest']!.value / perfRate;

// 10. The table, the comparison with the last run, and the file.
reportResults({ resultsFile, figures, ratios, extra: { rows, pushRows, kafka: KAFKA_VERSION }, say });
