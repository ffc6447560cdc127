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

export interface CatalogProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `node --import tsx services/catalog/src/server.ts` the way `npm start` does, and waits until it answers. */
export async function startCatalogProcess(env: Record<string, string>, port: number): Promise<CatalogProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/catalog/src/server.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env, CATALOG_PORT: String(port), CATALOG_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the catalog exited with ${child.exitCode}:\n${output}`);
      try {
        const response = await fetch(`${url}/health`);
        return response.ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, 90_000, `the catalog on ${url}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- catalog output ---\n${output}`, { cause: error });
  }
  return { child, url, output: () => output };
}

/** kill -9, and wait until the process is gone. */
export async function killHard(catalog: CatalogProcess): Promise<void> {
  if (catalog.child.exitCode !== null || catalog.child.signalCode !== null) return;
  const exited = new Promise((resolve) => catalog.child.once('exit', resolve));
  process.kill(catalog.child.pid!, 'SIGKILL');
  await exited;
}
