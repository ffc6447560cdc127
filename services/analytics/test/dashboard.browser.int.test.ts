/// <reference lib="dom" />
// (page.evaluate and waitForFunction callbacks run in the page.)
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { officialCalendar } from '@hub/calendar';
import type { HubEvent } from '@hub/runtime';
import type { ExchangeMonitoring, SupervisionAlert } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { chinaDivisions, SIMULATION_PROVINCE } from '@hub/identifiers';
import { planHistory } from '@hub/simulators';
import { eventually, uniqueName } from '@hub/test-support';
import type { FastifyInstance } from 'fastify';
import { historyEvents, shippedCatalogue } from './support/history.ts';
import { startAnalytics, startTestHub, type TestHub } from './support/hub.ts';

/**
 * The dashboard in headless Chromium (Debian's package, driven by
 * playwright-core) over the analytics service while traffic flows: three
 * months of cases decided by the router's aggregate, supervision alerts on
 * some of them, exchanges between and within departments, and records
 * published all along. Every chart has data, the live throughput follows
 * what is published, a warned case opens its history, the division tree
 * opens from the region down to the villages, the language switch changes
 * the labels; the screenshots go to docs/.
 */
const CHROMIUM = '/usr/bin/chromium';
const docs = join(import.meta.dirname, '..', '..', '..', 'docs');
const calendar = officialCalendar();
const run = uniqueName('dash').replace(/\W/g, '');
const centre = `ZWZX-${run}`;
const plan = planHistory({ from: '2026-09-01', to: '2026-11-27', seed: 11, perDay: 8, items: shippedCatalogue, calendar });
const decided = historyEvents(plan, calendar, { caseIdOf: (i) => `GW-${run}-${i}`, centreId: centre }).events;
/** The planner places a case in a county; here each is placed in one of the county's villages, so that the tree goes down to them. */
const villages = chinaDivisions().codesWithin(SIMULATION_PROVINCE.slice(0, 2), 'village');
const caseEvents = decided.map((event, n) => {
  if (event.type !== 'CaseSubmitted') return event;
  const inCounty = villages.filter((code) => code.startsWith(event.data.divisionCode));
  return inCounty.length === 0 ? event : { ...event, data: { ...event.data, divisionCode: inCounty[n % Math.min(inCounty.length, 6)]! } };
});

/** Warnings on a dozen co-approved cases, overdue on two thirds of them, the legal limit passed on a few. */
function supervisionAlerts(): SupervisionAlert[] {
  const requested = caseEvents.filter((e) => e.type === 'CoApprovalRequested');
  const seen = new Set<string>();
  const alerts: SupervisionAlert[] = [];
  for (const event of requested) {
    if (event.type !== 'CoApprovalRequested' || seen.has(event.data.caseId) || seen.size >= 12) continue;
    seen.add(event.data.caseId);
    const n = seen.size;
    const requestedAt = event.data.occurredAt.getTime();
    const deadline = addDays(new Date(requestedAt).toISOString().slice(0, 10), 5);
    const alert = (level: SupervisionAlert['level'], days: number, remaining: number): SupervisionAlert => ({
      eventId: `${event.data.caseId}:alert:${level}`, occurredAt: new Date(requestedAt + days * 86_400_000), level, caseId: event.data.caseId, requestId: null,
      responsibleDepartment: event.data.coApprover, deadline, limitDays: event.data.dueDays, workingDaysUsed: event.data.dueDays - remaining, workingDaysRemaining: remaining,
    });
    alerts.push(alert('WARNING', 3, 1));
    if (n % 3 !== 0) alerts.push(alert('OVERDUE', 6, -1));
    if (n % 4 === 0) alerts.push(alert('LEGAL_LIMIT_BREACHED', 9, -4));
  }
  return alerts;
}

