// Child processes of the hub's services, shared by `npm start` and `npm run bench`.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePorts } from '@hub/test-support/free-port';

export const root = join(import.meta.dirname, '..');

/** Starts `<dir>/src/server.ts` with tsx (and `nodeArgs`, e.g. `--cpu-prof`); each line it logs goes to `onLine`. */
export function startService(dir: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void, nodeArgs: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server.ts'], { cwd: join(root, dir), env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream! }).on('line', onLine);
  return child;
}

/** Resolves once `<url>/health` answers 200; fails if the process exits first or the time runs out. */
export async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url}/health did not answer within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL if the process has not exited within the grace period. */
export function stopService(child: ChildProcess, graceMs = 15_000): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(timer); done(); });
    child.kill('SIGTERM');
  });
}

/** Whether `<url>/health` answers 200 now. */
export async function answersHealth(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** The last `limit` lines a process printed, for the message that says why it was given up. */
export class LogTail {
  readonly #lines: string[] = [];
  constructor(readonly limit = 40) {}

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.limit) this.#lines.shift();
  }

  lines(): readonly string[] {
    return this.#lines;
  }
}

/** The port variable of each service npm start runs, by the name it prints. */
export const portVariables = {
  catalog: 'CATALOG_PORT',
  gateway: 'GATEWAY_PORT',
  connectors: 'CONNECTORS_PORT',
  sinks: 'SINKS_PORT',
  router: 'ROUTER_PORT',
  simulators: 'SIMULATORS_PORT',
  analytics: 'ANALYTICS_PORT',
} as const;
export type ServiceName = keyof typeof portVariables;
export const serviceNames = Object.keys(portVariables) as ServiceName[];

export interface HubPorts {
  /** The broker's; its controller listens on the next one. */
  kafka: number;
  services: Record<ServiceName, number>;
}

/** Free ports for a whole hub beside another (the suites', a chaos run's): the broker, its controller and every service. */
export async function hubPorts(): Promise<HubPorts> {
  const [kafka, , ...rest] = await freePorts(serviceNames.length + 2);
  return { kafka: kafka!, services: Object.fromEntries(serviceNames.map((name, i) => [name, rest[i]!])) as Record<ServiceName, number> };
}

/** Whether a process with this pid runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
