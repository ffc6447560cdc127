import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface HostProcess {
  child: ChildProcess;
  /** Every structured log line so far. */
  lines: Array<Record<string, unknown>>;
  /** Resolves with the first log line `match` accepts. */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number, what?: string): Promise<Record<string, unknown>>;
  /** The port /health and /metrics listen on. */
  port: Promise<number>;
  exited: Promise<number | null>;
}

/** Starts `node --import tsx connectors/host/src/server.ts` as a child process, its log copied to `logFile`. */
export function startHostProcess(repositoryRoot: string, env: Record<string, string>, logFile: string): HostProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'connectors/host/src/server.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }> = [];
  const take = (line: Record<string, unknown>): void => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (text) => {
      log.write(`${text}\n`);
      try {
        take(JSON.parse(text) as Record<string, unknown>);
      } catch {
        take({ msg: text });
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    log.end();
    resolve(code);
  }));
  const waitFor: HostProcess['waitFor'] = (match, timeoutMs = 90_000, what = 'a log line') => {
    const found = lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; see ${logFile}`)), timeoutMs);
      const done = (line: Record<string, unknown>): void => {
        clearTimeout(timer);
        resolve(line);
      };
      waiters.push({ match, resolve: done });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`host exited (${code}) while waiting for ${what}; see ${logFile}`));
      });
    });
  };
  const port = waitFor((l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening at http://127.0.0.1:'), 90_000, 'the host to listen')
    .then((l) => Number(/:(\d+)$/.exec(String(l.msg))![1]));
  return { child, lines, waitFor, port, exited };
}