/** Exchanges over the last fortnight of the plan: between departments (horizontal) and within one across levels (vertical). */
function exchanges(): ExchangeMonitoring[] {
  const pairs: Array<[requester: string, provider: string, perDay: number]> = [
    ['tax', 'ps', 6], ['housing', 'ps', 4], ['land', 'market', 3], ['hrss', 'civil', 2], ['market', 'tax', 3], ['ps', 'ps', 9], ['tax', 'tax', 7], ['land', 'land', 5],
  ];
  const out: ExchangeMonitoring[] = [];
  for (let day = 0; day < 12; day += 1) {
    const date = addDays('2026-11-16', day);
    pairs.forEach(([requester, provider, perDay], p) => {
      for (let i = 0; i < perDay + (day % 3); i += 1) {
        const at = Date.parse(`${date}T02:00:00Z`) + (p * 60 + i) * 1000;
        const id = `${run}:x:${day}:${p}:${i}`;
        out.push({
          ...samples.ExchangeMonitoring,
          eventId: id, exchangeId: id, requestId: id, kind: requester === provider ? 'DELIVERY' : 'ANSWER', requester, provider, resourceCode: `${provider}.resource-${p % 3}`,
          occurredAt: new Date(at + 40), requestInAt: new Date(at), responseOutAt: new Date(at + 10 + ((i * 7) % 90)), succeeded: i % 11 !== 5, faultCode: i % 11 === 5 ? 'timeout' : null,
        });
      }
    });
  }
  return out;
}

/** A calendar day `n` days after `day` (YYYY-MM-DD). */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

const alerts = supervisionAlerts();
const exchangeEvents = exchanges();
const meta = (correlationId: string) => ({ source: '/hub/router', correlationId });

let hub: TestHub;
let app: FastifyInstance;
let base: string;
let context: BrowserContext;
let page: Page;
let profile: string;
let traffic: ReturnType<typeof setInterval> | undefined;
let published = 0;

