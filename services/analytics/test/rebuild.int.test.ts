import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCalendar } from '@hub/calendar';
import type { HubEvent } from '@hub/runtime';
import { groundTruth, planHistory } from '@hub/simulators';
import { eventually, freePort, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';
import { historyEvents, shippedCatalogue } from './support/history.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { startAnalyticsProcess } from './support/process.ts';

/**
 * `npm run analytics -- rebuild`: the projection dropped and made again from
 * the start of the topics, with a progress bar; the rebuilt figures equal the
 * live ones.
 */
const repositoryRoot = resolve(import.meta.dirname, '..', '..', '..');
const calendar = officialCalendar();
const run = uniqueName('rebuild').replace(/\W/g, '');
const centre = `ZWZX-${run}`;
const plan = planHistory({ from: '2026-06-01', to: '2026-07-31', seed: 5, perDay: 30, items: shippedCatalogue, calendar });
const { events, outcomes } = historyEvents(plan, calendar, { caseIdOf: (i) => `GW-${run}-${i}`, centreId: centre });
const truth = groundTruth(plan, calendar, outcomes);

let hub: TestHub;
let service: ServiceProcess | undefined;
let env: Record<string, string>;
let port: number;

function rebuild(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/analytics/src/cli.ts', 'rebuild'], { cwd: repositoryRoot, env: { ...process.env, ...env, ANALYTICS_PORT: String(port) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

const figures = async () => {
  const get = async (path: string) => ((await (await fetch(`${service!.url}${path}`)).json()) as { rows: unknown[] }).rows;
  return {
    cases: await get(`/api/v1/figures/cases?centre=${centre}&groupBy=item`),
    days: await get(`/api/v1/figures/cases?centre=${centre}&groupBy=day`),
    coApproval: await get(`/api/v1/figures/co-approval?centre=${centre}&to=${plan.to}&groupBy=department`),
  };
};

beforeAll(async () => {
  hub = await startTestHub();
  port = await freePort();
  env = { KAFKA_BROKERS: testBrokers(), SCHEMA_REGISTRY_URL: hub.registryUrl, HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-analytics-rebuild-')), ANALYTICS_GROUP_ID: uniqueName('analytics-rebuild'), ANALYTICS_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'warn' };
  await hub.publish(events.map((event) => ({ ...event, metadata: { source: '/hub/router', correlationId: event.data.caseId } }) as HubEvent));
  service = await startAnalyticsProcess(env, port);
  await eventually(async () => {
    const [overall] = ((await (await fetch(`${service!.url}/api/v1/figures/cases?centre=${centre}`)).json()) as { rows: Array<{ submitted: number; reviews: number }> }).rows;
    return overall?.submitted === truth.overall.submitted && overall.reviews === truth.overall.reviews ? true : undefined;
  }, 180_000, 'the history to be projected');
}, 300_000);

afterAll(async () => {
  await service?.stop();
  await hub?.close();
});

describe('npm run analytics -- rebuild', () => {
  it('refuses while the service runs, naming why', async () => {
    const { code, stderr } = await rebuild();
    expect(code).toBe(2);
    expect(stderr).toContain('stop it first');
  });

  it('rebuilds from the start of the topics with a progress bar, and the figures are the live ones', async () => {
    const live = await figures();
    expect(await service!.stop()).toBe(0);
    service = undefined;
    const { code, stdout, stderr } = await rebuild();
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/\[#{24}\] 100% [\d,]+\/[\d,]+ events · [\d,]+ events\/s · ETA 0:00/);
    const summary = /rebuilt: ([\d,]+) of ([\d,]+) records in ([\d.]+) s \(([\d,]+) events\/s\)/.exec(stdout);
    expect(summary, stdout).not.toBeNull();
    console.info(`rebuild: ${stderr.trim().split('\n').at(-1)}\n${summary![0]}`);
    expect(Number(summary![1]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(events.length);
    service = await startAnalyticsProcess(env, port);
    expect(await figures()).toEqual(live);
    expect(live.cases.length).toBe(Object.keys(truth.byItem).length);
  }, 600_000);
});
