import { afterAll, beforeAll, describe, it } from 'vitest';
import { testBrokers } from '@hub/test-support';
import { catalogUnderFuzz } from './entry-points/catalog.ts';
import { expectSound } from './kit/expect.ts';
import { fuzz } from './kit/runner.ts';

const SEED = 20_261_205;
const RUNS = Number(process.env.FUZZ_TEST_RUNS ?? 300);
let catalog: Awaited<ReturnType<typeof catalogUnderFuzz>>;

beforeAll(async () => {
  catalog = await catalogUnderFuzz(testBrokers());
});
afterAll(async () => {
  await catalog?.close();
});

describe('the catalog under hostile schemas (fast-check, in-process)', () => {
  it('answers invalid, self-recursive and huge schemas with a Confluent error naming why, never 5xx, and keeps the good schema registered beside them', async () => {
    expectSound(await fuzz(catalog.api, { runs: RUNS, seed: SEED }), RUNS);
  });
});