/** A few records of the ps resident register: what flows all along, for the live throughput. */
async function publishRecords(n: number): Promise<void> {
  const records: HubEvent[] = Array.from({ length: n }, () => {
    published += 1;
    return { type: 'ResidentIdentity', data: { ...samples.ResidentIdentity, eventId: `${run}:resident:${published}` }, metadata: { source: '/connectors/ps' } } as HubEvent;
  });
  await hub.publish(records);
}

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (npm test installs it)`).toBe(true);
  hub = await startTestHub();
  await hub.publish([
    ...caseEvents.map((event) => ({ ...event, metadata: meta(event.data.caseId) }) as HubEvent),
    ...alerts.map((data) => ({ type: 'SupervisionAlert', data, metadata: meta(data.caseId ?? run) }) as HubEvent),
    ...exchangeEvents.map((data) => ({ type: 'ExchangeMonitoring', data, metadata: { source: '/hub/router' } }) as HubEvent),
  ]);
  ({ app } = await startAnalytics(hub));
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  await eventually(async () => {
    const count = async (table: string, where: string) => Number((await app.store.query<{ n: number }>(`SELECT count() AS n FROM ${app.store.table(table)} FINAL WHERE ${where}`, { run }))[0]?.n);
    const done = await count('case_events', `startsWith(caseId, concat('GW-', {run:String}, '-'))`) === caseEvents.length
      && await count('alerts', `startsWith(eventId, concat('GW-', {run:String}, '-'))`) === alerts.length
      && await count('exchanges', `startsWith(eventId, {run:String})`) === exchangeEvents.length;
    return done ? true : undefined;
  }, 120_000, `the ${caseEvents.length} case events, ${alerts.length} alerts and ${exchangeEvents.length} exchanges to be projected`);
  // Traffic flows while the page is open: a few records every half second.
  traffic = setInterval(() => void publishRecords(5).catch(() => {}), 500);

  profile = mkdtempSync(join(tmpdir(), 'hub-dashboard-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // What this machine's closed network needs: no sandbox (root), no GPU, nothing phoning home.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (error) => console.error(`dashboard: ${error.stack ?? error.message}`));
  mkdirSync(docs, { recursive: true });
}, 240_000);

afterAll(async () => {
  if (traffic) clearInterval(traffic);
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await app?.close();
  await hub?.close();
});

const chartNames = ['throughput', 'departments', 'items', 'coapproval', 'supervision', 'matrix', 'network', 'directions', 'divisions'];

/** Each chart's state and how much data it draws, as its element says. */
const chartStates = () => page.evaluate((names) => Object.fromEntries(names.map((name) => {
  const element = document.querySelector<HTMLElement>(`[data-chart="${name}"]`);
  return [name, { state: element?.dataset.state ?? null, points: Number(element?.dataset.points ?? 0), svg: element?.querySelectorAll('svg path, svg text').length ?? 0 }];
})), chartNames);

describe('the dashboard while traffic flows', () => {
  it('draws every chart with data, the KPIs and the warned cases', async () => {
    await page.goto(base);
    await page.waitForFunction((names) => names.every((name) => {
      const element = document.querySelector<HTMLElement>(`[data-chart="${name}"]`);
      return element?.dataset.state === 'drawn' && Number(element.dataset.points) > 0;
    }), chartNames, { timeout: 60_000 });
    const states = await chartStates();
    for (const name of chartNames) {
      expect(states[name], name).toMatchObject({ state: 'drawn' });
      expect(states[name]!.points, name).toBeGreaterThan(0);
      expect(states[name]!.svg, `${name} draws marks`).toBeGreaterThan(2);
    }
    // The co-approval chart names its slowest department, and the figures agree with the API.
    const slowest = await page.getAttribute('[data-chart="coapproval"]', 'data-slowest');
    const overall = (await app.inject({ method: 'GET', url: '/api/v1/figures/co-approval' })).json() as { rows: Array<{ slowestDepartment: string | null }> };
    expect(slowest).toBe(overall.rows[0]?.slowestDepartment);
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('#alerted')?.dataset.rows) > 0);
    const listed = await page.locator('#alerted tbody tr[data-case]').count();
    expect(listed).toBeGreaterThanOrEqual(12);
    const submitted = await page.textContent('[data-kpi="submitted"] .value');
    expect(Number(submitted?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(plan.cases.length);
    await page.screenshot({ path: join(docs, 'dashboard.png'), fullPage: true });
  });

  it('follows the live throughput as records are published', async () => {
    // From the next whole second, a burst of 300 records on top of the trickle (5 every half second): the chart draws them at or after that second.
    const since = new Date(Math.ceil(Date.now() / 1000) * 1000).toISOString().replace('.000', '');
    await eventually(() => (new Date().toISOString() > since ? true : undefined), 2_000, 'the next second');
    await publishRecords(300);
    const drawnSince = await page.waitForFunction((at) => {
      const pairs = JSON.parse(document.querySelector<HTMLElement>('[data-chart="throughput"]')?.dataset.seconds ?? '[]') as Array<[string, number]>;
      const n = pairs.filter(([second]) => second >= at).reduce((sum, [, events]) => sum + events, 0);
      return n >= 300 ? n : false;
    }, since, { timeout: 30_000 });
    expect(await drawnSince.jsonValue()).toBeGreaterThanOrEqual(300);
    expect(await page.getAttribute('[data-chart="throughput"]', 'data-latest')).not.toBe('');
    await page.waitForFunction(() => Number(document.querySelector('[data-kpi="eventsPerSecond"] .value')?.textContent) > 0);
  });

  it('opens a warned case\'s full history', async () => {
    // One of this run's (a shared broker holds other suites' cases too).
    const row = page.locator(`#alerted tbody tr[data-case^="GW-${run}-"]`).first();
    const caseId = await row.getAttribute('data-case');
    await row.click();
    const dialog = page.locator('#case-dialog');
    await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    await page.waitForFunction((id) => {
      const d = document.querySelector<HTMLElement>('#case-dialog');
      return d?.dataset.case === id && Number(d.dataset.events) > 0;
    }, caseId, { timeout: 15_000 });
    const expected = caseEvents.filter((e) => e.data.caseId === caseId).length;
    expect(await page.locator('#case-history li[data-event]').count()).toBe(expected);
    expect(await page.locator('#case-history li[data-event="CaseSubmitted"]').count()).toBe(1);
    expect(await page.locator('#case-alerts .badge').count()).toBeGreaterThan(0);
    expect(await page.textContent('#case-title')).toContain(caseId);
    await dialog.screenshot({ path: join(docs, 'dashboard-case.png') });
    await page.click('#case-close');
    await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
  });

  it('opens the division tree from the region down to the villages, by clicks on the tree', async () => {
    const tree = page.locator('[data-chart="divisions"]');
    for (let depth = 0; depth < 4; depth += 1) {
      // The busiest child of the open division, clicked where the tree draws its label.
      const child = await page.evaluate((level) => {
        // Cases placed at the open division's own level (other suites' on a shared broker) are listed under its own code: not a child to open.
        const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>(`#division-children tbody tr[data-division][data-level="${level}"]`));
        const busiest = rows.sort((a, b) => Number(b.cells[1]?.textContent?.replace(/\D/g, '')) - Number(a.cells[1]?.textContent?.replace(/\D/g, '')))[0];
        return busiest ? { code: busiest.dataset.division!, level: busiest.dataset.level!, name: busiest.cells[0]!.firstChild!.textContent!.trim() } : undefined;
      }, ['province', 'city', 'county', 'town'][depth]!);
      expect(child, `a division below depth ${depth}`).toBeDefined();
      expect(child!.level).toBe(['province', 'city', 'county', 'town'][depth]);
      await tree.locator('svg text', { hasText: new RegExp(`\\s${child!.code}$`) }).click();
      await page.waitForFunction((d) => Number(document.querySelector<HTMLElement>('[data-chart="divisions"]')?.dataset.depth) === d, depth + 1, { timeout: 15_000 });
      expect(await tree.getAttribute('data-path')).toMatch(new RegExp(`${child!.code}$`));
    }
    expect(await tree.getAttribute('data-level')).toBe('village');
    const villages = await page.locator('#division-children tbody tr[data-level="village"]').count();
    expect(villages).toBeGreaterThan(0);
    expect(await page.locator('#division-path button').count()).toBe(5);
    await page.mouse.move(0, 0);
    await page.locator('#divisions-card').screenshot({ path: join(docs, 'dashboard-divisions.png') });
    // The breadcrumb goes back to the region.
    await page.locator('#division-path button[data-depth="0"]').click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-chart="divisions"]')?.dataset.depth === '0');
  });

  it('narrows every figure to a period', async () => {
    const all = Number((await page.textContent('[data-kpi="submitted"] .value'))?.replace(/\D/g, ''));
    await page.fill('#period input[name="from"]', '2026-09-01');
    await page.fill('#period input[name="to"]', '2026-09-30');
    await page.locator('#period input[name="to"]').dispatchEvent('change');
    const september = (await app.inject({ method: 'GET', url: '/api/v1/figures/cases?from=2026-09-01&to=2026-09-30' })).json() as { rows: Array<{ submitted: number }> };
    const expected = september.rows[0]!.submitted;
    expect(expected).toBeLessThan(all);
    await page.waitForFunction((n) => Number(document.querySelector('[data-kpi="submitted"] .value')?.textContent?.replace(/\D/g, '')) === n, expected, { timeout: 15_000 });
    await page.click('[data-preset="all"]');
    await page.waitForFunction((n) => Number(document.querySelector('[data-kpi="submitted"] .value')?.textContent?.replace(/\D/g, '')) >= n, all, { timeout: 15_000 });
  });

  it('switches the labels between Chinese and English', async () => {
    expect(await page.textContent('h1')).toBe('政务数据共享交换平台 · 运行监测');
    expect(await page.locator('[data-chart="departments"] svg text', { hasText: '按时办结率' }).count()).toBeGreaterThan(0);
    await page.click('button[data-lang="en"]');
    await page.waitForFunction(() => document.body.dataset.lang === 'en');
    expect(await page.textContent('h1')).toBe('Data exchange hub · Operations');
    expect(await page.textContent('[data-kpi="onTimeRate"] .name')).toBe('On-time rate');
    expect(await page.locator('[data-chart="departments"] svg text', { hasText: 'On-time rate' }).count()).toBeGreaterThan(0);
    expect(await page.locator('[data-chart="departments"] svg text', { hasText: '按时办结率' }).count()).toBe(0);
    expect(await page.locator('#alerted thead th').first().textContent()).toBe('Case');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-chart="directions"]')?.dataset.state === 'drawn');
    await page.screenshot({ path: join(docs, 'dashboard-en.png'), fullPage: true });
    await page.click('button[data-lang="zh"]');
    await page.waitForFunction(() => document.body.dataset.lang === 'zh');
    expect(await page.textContent('[data-kpi="onTimeRate"] .name')).toBe('按时办结率');
  });
});

