import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCatalog } from '@hub/catalog/testing';
import { createKafka, createLogger, type Kafka } from '@hub/runtime';
import { shanghaiDate } from '@hub/calendar';
import { freePort, startServiceProcess, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';
import { devTokens, drive, planCases, testItem, type Gateway } from './driver.ts';
import { problemsOf, readRun, tick } from './verify.ts';

/**
 * kill -9 of a router while steps are in flight. The gateway waits for the
 * router's answer (GATEWAY_ROUTER_TIMEOUT_MS) while the group hands the dead
 * instance's partitions over, which takes its session timeout (10 s here);
 * then every step is answered once and nothing is lost or written twice.
 */
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;
let gatewayProcess: ServiceProcess;
let gateway: Gateway;
let common: Record<string, string>;
const running = new Set<ServiceProcess>();

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = createKafka({ brokers: testBrokers(), clientId: 'router-crash-test', logger: createLogger('router-crash-test', 'warn') });
  common = { KAFKA_BROKERS: testBrokers(), SCHEMA_REGISTRY_URL: catalog.url, HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-router-crash-')), LOG_LEVEL: 'info' };
  gatewayProcess = await startServiceProcess({ dir: 'services/gateway', name: 'the gateway', env: { ...common, GATEWAY_INSTANCE_ID: uniqueName('gw'), GATEWAY_ROUTER_TIMEOUT_MS: '90000' }, hostVariable: 'GATEWAY_HOST', portVariable: 'GATEWAY_PORT' });
  gateway = { url: gatewayProcess.url, tokens: devTokens };
}, 180_000);

afterAll(async () => {
  await gatewayProcess?.stop();
  for (const router of running) await router.stop();
  await catalog?.close();
});

async function startRouter(name: string, port?: number): Promise<ServiceProcess> {
  const router = await startServiceProcess({
    dir: 'services/router',
    name,
    env: { ...common, ROUTER_INSTANCE_ID: name, ROUTER_TICK_INTERVAL_MS: '0', ROUTER_SESSION_TIMEOUT_MS: '10000' },
    hostVariable: 'ROUTER_HOST',
    portVariable: 'ROUTER_PORT',
    ...(port === undefined ? {} : { port }),
  });
  running.add(router);
  return router;
}

async function killHard(router: ServiceProcess): Promise<void> {
  await router.killHard();
  running.delete(router);
}

/** Runs `count` cases, calling `crash` a moment into day `crashDay` while that day's steps are in flight; checks the log. */
async function runWithCrash(label: string, count: number, crash: () => Promise<void>): Promise<void> {
  const runId = uniqueName(label);
  const item = testItem(`TEST.${runId}`);
  const defined = await fetch(`${gateway.url}/v1/items/${item.code}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${devTokens.operator}` }, body: JSON.stringify(item.body) });
  expect(defined.status, await defined.clone().text()).toBe(201);
  const start = new Date(`${shanghaiDate(new Date())}T00:00:00+08:00`);
  start.setTime(start.getTime() - 60 * 86_400_000);
  const plans = planCases({ count, seed: 11, itemCode: item.code, start, firstDays: 8 });
  let crashed: Promise<void> | undefined;
  const run = await drive(gateway, plans, {
    concurrency: 32,
    runId,
    onDay(day) {
      // In the middle of the busiest days, with the day's steps on their way.
      if (day === 6) crashed = new Promise((resolve) => setTimeout(resolve, 150)).then(crash);
    },
  });
  await crashed;
  expect(run.failures).toEqual([]);
  const lastDay = Math.max(...plans.flatMap((p) => p.actions.map((a) => a.day)));
  const until = new Date(start.getTime() + (lastDay + 1) * 86_400_000 - 1);
  await tick(kafka, until);
  let problems: string[];
  let records: Awaited<ReturnType<typeof readRun>>;
  const deadline = Date.now() + 60_000;
  do {
    records = await readRun(kafka, catalog.url, new Set(run.caseIds));
    problems = problemsOf(plans, run, records, until);
  } while (problems.some((p) => p.includes('not raised') || p.includes('delivered 0 times')) && Date.now() < deadline);
  expect(problems.slice(0, 20)).toEqual([]);
  expect(records.alerts.length).toBeGreaterThan(0);
}

describe('kill -9 of the router under load', () => {
  it('one instance killed and restarted: every case completes, no event lost or duplicated', async () => {
    const port = await freePort();
    const first = await startRouter(uniqueName('router-a'), port);
    await runWithCrash('crash-one', 300, async () => {
      await killHard(first);
      const healed = Date.now();
      const second = await startRouter(uniqueName('router-a2'), port);
      await second.waitFor((line) => line.msg === 'partition taken over', 60_000, 'the restarted router to take a partition over');
      console.log(`kill -9: the restarted router took its first partition over after ${((Date.now() - healed) / 1000).toFixed(1)} s`);
    });
  }, 600_000);

  it('two instances sharing the partitions, one killed mid-run: the other takes its partitions over', async () => {
    for (const router of running) await router.stop();
    running.clear();
    const a = await startRouter(uniqueName('router-a'));
    const b = await startRouter(uniqueName('router-b'));
    await b.waitFor((line) => line.msg === 'partitions assigned' && Array.isArray(line.assignment) && line.assignment.length > 0, 60_000, 'router b to hold partitions');
    await runWithCrash('crash-two', 300, async () => {
      const before = b.lines.filter((line) => line.msg === 'partition taken over').length;
      await killHard(a);
      await b.waitFor(() => b.lines.filter((line) => line.msg === 'partition taken over').length > before, 60_000, 'router b to take router a\'s partitions over');
    });
  }, 600_000);
});
