import { afterAll, beforeAll, describe, it } from 'vitest';
import { testBrokers } from '@hub/test-support';
import { startGatewayUnderFuzz, type GatewayUnderFuzz } from './entry-points/gateway.ts';
import { expectSound } from './kit/expect.ts';
import { fuzz } from './kit/runner.ts';

// A fixed seed: the same few hundred hostile inputs each run. `npm run fuzz` runs 10,000 and more of each.
const SEED = 20_261_202;
const RUNS = Number(process.env.FUZZ_TEST_RUNS ?? 300);
let gateway: GatewayUnderFuzz;

beforeAll(async () => {
  gateway = await startGatewayUnderFuzz(testBrokers());
});
afterAll(async () => {
  await gateway?.close();
});

describe('the gateway under hostile input (fast-check, in-process)', () => {
  it('answers every JSON push 2xx or a 4xx naming the field, and publishes the good record beside the bad ones', async () => {
    expectSound(await fuzz(gateway.pushJson, { runs: RUNS, seed: SEED }), RUNS);
  });

  it('answers every NDJSON push 2xx or a 4xx naming the field, and publishes the good record beside the bad lines', async () => {
    expectSound(await fuzz(gateway.pushNdjson, { runs: RUNS, seed: SEED + 1 }), RUNS);
  });

  it('answers every case submission 201 or a 4xx naming the field, and every case taken is on cases.events', async () => {
    expectSound(await fuzz(gateway.cases, { runs: RUNS, seed: SEED + 2 }), RUNS);
  });
});
