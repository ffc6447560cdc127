import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from './eventually.ts';
import { freePort } from './free-port.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

/** One line a service wrote: its JSON log record, or `{ msg }` for a line that is not JSON. */
export type LogLine = Record<string, unknown>;

export interface ServiceProcessOptions {
  /** The service's workspace folder from the repository root ('services/catalog'); its `src/server.ts` is started. */
  readonly dir: string;
  /** What messages call it: 'the catalog'. */
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /** The variables the service takes its listen address from; set to 127.0.0.1 and `port`. */
  readonly hostVariable: string;
  readonly portVariable: string;
  /** The port to listen on (the same one again to restart in place); a free one when omitted. */
  readonly port?: number;
  /** A file every output line is appended to, to read after a failure. */
  readonly logFile?: string;
  /**
   * Return once /health answers 200 (the default); with false, at once, for a
   * test that follows the start in the log from the first line.
   */
  readonly waitUntilHealthy?: boolean;
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Every line it wrote so far. */
  readonly lines: readonly LogLine[];
  /** The first line, written so far or to come, that `match` accepts; fails when the process exits first or the time runs out. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number, what?: string): Promise<LogLine>;
  /** The exit code; null when a signal ended the process. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** kill -9, and wait until the process is gone. */
  killHard(): Promise<void>;
}

/**
 * Starts `node --import tsx <dir>/src/server.ts` from the repository root, as
 * `npm start` runs a service, listening on 127.0.0.1; with the test's
 * variables on top of this process's environment.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const { dir, name, env, hostVariable, portVariable, logFile, waitUntilHealthy = true } = options;
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', `${dir}/src/server.ts`], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env, [hostVariable]: '127.0.0.1', [portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const log = logFile === undefined ? undefined : createWriteStream(logFile, { flags: 'a' });
  let output = '';
  const lines: LogLine[] = [];
  const waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  const take = (text: string): void => {
    output += `${text}\n`;
    log?.write(`${text}\n`);
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text };
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', take);
  // 'close' comes after the last line has been read; 'exit' may come before it.
  child.once('close', () => log?.end());
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const seeOutput = (): string => (logFile === undefined ? `\n--- ${name} output ---\n${output}` : `; see ${logFile}`);

  const waitFor: ServiceProcess['waitFor'] = (match, timeoutMs = 90_000, what = 'a log line') => {
    const found = lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}${seeOutput()}`)), timeoutMs);
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) while waiting for ${what}${seeOutput()}`));
      });
    });
  };

  const service: ServiceProcess = {
    child,
    port,
    url,
    output: () => output,
    lines,
    waitFor,
    exited,
    async stop() {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
    async killHard() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
  if (!waitUntilHealthy) return service;

  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
      try {
        const response = await fetch(`${url}/health`);
        return response.ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, 90_000, `${name} on ${url}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}${seeOutput()}`, { cause: error });
  }
  return service;
}
