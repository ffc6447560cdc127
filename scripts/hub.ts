// Brings the whole hub up on one machine and keeps it up until Ctrl-C:
// Kafka (or KAFKA_BROKERS), the hub's topics, then every service that exists,
// each as its own process, printing where each one listens.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createKafka, createLogger, ensureTopics } from '@hub/runtime';
import { services, hubTopics, wiring } from '@hub/topology';
// @ts-expect-error plain ESM script without type declarations, shared with the test set-up
import { startKafka, killLeftover } from '../infra/kafka/kafka.mjs';
import { root, startService, stopService, waitForHealth } from './processes.ts';

const dataDir = resolve(root, process.env.HUB_DATA_DIR ?? '.hub');
const logger = createLogger('hub', process.env.LOG_LEVEL ?? 'info');
const children: Array<{ name: string; process: ChildProcess }> = [];
let kafka: { brokers: string; stop: () => Promise<void> } | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  console.log('\n▶ stopping the hub');
  await Promise.all(children.map(({ process: child }) => stopService(child)));
  if (kafka) await kafka.stop();
  console.log('▶ stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const levelNames: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');

/**
 * The services log JSON (pino) for machines; on the console of `npm start` a
 * person reads them, so each becomes one short line, and per-request access
 * lines are left out unless LOG_LEVEL is debug.
 */
function readable(line: string): string | undefined {
  let entry: { level?: number; time?: string; msg?: string; err?: { message?: string } };
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (!verbose && (entry.msg === 'incoming request' || entry.msg === 'request completed')) return undefined;
  const time = entry.time?.slice(11, 19) ?? '';
  const error = entry.err?.message ? `: ${entry.err.message}` : '';
  return `${time} ${levelNames[entry.level ?? 30] ?? entry.level} ${entry.msg ?? ''}${error}`;
}

try {
  let brokers = process.env.KAFKA_BROKERS;
  if (brokers) {
    console.log(`▶ using the Kafka cluster at ${brokers}`);
  } else {
    const kafkaDir = join(dataDir, 'kafka');
    killLeftover(kafkaDir);
    kafka = await startKafka({ dataDir: kafkaDir, port: Number(process.env.KAFKA_PORT ?? 9092) });
    brokers = kafka!.brokers;
  }

  const created = await ensureTopics(createKafka({ brokers, clientId: 'hub-start', logger }), hubTopics());
  console.log(`▶ topics ready (${created.length} created)`);

  const env = { ...process.env, ...wiring(process.env), KAFKA_BROKERS: brokers, HUB_DATA_DIR: dataDir };
  const table: string[] = [`  kafka      ${brokers}`];
  for (const service of services) {
    if (!existsSync(join(root, service.dir, 'src', 'server.ts'))) continue;
    const child = startService(service.dir, env, (line) => {
      const shown = readable(line);
      if (shown !== undefined) console.log(`[${service.name}] ${shown}`);
    });
    children.push({ name: service.name, process: child });
    child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`▶ ${service.name} stopped unexpectedly (${signal ?? code}); stopping the hub`);
        void stopAll(1);
      }
    });
    await waitForHealth(service.url, child);
    table.push(`  ${service.name.padEnd(10)} ${service.url}${service.note ? `  (${service.note})` : ''}`);
  }
  console.log(`\n▶ the hub is up:\n${table.join('\n')}\n  data under ${dataDir}\n  Ctrl-C stops everything\n`);
} catch (error) {
  console.error(`\x1b[31m▶ the hub could not start: ${error instanceof Error ? error.message : String(error)}\x1b[0m`);
  await stopAll(1);
}
