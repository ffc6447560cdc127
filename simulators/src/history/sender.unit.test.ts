import { officialCalendar, shanghaiDate } from '@hub/calendar';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.ts';
import { GatewayClient } from '../cases/gateway-client.ts';
import { FakeGateway } from '../cases/testing/fake-gateway.ts';
import { catalogueItems } from '../cases/testing/items.ts';
import { mulberry32 } from '../random.ts';
import { planHistory } from './plan.ts';
import { ProgressBar } from './progress.ts';
import { runsByDay, sendHistory } from './sender.ts';

const calendar = officialCalendar();
const plan = planHistory({ from: '2026-03-02', to: '2026-03-13', seed: 3, perDay: 8, items: catalogueItems, calendar });
const endOfRun = () => new Date('2026-03-13T15:00:00Z');

function recordingLogger() {
  const warnings: object[] = [];
  const errors: object[] = [];
  return { warnings, errors, info: () => undefined, warn: (o: object) => warnings.push(o), error: (o: object) => errors.push(o) };
}

/** Sleeps return at once; what was asked for is kept. */
function instantClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, nowMs: () => 0, sleep: async (ms) => void sleeps.push(ms) };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The Asia/Shanghai day of the step a request carries. */
function dayOf(init: RequestInit | undefined): string {
  const body = JSON.parse(String(init?.body ?? '{}')) as { occurredAt?: string; submittedAt?: string };
  return shanghaiDate(new Date(body.occurredAt ?? body.submittedAt ?? NaN));
}

