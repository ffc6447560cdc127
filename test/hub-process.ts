// `npm start` run by a test, on ports of its own so that it stands beside the
// suites' broker; shared by the suites that run the whole hub.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { eventually } from '@hub/test-support';

export const root = resolve(import.meta.dirname, '..');

import { portVariables, type HubPorts, type ServiceName } from '../scripts/processes.ts';

export { hubPorts, portVariables, type HubPorts, type ServiceName } from '../scripts/processes.ts';

export interface HubProcess {
  readonly child: ChildProcess;
  /** Everything npm start printed so far. */
  output(): string;
  /** As `eventually`; a failure carries the end of what npm start printed and of the broker's log. */
  waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T>;
  /** Until it prints that the hub is up. */
  untilUp(timeoutMs?: number): Promise<void>;
  /** SIGKILL to its whole process group, if it still runs. */
  killAll(): Promise<void>;
}

/** Starts `node scripts/start.mjs` (what `npm start` runs) in its own process group, with its own Kafka. */
/** `logFile` keeps all it printed (the failures show only the end), to read after the data folder is gone. */
export function startHub(options: { dataDir: string; ports: HubPorts; env?: NodeJS.ProcessEnv; logFile?: string }): HubProcess {
  const { dataDir, ports } = options;
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_PORT: String(ports.kafka), KAFKA_HEAP: '384m', HUB_DATA_DIR: dataDir, ...options.env };
  for (const [name, variable] of Object.entries(portVariables)) env[variable] = String(ports.services[name as ServiceName]);
  for (const name of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'GATEWAY_URL', 'SINKS_WEBHOOKS']) delete env[name];

  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const { logFile } = options;
  if (logFile) writeFileSync(logFile, '');
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (logFile) appendFileSync(logFile, chunk);
    });
  }

  const waitFor: HubProcess['waitFor'] = async (probe, timeoutMs, what) => {
    try {
      return await eventually(probe, timeoutMs, what);
    } catch (error) {
      const brokerLog = join(dataDir, 'kafka', 'broker.log');
      const broker = existsSync(brokerLog) ? `\n--- the broker's log (the end) ---\n${readFileSync(brokerLog, 'utf8').slice(-4_000)}` : '';
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- npm start printed (the end${logFile ? `; all of it in ${logFile}` : ''}) ---\n${output.slice(-6_000)}${broker}`, { cause: error });
    }
  };
  return {
    child,
    output: () => output,
    waitFor,
    untilUp: async (timeoutMs = 180_000) => {
      await waitFor(() => {
        if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
        return output.includes('the hub is up') ? true : undefined;
      }, timeoutMs, 'npm start to print that the hub is up');
    },
    killAll: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, 'SIGKILL');
      await exited(child);
    },
  };
}

/** Whether something accepts connections on 127.0.0.1:port. */
export const listening = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });

export const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((done) => child.once('exit', (code) => done(code)));

/** What `/health` answers now: its status and body, or undefined when nothing answers. */
export async function health(port: number): Promise<{ status: number; body: { status?: string } } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: (await response.json()) as { status?: string } };
  } catch {
    return undefined;
  }
}
