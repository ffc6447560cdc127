import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCatalog } from '@hub/catalog/testing';
import { createKafka, createLogger, readUntil, type ConsumedRecord, type Kafka } from '@hub/runtime';
import { beijingDate, mulberry32, resourceSimulator, simulatedRegion, simulateRecords } from '@hub/simulators';
import { shanghaiDate } from '@hub/calendar';
import { startServiceProcess, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';
import { devTokens, drive, planCases, testItem, type Gateway } from './driver.ts';
import { problemsOf, readRun, tick } from './verify.ts';

/**
 * 1,000 cases through the real gateway and router (each its own process, as
 * npm start runs them) on the real broker: three co-approvers in two stages,
 * seeded supplements, refusals and late answers, every step with its own
 * event time, sent day by day.
 */
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;
let router: ServiceProcess;
let gatewayProcess: ServiceProcess;
let gateway: Gateway;
const runId = uniqueName('cases');

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = createKafka({ brokers: testBrokers(), clientId: 'router-test', logger: createLogger('router-test', 'warn') });
  const common = { KAFKA_BROKERS: testBrokers(), SCHEMA_REGISTRY_URL: catalog.url, HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-router-')), LOG_LEVEL: 'info' };
  router = await startServiceProcess({ dir: 'services/router', name: 'the router', env: { ...common, ROUTER_INSTANCE_ID: uniqueName('router'), ROUTER_TICK_INTERVAL_MS: '0' }, hostVariable: 'ROUTER_HOST', portVariable: 'ROUTER_PORT' });
  gatewayProcess = await startServiceProcess({ dir: 'services/gateway', name: 'the gateway', env: { ...common, GATEWAY_INSTANCE_ID: uniqueName('gw') }, hostVariable: 'GATEWAY_HOST', portVariable: 'GATEWAY_PORT' });
  gateway = { url: gatewayProcess.url, tokens: devTokens };
}, 180_000);

afterAll(async () => {
  await gatewayProcess?.stop();
  await router?.stop();
  await catalog?.close();
});

describe('sharing agreements through the gateway and the router', () => {
  const call = (who: keyof typeof devTokens | 'civil', method: string, path: string, body?: unknown) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${who === 'civil' ? 'dev-civil-token' : devTokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('a conditional resource of the catalog waits for its owner, who grants it; the parties read and list it; an unconditional one is granted at once', async () => {
    const asked = await call('civil', 'POST', '/v1/agreements', { resource: 'ps.resident-identity', purpose: '最低生活保障审核', fields: ['idNumber'] });
    expect(asked.status, await asked.clone().text()).toBe(201);
    const { agreementId, status } = (await asked.json()) as { agreementId: string; status: string };
    expect(status).toBe('pending');
    expect((await call('tax', 'POST', `/v1/agreements/${agreementId}/approval`, { approved: true })).status).toBe(403);
    const granted = await call('ps', 'POST', `/v1/agreements/${agreementId}/approval`, { approved: true, fields: ['idNumber'] });
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ status: 'granted', unmaskedFields: ['idNumber'] });
    // A read goes to the router after the approval on the same partition: it sees it.
    expect(await (await call('civil', 'GET', `/v1/agreements/${agreementId}`)).json()).toMatchObject({ status: 'granted', owner: 'ps', subscriber: 'civil' });
    const listed = (await (await call('ps', 'GET', '/v1/agreements')).json()) as { agreements: Array<{ agreementId: string }> };
    expect(listed.agreements.map((a) => a.agreementId)).toContain(agreementId);
    expect(await (await call('civil', 'POST', '/v1/agreements', { resource: 'market.business-licence', purpose: '低保家庭经营情况核查' })).json()).toMatchObject({ status: 'granted' });
    expect((await call('ps', 'POST', '/v1/agreements', { resource: 'ps.resident-identity', purpose: '自用' })).status).toBe(400);
  });

  it('delivers the records a granted agreement matches to the subscriber, the fields the owner did not let through masked', async () => {
    // ps asks for the business licences (unconditional: granted at once, nothing let through unmasked). The
    // deliveries go to ps, which no sink suite on this broker consumes.
    const asked = (await (await call('ps', 'POST', '/v1/agreements', { resource: 'market.business-licence', purpose: '户籍与经营主体信息比对' })).json()) as { agreementId: string; status: string };
    expect(asked.status).toBe('granted');
    const now = new Date();
    const context = { region: simulatedRegion(mulberry32(5)), now, today: beijingDate(now) };
    const natives = Array.from(simulateRecords(resourceSimulator('market.business-licence'), mulberry32(6), context, { badShare: 0, count: 20 }), (r) => r.native);
    const pushed = await call('market', 'POST', '/v1/records/market/business-licence', natives);
    expect(pushed.status, await pushed.clone().text()).toBe(202);
    const codes = natives.map((n) => String((n as Record<string, unknown>).TYSHXYDM));
    expect(codes.every((code) => /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code))).toBe(true);
    // The records delivered under this agreement (deliveries.ps also tells ps of the grant itself).
    const underIt = (r: ConsumedRecord) => { const text = r.value?.toString('latin1') ?? ''; return text.includes(asked.agreementId) && text.includes('records.market.business-licence'); };
    const delivered = await readUntil(kafka, 'deliveries.ps', (records) => records.filter(underIt).length >= 20, { logger: createLogger('router-test', 'warn'), timeoutMs: 60_000 });
    const ours = delivered.filter(underIt);
    expect(ours).toHaveLength(20);
    // Not one original credit code in any byte delivered, key or header.
    const bytes = ours.map((r) => Buffer.concat([r.key ?? Buffer.alloc(0), r.value ?? Buffer.alloc(0), ...Object.values(r.headers).map((h) => Buffer.from(String(h)))]).toString('utf8'));
    for (const code of codes) for (const text of bytes) expect(text).not.toContain(code);
  });
});

