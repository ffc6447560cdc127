// `npm run bench`, the router part: complete cases per second through the
// router (a process of its own, as npm start runs it) with transactions, the
// latency from an acceptance to its co-approval requests at half that load,
// the state restore speed after a restart, and the latency of data requests
// (数据共享申请) at a steady 1,000 questions/s over HTTP; beside the broker's own
// ProducerPerformance and a Kafka Streams exactly_once_v2 pass-through of the
// same events, measured in the same run on the same broker.
//
// Figures and ratios go to bench/results/router-latest.json; the previous
// run's file is compared with, so a change shows as a ratio.
import { mkdirSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createAvroSerde, createEventCodec, createKafka, createLogger, createTopicReader, ensureTopics, headerText, type Producer } from '@hub/runtime';
import { COMMANDS_TOPIC, decideAgreement, encodeCommand, evolveAgreement, initialAgreementState, itemDefinedData, type AgreementCommand, type Item, type RouterCommand, type StepCommand } from '@hub/router';
import { eventType, logicalTypes, topicFor, type CaseSubmitted, type ResidentIdentity } from '@hub/schemas';
import { hubTopics } from '@hub/topology';
// @ts-expect-error plain ESM script without type declarations
import { startKafka, killLeftover, KAFKA_VERSION } from '../infra/kafka/kafka.mjs';
import { root, startService, stopService, waitForHealth } from '../scripts/processes.ts';
import { kafkaStreamsPassThrough, producerPerformance } from './baselines.ts';
import { fanOutBench } from './fanout.ts';
import { reportResults, type Figure } from './report.ts';

const env = process.env;
const cases = Number(env.BENCH_CASES ?? 20_000);
const latencySeconds = Number(env.BENCH_LATENCY_SECONDS ?? 20);
const dataDir = join(root, '.hub', 'bench-router');
const resultsFile = join(root, 'bench', 'results', 'router-latest.json');
const logger = createLogger('bench', 'warn');
const figures: Record<string, Figure> = {};
const ratios: Record<string, number> = {};
const say = (line: string) => console.log(line);
const CASE_REVIEWED = eventType('CaseReviewed').fullName;
const CO_APPROVAL_REQUESTED = eventType('CoApprovalRequested').fullName;

// 1. A fresh broker (or KAFKA_BROKERS), the hub's topics, the catalog.
const kafkaDir = join(dataDir, 'kafka');
killLeftover(kafkaDir);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
let kafka: { brokers: string; stop: () => Promise<void> } | undefined;
let brokers = env.KAFKA_BROKERS;
process.once('exit', () => { if (kafka) killLeftover(kafkaDir); });
if (!brokers) {
  kafka = await startKafka({ dataDir: kafkaDir, port: Number(env.BENCH_KAFKA_PORT ?? 19692), fresh: true, heap: '1g', log: say });
  brokers = kafka!.brokers;
}
const client = createKafka({ brokers: brokers!, clientId: 'bench-router', logger });
await ensureTopics(client, [...hubTopics(), { topic: 'bench.baseline', partitions: 3 }, { topic: 'bench.streams-out', partitions: 3 }]);
const ports = { catalog: 18281, router: 18285 };
const registryUrl = `http://127.0.0.1:${ports.catalog}`;
const serviceEnv = {
  ...env, KAFKA_BROKERS: brokers, HUB_DATA_DIR: dataDir, LOG_LEVEL: 'info', SCHEMA_REGISTRY_URL: registryUrl,
  CATALOG_PORT: String(ports.catalog), ROUTER_PORT: String(ports.router), ROUTER_TICK_INTERVAL_MS: '0',
};
const catalog = startService('services/catalog', serviceEnv, () => undefined);
const children = [catalog];
// A run that fails half-way leaves no service behind.
process.once('exit', () => { for (const child of children) if (child.exitCode === null) child.kill('SIGKILL'); });
await waitForHealth(registryUrl, catalog);
const events = createEventCodec(createAvroSerde({ registryUrl, logicalTypes, clientId: 'bench-router' }));
const producer: Producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();

