import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCatalog } from '@hub/catalog/testing';
import { testBrokers } from '@hub/test-support';
import { coreHarness, type CoreHarness } from './entry-points/core-harness.ts';
import { databaseUnderFuzz } from './entry-points/database.ts';
import { expectSound } from './kit/expect.ts';
import { fuzz } from './kit/runner.ts';

const SEED = 20_261_204;
const RUNS = Number(process.env.FUZZ_TEST_RUNS ?? 200);
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let harness: CoreHarness;
let database: Awaited<ReturnType<typeof databaseUnderFuzz>>;

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: false });
  harness = coreHarness(testBrokers(), catalog.url);
  database = await databaseUnderFuzz(harness);
});
afterAll(async () => {
  await database?.close();
  await harness?.close();
  await catalog?.close();
});

// "2xx" is a page taken (its bad rows dead-lettered); "5xx" a poll that failed, which would fail again on the same rows.
describe('a polled PostgreSQL table under hostile rows (fast-check, the poller driven directly)', () => {
  it('takes every page: NULLs, huge text and columns of unexpected types are rejected rows, and the good row beside them is published', async () => {
    expectSound(await fuzz(database.rows, { runs: RUNS, seed: SEED }), RUNS);
  });
});
