// Baselines measured in the same benchmark run as the hub, on the same broker:
//
// - producerPerformance: Kafka's own ProducerPerformance tool (acks=all,
//   idempotent) from the broker jars in infra/kafka/target/libs, as bench/ingest.ts
//   runs it. The limit for producing records of that size.
// - kafkaStreamsPassThrough: a Kafka Streams pass-through with
//   processing.guarantee=exactly_once_v2 (bench/streams-baseline), input topic to
//   output topic unchanged. The JVM's limit for exactly-once read-process-write.
//
// Both need Java 17 on the PATH; the second also needs Maven the first time (and
// whenever bench/streams-baseline changes) to build the project into its target/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const log4jConfig = (root: string) => `-Dlog4j2.configurationFile=${join(root, 'infra', 'kafka', 'log4j2.yaml')}`;

/**
 * Runs org.apache.kafka.tools.ProducerPerformance against `brokers` with
 * `records` records of `recordSize` bytes to `topic` (which must exist), acks=all
 * and idempotence on, and returns its records/s. Throws with the tool's output
 * when it prints no rate. The broker jars must have been fetched
 * (infra/kafka/kafka.mjs does that when it starts a broker).
 */
export function producerPerformance(options: { root: string; brokers: string; topic: string; records: number; recordSize: number }): number {
  const { root, brokers, topic, records, recordSize } = options;
  const perf = spawnSync('java', [
    '-Xmx512m', log4jConfig(root), '-cp', join(root, 'infra', 'kafka', 'target', 'libs', '*'),
    'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(records), '--record-size', String(recordSize),
    '--throughput', '-1', '--command-property', `bootstrap.servers=${brokers}`, 'acks=all', 'enable.idempotence=true',
  ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const summary = perf.stdout?.trim().split('\n').pop() ?? '';
  const rate = Number(summary.match(/([\d.]+) records\/sec/)?.[1]);
  if (perf.status !== 0 || !Number.isFinite(rate)) {
    throw new Error(`ProducerPerformance printed no rate (exit ${perf.status}${perf.error ? `, ${perf.error.message}` : ''}):\n${perf.stdout ?? ''}\n${perf.stderr ?? ''}`);
  }
  return rate;
}

/** Newest modification time (ms) of a file or of any file below a folder. */
const newest = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
};

/** Runs a command, resolving with its exit code and its stdout and stderr together. */
const run = (command: string, args: string[]): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });

/** Builds bench/streams-baseline with Maven unless target/ is newer than pom.xml and src/. */
async function buildStreamsBaseline(root: string, say: (line: string) => void): Promise<string> {
  const project = join(root, 'bench', 'streams-baseline');
  const target = join(project, 'target');
  const jar = join(target, 'streams-baseline-1.0.0.jar');
  const dependencies = join(target, 'dependency');
  const classpath = [jar, join(dependencies, '*')].join(delimiter);
  const sources = Math.max(newest(join(project, 'pom.xml')), newest(join(project, 'src')));
  if (existsSync(jar) && existsSync(dependencies) && statSync(jar).mtimeMs >= sources) return classpath;

  say('▶ building the Kafka Streams baseline (mvn package, bench/streams-baseline; jars cached in ~/.m2)…');
  // From scratch: copy-dependencies never removes jars a changed pom no longer needs.
  rmSync(target, { recursive: true, force: true });
  const started = Date.now();
  const mvn = await run('mvn', ['-q', '-B', '--no-transfer-progress', '-f', join(project, 'pom.xml'), 'package', 'dependency:copy-dependencies']);
  if (mvn.code !== 0 || !existsSync(jar)) {
    throw new Error(`Maven could not build bench/streams-baseline (exit ${mvn.code}); is Maven installed and Maven Central reachable?\n${mvn.output}`);
  }
  say(`  built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return classpath;
}

/**
 * Passes `expected` records from `input` to `output` (both existing, the input
 * already holding at least `expected` records) through a Kafka Streams topology
 * with processing.guarantee=exactly_once_v2, and returns records/s: from the first
 * record processed until the transaction holding the last one has committed (the
 * output is then counted with a read_committed consumer). Builds the project first
 * when needed. Uses a fresh application id, so it reads `input` from the start.
 * Throws with the process's output when it prints no rate (timeout: 300 s).
 *
 * The clock includes the JVM's warm-up (JIT) from the first record on, so the
 * rate depends on `expected`: on the 2-core development machine about 60k
 * records/s for 200,000 records of 300 bytes and about 120k for 1,000,000, with
 * ±25% from run to run. Compare with the hub at the same record count.
 */
export async function kafkaStreamsPassThrough(options: {
  root: string;
  brokers: string;
  input: string;
  output: string;
  expected: number;
  say(line: string): void;
}): Promise<number> {
  const { root, brokers, input, output, expected, say } = options;
  const classpath = await buildStreamsBaseline(root, say);
  const applicationId = `bench-streams-eos-${Date.now()}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-streams-'));
  say(`▶ Kafka Streams pass-through, exactly_once_v2: ${expected.toLocaleString()} records ${input} → ${output}`);
  try {
    const java = await run('java', [
      '-Xmx512m', log4jConfig(root), '-cp', classpath, 'hub.bench.StreamsPassThrough',
      '--bootstrap', brokers, '--input', input, '--output', output, '--expected', String(expected),
      '--application-id', applicationId, '--state-dir', stateDir,
    ]);
    const line = /^streams-eos-v2 (\d+) records in ([\d.]+) s: ([\d.]+) records\/s$/m.exec(java.output);
    const rate = Number(line?.[3]);
    if (java.code !== 0 || !line || !Number.isFinite(rate) || rate <= 0) {
      throw new Error(`the Kafka Streams pass-through printed no rate (exit ${java.code}):\n${java.output}`);
    }
    return rate;
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