// 2. The item: land leads, tax and ps co-approve in one stage, a fee and a certificate: twelve events a case.
const item: Item = { code: 'BENCH.joint-registration', name: '基准测试：不动产登记（联办）', leadDepartment: 'land', legalDays: 30, promisedDays: 5, stages: [{ departments: ['tax', 'ps'], dueDays: 2 }], fee: { amount: '80.00', basis: '不动产登记收费标准' }, certificateType: '不动产权证书' };
// The item table as an operator left it (the router's own event, written here as setup).
const defined = await events.toRecord({ type: 'ItemDefined', data: itemDefinedData(item, 1, new Date('2026-01-05T00:00:00Z'), 'bench'), metadata: { source: '/bench' } });
await producer.send({ topic: defined.topic, acks: -1, messages: [defined.record] });

// The data requests' resource: BENCH_REQUEST_KEYS (10,000) residents on records.ps.resident-identity, read into the
// router's record store at its start, and housing's agreement on them (granted by ps after they were loaded).
const requestKeys = Number(env.BENCH_REQUEST_KEYS ?? 10_000);
const residentId = (n: number) => `4501031980${String(n).padStart(7, '0')}X`;
for (let from = 0; from < requestKeys; from += 2_000) {
  const messages = [];
  for (let n = from; n < Math.min(requestKeys, from + 2_000); n += 1) {
    const data: ResidentIdentity = {
      eventId: `bench-resident-${n}`, occurredAt: new Date('2026-01-05T00:00:00Z'), sourceDepartment: 'ps', idNumber: residentId(n), previousIdNumber: null,
      name: n % 2 === 0 ? '韦建国' : '欧阳春花', sex: n % 2 === 0 ? 'MALE' : 'FEMALE', ethnicity: '02', birthDate: '1980-01-01',
      address: '广西壮族自治区南宁市青秀区民族大道100号', divisionCode: '450103',
    };
    messages.push((await events.toRecord({ type: 'ResidentIdentity', data, metadata: { source: '/bench' } })).record);
  }
  await producer.send({ topic: topicFor('ResidentIdentity'), acks: -1, messages });
}
const agreementId = 'AG-BENCH-HOUSING-RESIDENTS';
{
  let agreement = initialAgreementState();
  const commands: AgreementCommand[] = [
    { type: 'RequestAgreement', data: { agreementId, occurredAt: new Date(), subscriber: 'housing', resourceCode: 'ps.resident-identity', resource: { resourceCode: 'ps.resident-identity', owner: 'ps', sharing: 'conditional', maskedFields: ['idNumber', 'previousIdNumber', 'name', 'address'] }, purpose: '公租房申请资格审核' } },
    { type: 'ApproveAgreement', data: { agreementId, occurredAt: new Date(), by: 'ps', approved: true } },
  ];
  const messages = [];
  for (const command of commands) {
    const decided = decideAgreement(command, agreement);
    if (!decided.ok) throw new Error(decided.error.message);
    for (const event of decided.events) {
      agreement = evolveAgreement(agreement, event);
      messages.push((await events.toRecord({ type: event.type, data: event.data, metadata: { source: '/bench' } } as never)).record);
    }
  }
  await producer.send({ topic: topicFor('AgreementRequested'), acks: -1, messages });
}

const base = new Date('2026-03-02T01:00:00Z');
/** The p-th percentile (0-100) of sorted latencies. */
const percentileOf = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const caseIdOf = (run: string, n: number) => `BENCH-${run}-${String(n).padStart(7, '0')}`;

async function submissions(run: string, count: number): Promise<void> {
  for (let from = 0; from < count; from += 2_000) {
    const records = [];
    for (let n = from; n < Math.min(count, from + 2_000); n += 1) {
      const caseId = caseIdOf(run, n);
      const data: CaseSubmitted = {
        eventId: `${caseId}:1`, occurredAt: base, caseId,
        applicant: { kind: 'PERSON', name: '韦建国', idNumber: '450102198503120123', creditCode: null, phone: null },
        itemCode: item.code, itemName: item.name, centreId: 'NN-XN-ZWZX', windowId: 'W07', divisionCode: '450102', documents: [], channel: 'WINDOW',
      };
      records.push((await events.toRecord({ type: 'CaseSubmitted', data, metadata: { source: '/bench' } })).record);
    }
    await producer.send({ topic: topicFor('CaseSubmitted'), acks: -1, messages: records });
  }
}

