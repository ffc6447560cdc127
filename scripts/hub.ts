// Brings the whole hub up on one machine and keeps it up until Ctrl-C:
// Kafka (or KAFKA_BROKERS), the hub's topics, then every service that exists,
// each as its own process, printing where each one listens. A service that
// dies is started again, the others left running, and so is the broker it
// started; supervisor.ts decides when, and when restarting does not help and
// the hub stops.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, createLogger, ensureTopics } from '@hub/runtime';
import { services, hubTopics, wiring, type HubService } from '@hub/topology';
// @ts-expect-error plain ESM script without type declarations, shared with the test set-up
import { startKafka, killLeftover } from '../infra/kafka/kafka.mjs';
import { alive, answersHealth, LogTail, root, startService, stopService } from './processes.ts';
import { supervisor, type ServiceSupervision, type SupervisorCommand, type SupervisorEvent } from './supervisor.ts';

const dataDir = resolve(root, process.env.HUB_DATA_DIR ?? '.hub');
const logger = createLogger('hub', process.env.LOG_LEVEL ?? 'info');

/** A service under supervision: its current process, what the supervisor knows of it, its last lines. */
interface Supervised {
  readonly service: HubService;
  state: ServiceSupervision;
  child?: ChildProcess;
  readonly tail: LogTail;
  restartTimer?: NodeJS.Timeout;
  stoppedAt?: number;
  /** Resolved the first time it serves. */
  readonly firstServed: Promise<void>;
  markServed(): void;
}
const supervised: Supervised[] = [];
const decider = supervisor();
let kafka: { brokers: string; pid: number; stop: () => Promise<void> } | undefined;
let stopping = false;
/** The broker npm start runs is supervised as the services are: the same decider, the same data folder and port. */
let kafkaState = decider.initialState();
/** A broker being started again: a stop waits for it, so that it is not left running. */
let kafkaRestarting: Promise<unknown> | undefined;

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  console.log('\n▶ stopping the hub');
  for (const { restartTimer } of supervised) clearTimeout(restartTimer);
  await Promise.all(supervised.map(({ child }) => (child ? stopService(child) : undefined)));
  await kafkaRestarting?.catch(() => undefined);
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

/** Runs one command through the service's supervisor, keeps the state it leaves, and returns the events. */
function tell(entry: Supervised, command: SupervisorCommand): readonly SupervisorEvent[] {
  const decision = decider.decide(command, entry.state);
  if (!decision.ok) return [];
  for (const event of decision.events) entry.state = decider.evolve(entry.state, event);
  return decision.events;
}

const restartCounts = () => [...(kafkaState.restarts > 0 ? [`kafka ${kafkaState.restarts}`] : []), ...supervised.filter((s) => s.state.restarts > 0).map((s) => `${s.service.name} ${s.state.restarts}`)].join(', ');

/**
 * Watches the broker this hub started and, when it dies, starts it again on
 * the same data folder and port (its log, cluster id and transactions
 * survive), after the supervisor's backoff; the services ride out the gap by
 * their own reconnects. A broker that keeps dying, or cannot start again, stops the hub.
 */
async function superviseKafka(kafkaDir: string, port: number): Promise<void> {
  kafkaState = decider.evolve(kafkaState, { type: 'ServiceServing', data: { at: Date.now() } });
  while (!stopping) {
    await sleep(500);
    if (stopping || !kafka || alive(kafka.pid)) continue;
    const stoppedAt = Date.now();
    const decision = decider.decide({ type: 'ReportExit', data: { at: stoppedAt, code: null, signal: null } }, kafkaState);
    if (!decision.ok) return;
    for (const event of decision.events) kafkaState = decider.evolve(kafkaState, event);
    const scheduled = decision.events.find((event) => event.type === 'RestartScheduled');
    if (!scheduled) {
      console.error(`\x1b[31m▶ the Kafka broker (pid ${kafka.pid}) keeps stopping; stopping the hub (see ${join(kafkaDir, 'broker.log')})\x1b[0m`);
      return void stopAll(1);
    }
    console.error(`▶ kafka (pid ${kafka.pid}) stopped unexpectedly; starting it again in ${scheduled.data.delayMs / 1000} s (restart ${scheduled.data.restart})`);
    await sleep(scheduled.data.delayMs);
    if (stopping) return;
    try {
      kafkaRestarting = startKafka({ dataDir: kafkaDir, port });
      kafka = await kafkaRestarting as typeof kafka;
    } catch (error) {
      console.error(`\x1b[31m▶ the Kafka broker could not start again: ${error instanceof Error ? error.message : String(error)}; stopping the hub\x1b[0m`);
      return void stopAll(1);
    }
    if (stopping) return;
    kafkaState = decider.evolve(kafkaState, { type: 'ServiceServing', data: { at: Date.now() } });
    console.log(`▶ kafka is back (pid ${kafka!.pid}), ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after it stopped; restarts so far: ${restartCounts()}`);
  }
}

