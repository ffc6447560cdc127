// `npm run bench -- analytics`: the ClickHouse projection and the figures API.
//
// 1. The rebuild (`npm run analytics -- rebuild`, in this process, chDB):
//    events/s over BENCH_ANALYTICS_EVENTS (1,000,000) events of the hub's mix
//    (bench/analytics-events.ts), beside a plain kafkajs consumer reading the
//    same topics with the same fetch sizes and doing nothing: the limit of
//    the client the projection reads with, measured in the same run on the
//    same broker. Then each stage of a flush alone on 200,000 of the same
//    records (headers, decoding and folding, serialising, the chDB insert),
//    to say where the time goes.
// 2. The API (bench/analytics-api.ts): BENCH_API_EVENTS (10,000,000) events
//    inserted straight into the store's tables, then p50/p95 of each figures
//    endpoint with a few filters and groupings, through the fastify app
//    (`inject`), beside a `SELECT count()` of the same table.
//
// Figures and ratios go to bench/results/analytics-latest.json; the previous
// run's file is compared with, so a change shows as a ratio.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { officialCalendar } from '@hub/calendar';
import { consumedRecord, createAvroSerde, createEventCodec, createKafka, createLogger, ensureTopics, type ConsumedRecord } from '@hub/runtime';
import { logicalTypes } from '@hub/schemas';
import { hubTopics } from '@hub/topology';
import { CaseCache } from '../services/analytics/src/cases/fold.ts';
import { projectBatch } from '../services/analytics/src/projection/batch.ts';
import { createWireDecoder } from '../services/analytics/src/projection/decoder.ts';
import { rebuildProjection } from '../services/analytics/src/projection/rebuild.ts';
import { projectedTopics } from '../services/analytics/src/projection/topics.ts';
import { openStore } from '../services/analytics/src/store/store.ts';
// @ts-expect-error plain ESM script without type declarations
import { startKafka, killLeftover, KAFKA_VERSION } from '../infra/kafka/kafka.mjs';
import { root, startService, stopService, waitForHealth } from '../scripts/processes.ts';
import { apiBench } from './analytics-api.ts';
import { publishHistory } from './analytics-events.ts';
import { reportResults, type Figure } from './report.ts';

const env = process.env;
const total = Number(env.BENCH_ANALYTICS_EVENTS ?? 1_000_000);
const apiEvents = Number(env.BENCH_API_EVENTS ?? 10_000_000);
const parts = new Set((env.BENCH_ANALYTICS_PARTS ?? 'rebuild,api').split(','));
const stageRecords = 200_000;
const dataDir = join(root, '.hub', 'bench-analytics');
const resultsFile = join(root, 'bench', 'results', 'analytics-latest.json');
const logger = createLogger('bench', 'warn');
const figures: Record<string, Figure> = {};
const ratios: Record<string, number> = {};
const extra: Record<string, unknown> = { events: total, apiEvents };
const say = (line: string) => console.log(line);
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
/** The fetch sizes the projection's consumer asks for (projector.ts), for the baseline to ask the same. */
const fetchSizes = { maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 64 * 1024 * 1024 };

const clickhouseDir = join(dataDir, 'clickhouse');
const children: ReturnType<typeof startService>[] = [];
let kafka: { brokers: string; stop: () => Promise<void> } | undefined;
const kafkaDir = join(dataDir, 'kafka');
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (kafka) killLeftover(kafkaDir);
});