/** The nine steps a case takes after its submission, as the gateway sends them (with command ids, so outcomes are written too). */
function stepsOf(caseId: string): RouterCommand[] {
  const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);
  const steps: StepCommand[] = [
    { type: 'AcceptCase', data: { caseId, occurredAt: at(1) } },
    { type: 'AnswerCoApproval', data: { caseId, occurredAt: at(2), department: 'tax', answer: 'grant' } },
    { type: 'AnswerCoApproval', data: { caseId, occurredAt: at(3), department: 'ps', answer: 'grant' } },
    { type: 'DecideCase', data: { caseId, occurredAt: at(4), department: 'land', approved: true } },
    { type: 'AssessFee', data: { caseId, occurredAt: at(5) } },
    { type: 'PayFee', data: { caseId, occurredAt: at(6) } },
    { type: 'IssueCertificate', data: { caseId, occurredAt: at(7) } },
    { type: 'DeliverResult', data: { caseId, occurredAt: at(8) } },
    { type: 'ReviewCase', data: { caseId, occurredAt: at(9), grade: 5 } },
  ];
  return steps;
}
const commandRecords = (caseId: string) => stepsOf(caseId).map((command, i) => ({ key: caseId, value: encodeCommand({ commandId: `bench:${caseId}:${i}`, command }) }));

// 3. The throughput run: every case's submission and steps are on Kafka before the router starts
// (and the latency run's submissions, so that its state holds them from the start).
const rate = Number(env.BENCH_LATENCY_RATE ?? 500);
const latencyCases = rate * latencySeconds;
say(`▶ ${cases.toLocaleString()} cases, twelve events each, written before the router starts`);
await submissions('t', cases);
await submissions('l', latencyCases);
for (let from = 0; from < cases; from += 500) {
  const messages = [];
  for (let n = from; n < Math.min(cases, from + 500); n += 1) messages.push(...commandRecords(caseIdOf('t', n)));
  await producer.send({ topic: COMMANDS_TOPIC, acks: -1, messages });
}

// What the router has committed, read as a department's system reads it (read_committed), by header only.
let reviewed = 0;
const requestedAt = new Map<string, number>();
const watcher = createTopicReader({
  kafka: client, logger, topic: topicFor('CaseSubmitted'), groupPrefix: 'bench-router-watch', maxWaitTimeInMs: 50,
  onRecords(_partition, records) {
    const now = performance.now();
    for (const record of records) {
      const type = headerText(record.headers, 'ce_type');
      if (type === CASE_REVIEWED) reviewed += 1;
      else if (type === CO_APPROVAL_REQUESTED) {
        const caseId = record.key?.toString() ?? '';
        if (!requestedAt.has(caseId)) requestedAt.set(caseId, now);
      }
    }
  },
});
await watcher.start();