function launch(entry: Supervised, env: NodeJS.ProcessEnv): void {
  const { name } = entry.service;
  const child = startService(entry.service.dir, env, (line) => {
    const shown = readable(line);
    if (shown === undefined) return;
    entry.tail.push(`[${name}] ${shown}`);
    console.log(`[${name}] ${shown}`);
  });
  entry.child = child;
  // 'close' comes after the last line it printed, which the give-up message may need.
  child.once('close', (code, signal) => exited(entry, child, code, signal, env));
  void watchUntilServing(entry, child);
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function watchUntilServing(entry: Supervised, child: ChildProcess): Promise<void> {
  while (!stopping && entry.child === child && running(child)) {
    if (await answersHealth(entry.service.url)) {
      if (entry.child !== child || !running(child)) return;
      tell(entry, { type: 'ReportServing', data: { at: Date.now() } });
      entry.markServed();
      if (entry.stoppedAt !== undefined) {
        console.log(`▶ ${entry.service.name} is back (pid ${child.pid}), ${((Date.now() - entry.stoppedAt) / 1000).toFixed(1)} s after it stopped; restarts so far: ${restartCounts()}`);
        entry.stoppedAt = undefined;
      }
      return;
    }
    await sleep(300);
  }
}

function exited(entry: Supervised, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, env: NodeJS.ProcessEnv): void {
  if (stopping || entry.child !== child) return;
  const { name } = entry.service;
  entry.stoppedAt ??= Date.now();
  for (const event of tell(entry, { type: 'ReportExit', data: { at: Date.now(), code, signal } })) {
    switch (event.type) {
      case 'ServiceCrashed':
      case 'ServiceServing':
        break;
      case 'RestartScheduled': {
        const { delayMs, restart } = event.data;
        console.error(`▶ ${name} (pid ${child.pid}) stopped unexpectedly (${signal ?? `exit code ${code}`}); starting it again in ${delayMs / 1000} s (restart ${restart})`);
        entry.restartTimer = setTimeout(() => {
          entry.restartTimer = undefined;
          if (!stopping) launch(entry, env);
        }, delayMs);
        break;
      }
      case 'SupervisionAbandoned': {
        const { why, crashes, windowMs } = event.data;
        const what = why === 'never-served'
          ? `the hub could not start: ${name} stopped (${signal ?? `exit code ${code}`}) before it served`
          : `${name} keeps crashing (${crashes} times within ${windowMs / 1000} s, the last ${signal ?? `exit code ${code}`}); stopping the hub`;
        const lines = entry.tail.lines();
        console.error(`\x1b[31m▶ ${what}\x1b[0m\n${lines.length > 0 ? `  its last ${lines.length} log lines:\n${lines.map((l) => `    ${l}`).join('\n')}` : '  it printed nothing'}`);
        void stopAll(1);
        break;
      }
      default: {
        const _exhaustive: never = event;
        void _exhaustive;
      }
    }
  }
}

function supervise(service: HubService): Supervised {
  let markServed!: () => void;
  const firstServed = new Promise<void>((resolve) => { markServed = resolve; });
  return { service, state: decider.initialState(), tail: new LogTail(40), firstServed, markServed };
}

try {
  let brokers = process.env.KAFKA_BROKERS;
  if (brokers) {
    console.log(`▶ using the Kafka cluster at ${brokers}`);
  } else {
    const kafkaDir = join(dataDir, 'kafka');
    const port = Number(process.env.KAFKA_PORT ?? 9092);
    killLeftover(kafkaDir);
    kafka = await startKafka({ dataDir: kafkaDir, port });
    brokers = kafka!.brokers;
    void superviseKafka(kafkaDir, port);
  }

  const created = await ensureTopics(createKafka({ brokers, clientId: 'hub-start', logger }), hubTopics());
  console.log(`▶ topics ready (${created.length} created)`);

  const env = { ...process.env, ...wiring(process.env), KAFKA_BROKERS: brokers, HUB_DATA_DIR: dataDir };
  const table: string[] = [`  kafka      ${brokers}`];
  // One at a time: each waits for what it needs anyway (Kafka, the catalog as registry), and two cores are little.
  for (const service of services) {
    if (!existsSync(join(root, service.dir, 'src', 'server.ts'))) continue;
    const entry = supervise(service);
    supervised.push(entry);
    launch(entry, env);
    await entry.firstServed;
    table.push(`  ${service.name.padEnd(10)} ${service.url}  pid ${entry.child?.pid}${service.note ? `  (${service.note})` : ''}`);
  }
  console.log(`\n▶ the hub is up:\n${table.join('\n')}\n  data under ${dataDir}\n  a service that stops is started again; Ctrl-C stops everything\n`);
} catch (error) {
  console.error(`\x1b[31m▶ the hub could not start: ${error instanceof Error ? error.message : String(error)}\x1b[0m`);
  await stopAll(1);
}