describe('the router with the gateway', () => {
  it('takes 1,000 cases each to the end its answers imply: every request and alert once, and delivered once', async () => {
    const item = testItem(`TEST.${runId}`);
    const defined = await fetch(`${gateway.url}/v1/items/${item.code}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${devTokens.operator}` }, body: JSON.stringify(item.body) });
    expect(defined.status, await defined.clone().text()).toBe(201);

    const today = shanghaiDate(new Date());
    const start = new Date(`${today}T00:00:00+08:00`);
    start.setTime(start.getTime() - 80 * 86_400_000);
    const plans = planCases({ count: 1000, seed: 7, itemCode: item.code, start, firstDays: 20 });
    const started = performance.now();
    const run = await drive(gateway, plans, { concurrency: 48, runId });
    const seconds = (performance.now() - started) / 1000;
    console.log(`1,000 cases: ${run.steps} steps in ${seconds.toFixed(1)} s (${Math.round(run.steps / seconds)} steps/s through the gateway and router)`);
    expect(run.failures).toEqual([]);

    // The end of the run's last day, as the router's clock: every alert due by then is raised.
    const lastDay = Math.max(...plans.flatMap((p) => p.actions.map((a) => a.day)));
    const until = new Date(start.getTime() + (lastDay + 1) * 86_400_000 - 1);
    await tick(kafka, until);
    const caseIds = new Set(run.caseIds);
    let problems: string[];
    let records: Awaited<ReturnType<typeof readRun>>;
    const deadline = Date.now() + 60_000;
    do {
      // The tick's alerts follow it by a transaction; read again until the log says all there is to say.
      records = await readRun(kafka, catalog.url, caseIds);
      problems = problemsOf(plans, run, records, until);
    } while (problems.some((p) => p.includes('not raised') || p.includes('delivered 0 times')) && Date.now() < deadline);
    expect(problems.slice(0, 20)).toEqual([]);
    // The mix has late answers: supervision had something to say, and said it to the departments.
    const delivered = [...records.deliveries.values()].reduce((sum, list) => sum + list.length, 0);
    console.log(`${records.events.size} cases, ${[...records.events.values()].reduce((n, e) => n + e.length, 0)} events, ${records.alerts.length} alerts, ${delivered} deliveries`);
    expect(records.alerts.length).toBeGreaterThan(10);

    // The windows' view agrees with the log.
    const sample = run.caseIds[17]!;
    const view = await (await fetch(`${gateway.url}/v1/cases/${sample}`, { headers: { authorization: `Bearer ${devTokens.window}` } })).json() as { status: string; tasks: Array<{ dueDate: string }> };
    expect(view.status).toBe(plans[17]!.expected.status);
  }, 600_000);
});