if (parts.has('rebuild')) {
  // 1. A fresh broker (or KAFKA_BROKERS), the hub's topics, the catalog as the registry.
  killLeftover(kafkaDir);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  let brokers = env.KAFKA_BROKERS;
  if (!brokers) {
    // Not the ports of the other benches (19692) nor of the test brokers.
    kafka = await startKafka({ dataDir: kafkaDir, port: Number(env.BENCH_KAFKA_PORT ?? 19792), fresh: true, heap: '1g', log: say });
    brokers = kafka!.brokers;
  }
  const client = createKafka({ brokers: brokers!, clientId: 'bench-analytics', logger });
  await ensureTopics(client, hubTopics());
  const catalogPort = Number(env.BENCH_CATALOG_PORT ?? 18381);
  const registryUrl = `http://127.0.0.1:${catalogPort}`;
  const catalog = startService('services/catalog', { ...env, KAFKA_BROKERS: brokers, HUB_DATA_DIR: dataDir, LOG_LEVEL: 'warn', CATALOG_PORT: String(catalogPort) }, () => undefined);
  children.push(catalog);
  await waitForHealth(registryUrl, catalog);

  // 2. The history, published before any clock starts.
  const codec = createEventCodec(createAvroSerde({ registryUrl, logicalTypes, clientId: 'bench-analytics' }));
  const producer = client.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  say(`▶ publishing about ${total.toLocaleString()} events`);
  let started = process.hrtime.bigint();
  const history = await publishHistory({ codec, producer, total, say });
  say(`  published in ${seconds(started).toFixed(1)} s`);
  await producer.disconnect();
  extra.history = history.byKind;
  const topics = projectedTopics();

  // 3. The baseline: a kafkajs consumer over the same topics, same fetch sizes, doing nothing with the records.
  say('▶ baseline: a kafkajs consumer reading every projected topic, doing nothing');
  const sample: ConsumedRecord[] = [];
  {
    const consumer = client.consumer({ groupId: `bench-baseline-${Date.now()}`, readUncommitted: false, maxWaitTimeInMs: 500, ...fetchSizes });
    let read = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    started = process.hrtime.bigint();
    let first: bigint | undefined;
    await consumer.run({
      partitionsConsumedConcurrently: topics.length * 3,
      eachBatch: async ({ batch }) => {
        first ??= process.hrtime.bigint();
        read += batch.messages.length;
        // Every n-th record kept for the stages alone (the mix as read).
        const every = Math.max(1, Math.floor(history.events / stageRecords));
        for (let i = 0; i < batch.messages.length && sample.length < stageRecords; i += every) sample.push(consumedRecord(batch.topic, batch.partition, batch.messages[i]!));
        if (read >= history.events) done();
      },
    });
    await finished;
    const rate = read / seconds(started);
    figures['baseline: kafkajs consumer, nothing done'] = { value: Math.round(rate), unit: 'events/s' };
    figures['baseline: the same from its first batch'] = { value: Math.round(read / seconds(first!)), unit: 'events/s' };
    await consumer.disconnect();
  }

  // 4. The rebuild, as `npm run analytics -- rebuild` runs it.
  say(`▶ rebuild: ${history.events.toLocaleString()} events into chDB`);
  const sender = client.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await sender.connect();
  let firstFlush: { at: bigint; read: number } | undefined;
  let flushes = 0;
  const result = await rebuildProjection({
    kafka: client,
    codec: createWireDecoder({ registryUrl }),
    sender: { send: (records) => sender.send({ ...records, acks: -1 }) },
    calendar: officialCalendar(),
    logger,
    store: { dataDir: clickhouseDir, database: 'hub' },
    groupId: `bench-analytics-${Date.now()}`,
    topics,
    batchRows: Number(env.ANALYTICS_BATCH_ROWS ?? 50_000),
    batchMs: Number(env.ANALYTICS_BATCH_MS ?? 1_000),
    onProgress(read) {
      flushes += 1;
      firstFlush ??= { at: process.hrtime.bigint(), read };
    },
  });
  await sender.disconnect();
  if (result.read < history.events) throw new Error(`the rebuild read ${result.read} of ${history.events} events`);
  const rebuildRate = result.read / result.seconds;
  figures['rebuild (database dropped, group joined, to the last flush)'] = { value: Math.round(rebuildRate), unit: 'events/s' };
  if (firstFlush && result.read > firstFlush.read) figures['rebuild from its first flush'] = { value: Math.round((result.read - firstFlush.read) / seconds(firstFlush.at)), unit: 'events/s' };
  figures['rebuild flushes'] = { value: flushes, unit: 'flushes' };
  figures['rebuild dead letters'] = { value: result.deadLetters, unit: 'records' };
  ratios['rebuild / kafkajs consumer'] = rebuildRate / figures['baseline: kafkajs consumer, nothing done']!.value;

  // 5. Where the time goes: each stage alone on the sample, in this process.
  say(`▶ flush stages alone, ${sample.length.toLocaleString()} records`);
  const store = await openStore({ dataDir: clickhouseDir, database: 'bench_stages' });
  try {
    const decoder = createWireDecoder({ registryUrl });
    const deps = { codec: decoder, calendar: officialCalendar(), cache: new CaseCache(20_000), storedCaseEvents: async () => new Map() };
    await projectBatch(sample.slice(0, 1_000), deps);
    deps.cache.clear();
    started = process.hrtime.bigint();
    const projected = await projectBatch(sample, deps);
    figures['stage: project (headers, decode, fold, rows)'] = { value: Math.round(sample.length / seconds(started)), unit: 'events/s' };
    started = process.hrtime.bigint();
    const tables = Object.entries(projected.rows);
    let rowCount = 0;
    for (const [table, rows] of tables) {
      rowCount += rows.length;
      await store.insert(table, rows, `bench|${table}`);
    }
    figures['stage: insert every table (serialise + chDB)'] = { value: Math.round(sample.length / seconds(started)), unit: 'events/s' };
    figures['stage: rows inserted per event'] = { value: Math.round((rowCount / sample.length) * 100) / 100, unit: 'rows' };
  } finally {
    await store.close();
  }
  await stopService(catalog);
  await kafka?.stop();
  kafka = undefined;
}

if (parts.has('api')) {
  const api = await apiBench({ dataDir: clickhouseDir, events: apiEvents, say });
  Object.assign(figures, api.figures);
  Object.assign(ratios, api.ratios);
}

reportResults({ resultsFile, figures, ratios, extra: { ...extra, kafka: KAFKA_VERSION }, say });