describe('the history sender (sendHistory)', () => {
  it('given requests answered in random order, then no request of day D+1 starts before every request of day D is answered', async () => {
    const gateway = new FakeGateway(endOfRun);
    const random = mulberry32(11);
    const log: Array<{ event: 'start' | 'end'; day: string }> = [];
    let inFlight = 0;
    let most = 0;
    const slowFetch: typeof fetch = async (input, init) => {
      const day = dayOf(init);
      log.push({ event: 'start', day });
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Answers come back after a random number of turns of the event loop, so the runs of a day interleave.
      for (let n = Math.floor(random() * 5); n > 0; n -= 1) await flush();
      const response = await gateway.fetch(input, init);
      inFlight -= 1;
      log.push({ event: 'end', day });
      return response;
    };
    const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: new Map(), logger: recordingLogger(), fetch: slowFetch, clock: instantClock() });
    const { progress } = await sendHistory(plan, { gateway: client, concurrency: 6 });

    expect(progress).toMatchObject({ failures: 0, daysDone: runsByDay(plan).length, stepsAnswered: progress.steps, casesSubmitted: plan.cases.length });
    const open = new Map<string, number>();
    for (const { event, day } of log) {
      if (event === 'start') {
        for (const [earlier, count] of open) if (earlier < day) expect(count, `a ${day} request started while ${earlier} had ${count} unanswered`).toBe(0);
        open.set(day, (open.get(day) ?? 0) + 1);
      } else {
        open.set(day, (open.get(day) ?? 0) - 1);
      }
    }
    // It did go concurrently, and within its bound.
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(6);
    // Days start in order.
    const starts = log.filter((e) => e.event === 'start').map((e) => e.day);
    expect(starts).toEqual([...starts].sort());
  });

  it('sends each case\'s steps in order, with their own occurredAt and submittedAt, the submission with its idempotency key', async () => {
    const gateway = new FakeGateway(endOfRun);
    const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: new Map(), logger: recordingLogger(), fetch: gateway.fetch, clock: instantClock() });
    const { outcomes } = await sendHistory(plan, { gateway: client, concurrency: 4 });
    const first = plan.cases[0]!;
    const caseId = outcomes[0]!.caseId!;
    const mine = gateway.requests.filter((r) => r.path.includes(caseId));
    expect(mine.map((r) => r.body?.occurredAt)).toEqual(first.steps.slice(1).map((s) => s.at.toISOString()));
    const submitted = gateway.requests.find((r) => r.path === '/v1/cases' && r.body?.submittedAt === first.steps[0]!.at.toISOString());
    expect(submitted).toMatchObject({ as: 'window', status: 201 });
    expect(gateway.states.get(caseId)?.submittedAt).toEqual(first.steps[0]!.at);
  });

  it('given a gateway that answers 503 twice, then the step is sent again after a backoff and the run goes on', async () => {
    const gateway = new FakeGateway(endOfRun);
    gateway.fail(/\/acceptance$/, 503, 2);
    const clock = instantClock();
    const logger = recordingLogger();
    const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: new Map(), logger, fetch: gateway.fetch, clock, backoff: { initialMs: 100, maxMs: 1_000 } });
    const { progress } = await sendHistory(plan, { gateway: client, concurrency: 1 });
    expect(progress.failures).toBe(0);
    expect(progress.stepsAnswered).toBe(progress.steps);
    expect(gateway.requests.filter((r) => r.status === 503)).toHaveLength(2);
    expect(clock.sleeps).toEqual([100, 200]);
    expect(logger.warnings).toHaveLength(2);
    expect(client.stats).toMatchObject({ retries: 2, refused: 0 });
  });

  it('given a step answered 4xx, then it is counted as the case\'s failure and the case\'s later steps are not sent', async () => {
    const gateway = new FakeGateway(endOfRun);
    gateway.fail(/\/acceptance$/, 409, 1);
    const logger = recordingLogger();
    const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: new Map(), logger, fetch: gateway.fetch, clock: instantClock() });
    const progressSeen: number[] = [];
    const { outcomes, progress } = await sendHistory(plan, { gateway: client, concurrency: 1, onProgress: (p) => progressSeen.push(p.failures) });
    const failed = outcomes.filter((o) => o.failure !== undefined);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ stepsAnswered: 1, failure: { status: 409, detail: 'injected 409' } });
    expect(progress.failures).toBe(1);
    expect(progressSeen.at(-1)).toBe(1);
    const caseId = failed[0]!.caseId!;
    expect(gateway.requests.filter((r) => r.path.startsWith(`/v1/cases/${caseId}/`))).toHaveLength(1);
    expect(progress.stepsDone).toBe(progress.steps);
    expect(progress.stepsAnswered).toBe(progress.steps - plan.cases[outcomes.indexOf(failed[0]!)]!.steps.length + 1);
    expect(logger.errors).toHaveLength(1);
  });

  it('stops when aborted, between days', async () => {
    const gateway = new FakeGateway(endOfRun);
    const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: new Map(), logger: recordingLogger(), fetch: gateway.fetch, clock: instantClock() });
    const stop = new AbortController();
    const result = await sendHistory(plan, { gateway: client, signal: stop.signal, onProgress: (p) => (p.daysDone === 2 ? stop.abort() : undefined) });
    expect(result.stopped).toBe(true);
    expect(result.progress.daysDone).toBe(2);
    const days = new Set(gateway.requests.map((r) => dayOf({ body: JSON.stringify(r.body) })));
    expect(days.size).toBe(2);
  });
});

describe('the progress bar', () => {
  const progress = { daysDone: 3, days: 10, casesSubmitted: 30, cases: 100, stepsAnswered: 250, stepsDone: 250, steps: 1000, failures: 1, day: '2026-03-04' };

  it('redraws one line in place on a terminal', () => {
    const written: string[] = [];
    let now = 0;
    const bar = new ProgressBar({ isTTY: true, write: (t: string) => written.push(t) }, () => now);
    now = 1000;
    bar.update(progress);
    now = 1050;
    bar.update({ ...progress, stepsAnswered: 260, stepsDone: 260 }); // within 100 ms: not drawn
    expect(written).toEqual([`\r[######..................]  25% days 3/10 (2026-03-04) · cases 30/100 · steps 250/1000 · 250 steps/s · failures 1\x1b[K`]);
  });

  it('writes a line every 5 % otherwise', () => {
    const written: string[] = [];
    const bar = new ProgressBar({ isTTY: false, write: (t: string) => written.push(t) }, () => 0);
    for (let done = 0; done <= 1000; done += 10) bar.update({ ...progress, stepsDone: done, stepsAnswered: done });
    bar.finish({ ...progress, stepsDone: 1000, stepsAnswered: 1000 });
    expect(written).toHaveLength(21);
    expect(written.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
  });
});
