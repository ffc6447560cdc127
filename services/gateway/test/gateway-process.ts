import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from '@hub/test/support';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `node --import tsx services/gateway/src/server.ts` as `npm start` would, and waits until /health says ok. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/gateway/src/server.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env, GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
      try {
        const response = await fetch(`${url}/health`);
        return response.ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, 90_000, `the gateway on ${url}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- gateway output ---\n${output}`, { cause: error });
  }
  return { child, url, output: () => output };
}

/** kill -9, and wait until the process is gone. */
export async function killHard(gateway: GatewayProcess): Promise<void> {
  if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) return;
  const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
  process.kill(gateway.child.pid!, 'SIGKILL');
  await exited;
}
