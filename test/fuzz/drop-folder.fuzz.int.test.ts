import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCatalog } from '@hub/catalog/testing';
import { testBrokers } from '@hub/test-support';
import { coreHarness, type CoreHarness } from './entry-points/core-harness.ts';
import { dropFoldersUnderFuzz, type DropFoldersUnderFuzz } from './entry-points/drop-folder.ts';
import { expectSound } from './kit/expect.ts';
import { fuzzRun } from './kit/runner.ts';

const SEED = 20_261_203;
const RUNS = Number(process.env.FUZZ_TEST_RUNS ?? 200);
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let harness: CoreHarness;
let folders: DropFoldersUnderFuzz;

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: false });
  harness = coreHarness(testBrokers(), catalog.url);
  folders = await dropFoldersUnderFuzz(harness);
});
afterAll(async () => {
  await folders?.close();
  await harness?.close();
  await catalog?.close();
});

// "2xx" is a file moved to done/ (its bad rows dead-lettered), "4xx" a file moved to failed/ with its reason.
describe('drop folders under hostile files (fast-check, the source driven directly)', () => {
  it.each(['csvUtf8', 'csvGbk', 'jsonLines', 'xlsx'] as const)('%s: every file done or failed with its reason, never stuck, and the good row beside the bad ones published', async (format) => {
    const run = { csvUtf8: fuzzRun(folders.csvUtf8), csvGbk: fuzzRun(folders.csvGbk), jsonLines: fuzzRun(folders.jsonLines), xlsx: fuzzRun(folders.xlsx) }[format];
    expectSound(await run({ runs: RUNS, seed: SEED }), RUNS);
  });
});