const routerLines: string[] = [];
// BENCH_CPU_PROFILE=<dir>: the router writes a V8 CPU profile of its first run there when it stops (open it in Chrome's DevTools or speedscope),
// of its restarted run (the restore and the data requests) to <dir>/requests, of the fan-out to <dir>/fan-out.
const profile = env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROFILE}`] : [];
let router = startService('services/router', serviceEnv, (line) => routerLines.push(line), profile);
children.push(router);
const logged = async (message: string, after = 0): Promise<Record<string, unknown>> => {
  for (;;) {
    for (const line of routerLines.slice(after)) {
      if (!line.includes(message)) continue;
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch { /* not JSON */ }
    }
    if (router.exitCode !== null) throw new Error(`the router exited (${router.exitCode}):\n${routerLines.slice(-20).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
await logged('state restored');
const started = performance.now();
while (reviewed < cases) {
  if (router.exitCode !== null) throw new Error(`the router exited (${router.exitCode}):\n${routerLines.slice(-20).join('\n')}`);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const runSeconds = (performance.now() - started) / 1000;
const casesPerSecond = cases / runSeconds;
figures['router: complete cases'] = { value: Math.round(casesPerSecond), unit: 'cases/s' };
figures['router: case events'] = { value: Math.round((cases * 12) / runSeconds), unit: 'events/s' };
await waitForHealth(`http://127.0.0.1:${ports.router}`, router);
const metrics = await (await fetch(`http://127.0.0.1:${ports.router}/metrics`)).text();
const decideSeconds = Number(/router_batch_decide_seconds_sum\{[^}]*\} ([\d.e+-]+)/.exec(metrics)?.[1] ?? NaN);
figures['router: deciding and encoding (share of the run, summed over partitions)'] = { value: Math.round((100 * decideSeconds) / runSeconds), unit: '%' };

// 4. Latency at half the goal's load (BENCH_LATENCY_RATE, 500 cases/s): cases paced in, each acceptance timed to its co-approval requests on cases.events.
say(`▶ latency: ${latencyCases.toLocaleString()} cases at ${rate.toLocaleString()} cases/s`);
const sentAt = new Map<string, number>();
const tickMs = 20;
const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
const paced = performance.now();
for (let n = 0; n < latencyCases; n += perTick) {
  const due = paced + (n / rate) * 1000;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const messages = [];
  for (let i = n; i < Math.min(latencyCases, n + perTick); i += 1) messages.push(...commandRecords(caseIdOf('l', i)));
  const now = performance.now();
  await producer.send({ topic: COMMANDS_TOPIC, acks: -1, messages });
  for (let i = n; i < Math.min(latencyCases, n + perTick); i += 1) sentAt.set(caseIdOf('l', i), now);
}
while (reviewed < cases + latencyCases) await new Promise((resolve) => setTimeout(resolve, 20));
const latencies = [...sentAt].map(([caseId, at]) => requestedAt.get(caseId)! - at).sort((a, b) => a - b);
for (const p of [50, 95, 99]) figures[`router: acceptance → co-approval requests p${p}`] = { value: Math.round(percentileOf(latencies, p)), unit: 'ms' };

// 5. Restore: the router restarted rebuilds its state from the three logs.
await stopService(router);
const restartFrom = routerLines.length;
router = startService('services/router', serviceEnv, (line) => routerLines.push(line), env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(env.BENCH_CPU_PROFILE, 'requests')}`] : []);
children.push(router);
const restored = await logged('state restored', restartFrom);
figures['router: state restore'] = { value: Number(restored.eventsPerSecond), unit: `events/s (${Number(restored.events).toLocaleString()} events, ${Number(restored.seconds).toFixed(1)} s)` };

// 6. Data requests (数据共享申请) at a steady BENCH_REQUEST_RATE (1,000) questions/s for BENCH_REQUEST_SECONDS (10 s),
// over HTTP to the router's own endpoint, as the gateway puts them: keys of the loaded residents, every tenth a
// verification (核验).
const requestRate = Number(env.BENCH_REQUEST_RATE ?? 1_000);
const requestSeconds = Number(env.BENCH_REQUEST_SECONDS ?? 10);
const requestGoalMs = 50;
const routerUrl = `http://127.0.0.1:${ports.router}`;
await waitForHealth(routerUrl, router);
const question = (n: number) => JSON.stringify({
  requester: 'housing', resource: 'ps.resident-identity', key: { idNumber: residentId((n * 7_919) % requestKeys) }, purpose: '公租房申请资格审核',
  ...(n % 10 === 9 ? { verify: { name: '韦建国' } } : {}),
});
// node:http with kept-alive connections: fetch costs several times the CPU per call, and the bench shares the cores with the router.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const post = (body: string) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const call = httpRequest(`${routerUrl}/internal/v1/exchange/requests`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    call.on('error', reject);
    call.end(body);
  });
const askRouter = async (n: number): Promise<string> => {
  try {
    const response = await post(question(n));
    const answer = JSON.parse(response.text) as { status?: string };
    return response.status === 200 ? (answer.status ?? 'no status') : `HTTP ${response.status}`;
  } catch (error) {
    if (router.exitCode !== null) throw new Error(`the router exited (${router.exitCode}):\n${routerLines.slice(-20).join('\n')}`, { cause: error });
    return `failed (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message})`;
  }
};
for (let n = 0; n < 200; n += 1) await askRouter(n); // schemas, the file's pages

