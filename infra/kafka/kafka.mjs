// Runs a real single-node Apache Kafka (KRaft, combined broker + controller) as a
// plain Java process. There is no Docker engine on the development machines, so
// the pinned broker jars come from Maven Central (see pom.xml) into
// infra/kafka/target/libs, cached in ~/.m2.
//
// Used by `npm start` (scripts/start.mjs) and by the test set-up
// (packages/test-support/src/global-setup.ts). Plain ESM with no npm dependencies, so it can
// run before `npm install` has happened.
//
//   node infra/kafka/kafka.mjs fetch                 download the jars (progress shown)
//   node infra/kafka/kafka.mjs start [--data DIR]    start in the foreground until Ctrl-C
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const libs = join(here, 'target', 'libs');

export const KAFKA_VERSION = readFileSync(join(here, 'pom.xml'), 'utf8').match(/<kafka\.version>([^<]+)</)?.[1];

/** Downloads the broker jars with Maven unless they are already there. */
export function fetchKafka({ quiet = false } = {}) {
  if (existsSync(libs) && readdirSync(libs).some((f) => f === `kafka_2.13-${KAFKA_VERSION}.jar`)) return;
  if (!quiet) console.log(`[kafka] fetching Apache Kafka ${KAFKA_VERSION} from Maven Central (cached in ~/.m2)…`);
  const mvn = spawnSync(
    'mvn',
    ['-B', '--no-transfer-progress', '-f', join(here, 'pom.xml'), 'dependency:copy-dependencies',
      `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
    { stdio: quiet ? 'pipe' : 'inherit' },
  );
  if (mvn.status !== 0) {
    throw new Error(`[kafka] Maven could not fetch Kafka ${KAFKA_VERSION} (exit ${mvn.status}); is Maven installed and Maven Central reachable?\n${mvn.stderr ?? ''}`);
  }
}

function serverProperties({ port, controllerPort, logDir }) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDir}`,
    'num.partitions=3',
    // Single node: internal topics cannot have more than one replica.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=3',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'min.insync.replicas=1',
    'default.replication.factor=1',
    // Consumers in tests and on one machine should not wait 3 s for a rebalance.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'log.segment.bytes=67108864',
    'num.network.threads=2',
    'num.io.threads=4',
    '',
  ].join('\n');
}

/** Resolves once something accepts TCP connections on the port, or rejects after the timeout. */
export function waitForPort(port, { host = '127.0.0.1', timeoutMs = 120_000, isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((res, rej) => {
    const attempt = () => {
      if (!isAlive()) return rej(new Error(`[kafka] the broker process exited before ${host}:${port} answered`));
      const socket = createConnection({ host, port });
      socket.once('connect', () => { socket.destroy(); res(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) rej(new Error(`[kafka] nothing answered on ${host}:${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

/** True when something already listens on the port. */
export async function portInUse(port, host = '127.0.0.1') {
  try { await waitForPort(port, { host, timeoutMs: 0 }); return true; } catch { return false; }
}

/**
 * Starts the broker and resolves when it answers on `port`. Returns
 * `{ brokers, pid, stop() }`; `stop()` sends SIGTERM, waits for a clean
 * shutdown and kills the process group if it does not come.
 *
 * `fresh: true` wipes the data folder first (tests); otherwise the log and the
 * cluster id survive restarts (npm start).
 */
export async function startKafka({
  dataDir = resolve(here, '..', '..', '.hub', 'kafka'),
  port = 9092,
  controllerPort = port + 1,
  heap = process.env.KAFKA_HEAP ?? '512m',
  fresh = false,
  log = (line) => console.log(line),
} = {}) {
  fetchKafka();
  if (await portInUse(port)) {
    throw new Error(`[kafka] port ${port} is already in use; stop what listens there or set KAFKA_BROKERS to use it`);
  }
  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  const logDir = join(dataDir, 'data');
  mkdirSync(logDir, { recursive: true });
  const config = join(dataDir, 'server.properties');
  writeFileSync(config, serverProperties({ port, controllerPort, logDir }));
  const classpath = join(libs, '*');
  const log4j = join(here, 'log4j2.yaml');
  const java = ['-Xms128m', `-Xmx${heap}`, '-XX:+UseG1GC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4j}`, `-Dkafka.logs.dir=${dataDir}`, '-cp', classpath];

  if (!existsSync(join(logDir, 'meta.properties'))) {
    const format = spawnSync('java', [...java, 'kafka.tools.StorageTool', 'format', '--standalone',
      '-t', randomUUID().replace(/-/g, '').slice(0, 22), '-c', config], { encoding: 'utf8' });
    if (format.status !== 0) throw new Error(`[kafka] formatting KRaft storage failed:\n${format.stdout}\n${format.stderr}`);
  }

  const out = openSync(join(dataDir, 'broker.log'), 'a');
  const child = spawn('java', [...java, 'kafka.Kafka', config], { detached: true, stdio: ['ignore', out, out] });
  writeFileSync(join(dataDir, 'broker.pid'), String(child.pid));
  let exited = false;
  const exitedPromise = new Promise((res) => child.once('exit', () => { exited = true; res(); }));
  const started = Date.now();
  try {
    await waitForPort(port, { isAlive: () => !exited });
  } catch (error) {
    killGroup(child.pid, 'SIGKILL');
    throw new Error(`${error.message}; see ${join(dataDir, "broker.log")}`, { cause: error });
  }
  log(`[kafka] Apache Kafka ${KAFKA_VERSION} answering on 127.0.0.1:${port} (${((Date.now() - started) / 1000).toFixed(1)} s, pid ${child.pid})`);

  return {
    brokers: `127.0.0.1:${port}`,
    pid: child.pid,
    async stop({ timeoutMs = 20_000 } = {}) {
      if (exited) return;
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
      await exitedPromise;
      clearTimeout(timer);
      rmSync(join(dataDir, 'broker.pid'), { force: true });
    },
  };
}

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

/** Kills a broker left behind by a crashed run of the same data folder. */
export function killLeftover(dataDir) {
  const pidFile = join(dataDir, 'broker.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (pid > 0) killGroup(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, ...rest] = process.argv.slice(2);
  const option = (name) => { const i = rest.indexOf(name); return i >= 0 ? rest[i + 1] : undefined; };
  if (command === 'fetch') {
    fetchKafka();
  } else if (command === 'start') {
    const kafka = await startKafka({
      dataDir: option('--data') ? resolve(option('--data')) : undefined,
      port: Number(option('--port') ?? 9092),
    });
    const stop = async () => { await kafka.stop(); process.exit(0); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } else {
    console.error('usage: node infra/kafka/kafka.mjs fetch | start [--data DIR] [--port 9092]');
    process.exit(2);
  }
}
