import { expect } from 'vitest';
import type { Tally } from './runner.ts';

/** What every fuzz suite holds an entry point to: no 5xx, no crash, no good record lost, every 4xx explained. */
export function expectSound(tally: Tally, runs: number): void {
  console.info(`${tally.entryPoint}: ${tally.inputs} inputs in ${tally.seconds.toFixed(1)} s, ${tally.answered2xx} 2xx, ${tally.answered4xx} 4xx`);
  expect(tally.inputs).toBe(runs);
  expect({ answered5xx: tally.answered5xx, crashes: tally.crashes, lost: tally.lost, unexplained4xx: tally.unexplained4xx, findings: tally.findings })
    .toEqual({ answered5xx: 0, crashes: 0, lost: 0, unexplained4xx: 0, findings: [] });
  // The hostile inputs reach both sides of the contract: some are taken (with their bad records named), some refused.
  expect(tally.answered2xx).toBeGreaterThan(0);
}