/** Questions at `requestRate` for `seconds`, each timed from when it was due, so a stall shows in the ones queued behind it. */
async function atSteadyRate(seconds: number, first: number): Promise<{ latencies: number[]; statuses: Map<string, number>; seconds: number }> {
  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < requestRate * seconds; i += 1) {
    const due = started + (i / requestRate) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(askRouter(first + i).then((status) => {
      latencies.push(performance.now() - due);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }));
  }
  await Promise.all(inFlight);
  return { latencies: latencies.sort((a, b) => a - b), statuses, seconds: (performance.now() - started) / 1000 };
}
// A steady rate, measured after BENCH_REQUEST_WARMUP_SECONDS (3) at the same rate: the connections the load needs opened,
// the router's, the broker's and the load generator's code compiled for it. The warm-up's own p99 is reported beside.
const warmupSeconds = Number(env.BENCH_REQUEST_WARMUP_SECONDS ?? 3);
say(`▶ data requests: ${warmupSeconds} s of warm-up, then ${(requestRate * requestSeconds).toLocaleString()} questions at ${requestRate.toLocaleString()}/s over HTTP`);
if (warmupSeconds > 0) {
  const warmup = await atSteadyRate(warmupSeconds, 200);
  figures[`router: data request p99 at ${requestRate.toLocaleString()}/s, the warm-up (the first ${warmupSeconds} s)`] = { value: Math.round(percentileOf(warmup.latencies, 99) * 10) / 10, unit: 'ms' };
}
const measured = await atSteadyRate(requestSeconds, 200 + requestRate * warmupSeconds);
for (const p of [50, 95, 99]) figures[`router: data request p${p} at ${requestRate.toLocaleString()}/s`] = { value: Math.round(percentileOf(measured.latencies, p) * 10) / 10, unit: 'ms' };
figures['router: data requests answered'] = { value: Math.round(measured.latencies.length / measured.seconds), unit: `requests/s (${[...measured.statuses].map(([status, count]) => `${status} ${count}`).join(', ')})` };
const requestP99 = percentileOf(measured.latencies, 99);
ratios['data request p99 / goal (50 ms)'] = requestP99 / requestGoalMs;
say(`  p99 ${requestP99.toFixed(1)} ms: the goal (p99 < ${requestGoalMs} ms) is ${requestP99 < requestGoalMs ? 'met' : 'missed'}`);
await stopService(router);
await watcher.close();
await producer.disconnect();

// Fan-out: records delivered to their agreements' subscribers per second, masked and monitored (bench/fanout.ts).
const fanOutRecords = Number(env.BENCH_FANOUT_RECORDS ?? 200_000);
const fanOut = await fanOutBench({
  client, logger, registryUrl, routerUrl: `http://127.0.0.1:${ports.router}`, serviceEnv, dataDir, records: fanOutRecords, say,
  nodeArgs: env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(env.BENCH_CPU_PROFILE, 'fan-out')}`] : [],
});
Object.assign(figures, fanOut.figures);

// 7. The baselines, on the same broker: the broker's producer, and Kafka Streams exactly-once over the same events.
const totalEvents = (cases + latencyCases) * 12;
const averageSize = 400;
say(`▶ Kafka ${KAFKA_VERSION} ProducerPerformance: ${totalEvents.toLocaleString()} records of ${averageSize} bytes, acks=all, idempotent`);
const perfRate = producerPerformance({ root, brokers: brokers!, topic: 'bench.baseline', records: totalEvents, recordSize: averageSize });
figures['kafka ProducerPerformance'] = { value: Math.round(perfRate), unit: 'records/s' };
say(`▶ Kafka Streams ${KAFKA_VERSION} exactly_once_v2 pass-through of cases.events`);
const streamsRate = await kafkaStreamsPassThrough({ root, brokers: brokers!, input: topicFor('CaseSubmitted'), output: 'bench.streams-out', expected: totalEvents, say });
figures['kafka streams exactly_once_v2 pass-through'] = { value: Math.round(streamsRate), unit: 'events/s' };
ratios['router case events / streams pass-through'] = figures['router: case events']!.value / streamsRate;
ratios['router case events / ProducerPerformance'] = figures['router: case events']!.value / perfRate;
// Goal: at least 0.5, so that the router never holds up what the connectors ingest.
ratios['fan-out records / connector ingest'] = fanOut.recordsPerSecond / fanOut.ingestPerSecond;
ratios['fan-out deliveries / ProducerPerformance'] = fanOut.deliveriesPerSecond / perfRate;
await stopService(catalog);
await kafka?.stop();

// 8. The table, the comparison with the last run, and the file.
reportResults({ resultsFile, figures, ratios, extra: { cases, latencyCases, fanOutRecords, kafka: KAFKA_VERSION }, say });