describe('the lists the dashboard reads beside the figures', () => {
  it('lists the warned and overdue cases worst first, narrowed by level', async () => {
    const all = (await app.inject({ method: 'GET', url: `/api/v1/supervision/cases?centre=${centre}` })).json() as { total: number; rows: Array<{ caseId: string; worstLevel: string; alerts: number; responsibleDepartment: string }> };
    expect(all.total).toBe(12);
    expect(all.rows.map((r) => r.worstLevel)).toEqual([...Array(3).fill('LEGAL_LIMIT_BREACHED'), ...Array(6).fill('OVERDUE'), ...Array(3).fill('WARNING')]);
    expect(all.rows.reduce((n, r) => n + r.alerts, 0)).toBe(alerts.length);
    const overdue = (await app.inject({ method: 'GET', url: `/api/v1/supervision/cases?centre=${centre}&level=OVERDUE&limit=5` })).json() as { total: number; rows: unknown[] };
    expect(overdue).toMatchObject({ total: 9 });
    expect(overdue.rows).toHaveLength(5);
    const department = all.rows[0]!.responsibleDepartment;
    const byDepartment = (await app.inject({ method: 'GET', url: `/api/v1/supervision/cases?centre=${centre}&department=${department}` })).json() as { rows: Array<{ responsibleDepartment: string }> };
    expect(byDepartment.rows.length).toBeGreaterThan(0);
    expect(byDepartment.rows.every((r) => r.responsibleDepartment === department)).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/api/v1/supervision/cases?level=RED' })).statusCode).toBe(400);
  });

  it('names the division tree\'s children and the path down to them', async () => {
    const tree = (await app.inject({ method: 'GET', url: `/api/v1/figures/division-tree?centre=${centre}&division=4503` })).json() as { path: unknown[]; rows: Array<{ division: string; level: string; name: string; submitted: number }> };
    expect(tree.path).toEqual([{ division: '45', level: 'province', name: '广西壮族自治区' }, { division: '4503', level: 'city', name: '桂林市' }]);
    expect(tree.rows.length).toBeGreaterThan(0);
    expect(tree.rows.every((r) => r.level === 'county' && r.division.startsWith('4503') && r.name !== r.division)).toBe(true);
    const documented = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(documented.paths)).toEqual(expect.arrayContaining(['/api/v1/supervision/cases', '/api/v1/figures/division-tree', '/api/v1/departments']));
    expect(Object.keys(documented.paths)).not.toContain('/');
  });
});

