// `npm start` as the chaos run drives it: on free ports of its own, in its own
// process group, with every line it prints kept in a log file and read for
// the pids of the services (its table, then its "is back (pid …)" lines) and
// the restarts it reports. (test/hub-process.ts does the same for the suites,
// keeping every line; the ports and names both take from processes.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { portVariables, root, type HubPorts, type ServiceName } from './processes.ts';

export { freePorts } from '@hub/test-support/free-port';
export { hubPorts, serviceNames, type HubPorts, type ServiceName } from './processes.ts';

/** What npm start said so far, as the chaos run needs it. */
export interface HubWatch {
  /** The current pid of each service. */
  pids: Partial<Record<ServiceName, number>>;
  /** Services that stopped and are not back yet. */
  down: Set<ServiceName>;
  up: boolean;
  /** "is back" lines: the services' and the broker's. */
  restarts: number;
  brokerRestarts: number;
  lastLines: string[];
}

/** Folds one line npm start printed into what is known of the hub. */
export function watchLine(watch: HubWatch, line: string): void {
  watch.lastLines.push(line);
  if (watch.lastLines.length > 60) watch.lastLines.shift();
  const listed = /^ {2}(\w+) +http:\/\/127\.0\.0\.1:\d+ {2}pid (\d+)/.exec(line);
  if (listed && listed[1]! in portVariables) watch.pids[listed[1] as ServiceName] = Number(listed[2]);
  if (line.includes('▶ the hub is up')) watch.up = true;
  const stopped = /^▶ (\w+) \(pid \d+\) stopped unexpectedly/.exec(line);
  if (stopped && stopped[1]! in portVariables) watch.down.add(stopped[1] as ServiceName);
  const back = /^▶ (\w+) is back \(pid (\d+)\)/.exec(line);
  if (back) {
    if (back[1] === 'kafka') watch.brokerRestarts += 1;
    else if (back[1]! in portVariables) {
      watch.pids[back[1] as ServiceName] = Number(back[2]);
      watch.down.delete(back[1] as ServiceName);
    }
    watch.restarts += 1;
  }
}

export interface HubProcess {
  readonly child: ChildProcess;
  readonly watch: HubWatch;
  exited(): Promise<number | null>;
  /** Ctrl-C as a terminal sends it (SIGINT to the group); SIGKILL to the group if it has not stopped in time. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export function startHub(options: { dataDir: string; ports: HubPorts; env: NodeJS.ProcessEnv; logFile: string }): HubProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_PORT: String(options.ports.kafka), KAFKA_HEAP: '384m', HUB_DATA_DIR: options.dataDir, ...options.env };
  for (const [name, variable] of Object.entries(portVariables)) env[variable] = String(options.ports.services[name as ServiceName]);
  for (const name of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'GATEWAY_URL', 'SINKS_WEBHOOKS']) delete env[name];
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const watch: HubWatch = { pids: {}, down: new Set(), up: false, restarts: 0, brokerRestarts: 0, lastLines: [] };
  writeFileSync(options.logFile, '');
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      appendFileSync(options.logFile, `${line}\n`);
      watchLine(watch, line);
    });
  }
  const exited = () => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((done) => child.once('exit', (code) => done(code))));
  return {
    child,
    watch,
    exited,
    async stop(timeoutMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      process.kill(-child.pid!, 'SIGINT');
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, timeoutMs);
      const code = await exited();
      clearTimeout(timer);
      return code;
    },
  };
}
