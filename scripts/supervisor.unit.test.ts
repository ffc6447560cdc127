import { describe, expect, it } from 'vitest';
import { deciderSpecification } from '@hub/decider/testing';
import { supervisor, type SupervisorEvent } from './supervisor.ts';

const spec = deciderSpecification(supervisor({ crashLimit: 5, crashWindowMs: 60_000, backoff: { baseMs: 1_000, maxMs: 30_000 } }));
const second = 1_000;
const serving = (at: number): SupervisorEvent => ({ type: 'ServiceServing', data: { at } });
const crashed = (at: number, reason = 'SIGKILL'): SupervisorEvent => ({ type: 'ServiceCrashed', data: { at, reason } });
const restart = (at: number, delayMs: number, n: number): SupervisorEvent => ({ type: 'RestartScheduled', data: { at, delayMs, restart: n } });
const killed = (at: number) => ({ type: 'ReportExit' as const, data: { at, code: null, signal: 'SIGKILL' } });

describe('the supervisor of a service', () => {
  it('restarts a service that served and then died, after a second, counting the restart', () => {
    spec.given(serving(0)).when(killed(600 * second)).then([crashed(600 * second), restart(600 * second, 1_000, 1)]);
  });

  it('names an exit by its code when no signal ended it', () => {
    spec.given(serving(0)).when({ type: 'ReportExit', data: { at: 5 * second, code: 1, signal: null } }).then([crashed(5 * second, 'exit code 1'), restart(5 * second, 1_000, 1)]);
  });

  it('waits twice as long for each crash within the minute: 1, 2, 4, 8 s', () => {
    const history = [serving(0), crashed(10 * second), restart(10 * second, 1_000, 1), serving(13 * second), crashed(20 * second), restart(20 * second, 2_000, 2), serving(24 * second)];
    spec.given(...history).when(killed(30 * second)).then([crashed(30 * second), restart(30 * second, 4_000, 3)]);
  });

  it('starts again from a second once the earlier crashes are more than a minute old, and keeps counting restarts', () => {
    const history = [serving(0), crashed(10 * second), restart(10 * second, 1_000, 1), crashed(20 * second), restart(20 * second, 2_000, 2), serving(25 * second)];
    spec.given(...history).when(killed(90 * second)).then([crashed(90 * second), restart(90 * second, 1_000, 3)]);
  });

  it('gives up on the fifth crash within a minute', () => {
    const history = [serving(0)];
    for (let n = 1; n <= 4; n++) history.push(crashed(n * 10 * second), restart(n * 10 * second, 1_000 * 2 ** (n - 1), n));
    spec.given(...history).when(killed(55 * second)).then([
      crashed(55 * second),
      { type: 'SupervisionAbandoned', data: { at: 55 * second, why: 'keeps-crashing', crashes: 5, windowMs: 60_000 } },
    ]);
  });

  it('five crashes spread over more than a minute are not "keeps crashing"', () => {
    const history = [serving(0)];
    for (let n = 1; n <= 4; n++) history.push(crashed(n * 20 * second), restart(n * 20 * second, 1_000, n));
    // The crashes at 20 s and 40 s have left the minute before the one at 100 s: the third within it, 4 s.
    spec.given(...history).when(killed(100 * second)).then([crashed(100 * second), restart(100 * second, 4_000, 5)]);
  });

  it('does not restart a service whose first start failed: a bad setting or a taken port does not heal', () => {
    spec.given().when({ type: 'ReportExit', data: { at: 2 * second, code: 1, signal: null } }).then([
      crashed(2 * second, 'exit code 1'),
      { type: 'SupervisionAbandoned', data: { at: 2 * second, why: 'never-served', crashes: 1, windowMs: 60_000 } },
    ]);
  });

  it('restarts a restarted service that died again before it served: it has served once', () => {
    spec.given(serving(0), crashed(10 * second), restart(10 * second, 1_000, 1)).when({ type: 'ReportExit', data: { at: 12 * second, code: 1, signal: null } })
      .then([crashed(12 * second, 'exit code 1'), restart(12 * second, 2_000, 2)]);
  });

  it('records when it serves again', () => {
    spec.given(serving(0), crashed(10 * second), restart(10 * second, 1_000, 1)).when({ type: 'ReportServing', data: { at: 14 * second } }).then([serving(14 * second)]);
  });

  it('refuses anything after it gave up', () => {
    spec.given({ type: 'SupervisionAbandoned', data: { at: 0, why: 'never-served', crashes: 1, windowMs: 60_000 } }).when(killed(1)).thenFails({ type: 'Abandoned' });
  });

  it('keeps only the crashes of the last window', () => {
    const state = spec.given(serving(0), crashed(1 * second), crashed(50 * second), crashed(100 * second)).state();
    expect(state).toEqual({ served: true, crashes: [50 * second, 100 * second], restarts: 0, abandoned: false });
  });
});
