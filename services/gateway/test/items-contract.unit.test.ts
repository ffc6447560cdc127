import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { shippedItems } from '@hub/router';
import { buildApp } from '../src/app.ts';
import { memoryDesks, type MemoryDesks } from './desk.ts';
import { bearer, memoryAudit, memoryCases, memoryPublisher, personCase, testConfig, type tokens } from './support.ts';

type Who = keyof typeof tokens;

let app: FastifyInstance;
let audit: ReturnType<typeof memoryAudit>;
let desks: MemoryDesks;
const now = new Date('2025-06-10T04:00:00.000Z');

async function build() {
  audit = memoryAudit();
  const cases = memoryCases();
  desks = memoryDesks(cases, { definedAt: new Date('2025-01-01T00:00:00.000Z') });
  app = await buildApp(testConfig(), { audit, publisher: memoryPublisher(), cases, ...desks, now: () => now });
  return app;
}
afterEach(async () => {
  await app?.close();
});

const define = (who: Who | undefined, itemCode: string, body: unknown) =>
  app.inject({ method: 'PUT', url: `/v1/items/${encodeURIComponent(itemCode)}`, headers: { 'content-type': 'application/json', ...(who ? bearer(who) : {}) }, payload: JSON.stringify(body) });
const list = (who: Who) => app.inject({ method: 'GET', url: '/v1/items', headers: bearer(who) });

/** 个体工商户设立登记: market leads, tax then ps, with a certificate and no fee. */
const soleTrader = {
  name: '个体工商户设立登记',
  leadDepartment: 'market',
  legalDays: 15,
  promisedDays: 3,
  stages: [{ departments: ['tax'], dueDays: 1 }, { departments: ['ps'], dueDays: 1 }],
  certificateType: '营业执照',
};
const SOLE_TRADER = '11450100MB1534568L4000117009000';

describe('PUT /v1/items/{itemCode}', () => {
  it('defines an item (201), takes the same definition again as no change (200), and a new one as version 2', async () => {
    await build();
    const first = await define('operator', SOLE_TRADER, soleTrader);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ itemCode: SOLE_TRADER, version: 1, changed: true });

    const again = await define('operator', SOLE_TRADER, soleTrader);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ itemCode: SOLE_TRADER, version: 1, changed: false });

    const redefined = await define('operator', SOLE_TRADER, { ...soleTrader, promisedDays: 2, fee: { amount: '10.00', basis: '工本费' } });
    expect(redefined.statusCode).toBe(200);
    expect(redefined.json()).toEqual({ itemCode: SOLE_TRADER, version: 2, changed: true });

    const item = (await list('operator')).json().items.find((entry: { itemCode: string }) => entry.itemCode === SOLE_TRADER);
    expect(item).toEqual({
      itemCode: SOLE_TRADER,
      ...soleTrader,
      promisedDays: 2,
      fee: { amount: '10.00', basis: '工本费' },
      version: 2,
      definedAt: now.toISOString(),
    });
    expect(audit.events.filter((event) => event.action === 'items.define')).toMatchObject([
      { actor: 'operator', target: SOLE_TRADER, outcome: 'accepted', status: 201, itemVersion: 1 },
      { outcome: 'accepted', status: 200, itemVersion: 1 },
      { outcome: 'accepted', status: 200, itemVersion: 2 },
    ]);
    expect((await app.inject('/metrics')).body).toMatch(/gateway_item_definitions_total\{outcome="changed"[^}]*\} 2/);
  });

  it('redefines a shipped item: cases accepted afterwards follow it', async () => {
    await build();
    const shipped = shippedItems.find((item) => item.code === personCase.itemCode);
    if (!shipped) throw new Error('the sample case\'s item is shipped');
    const { code: _code, ...definition } = shipped;
    const response = await define('operator', shipped.code, { ...definition, promisedDays: 4 });
    expect(response.json()).toEqual({ itemCode: shipped.code, version: 2, changed: true });

    const submitted = await app.inject({ method: 'POST', url: '/v1/cases', headers: { ...bearer('window'), 'content-type': 'application/json' }, payload: JSON.stringify({ ...personCase, submittedAt: '2025-06-03T01:00:00.000Z' }) });
    const { caseId } = submitted.json();
    const acceptance = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/acceptance`, headers: { ...bearer('window'), 'content-type': 'application/json' }, payload: JSON.stringify({ accepted: true, occurredAt: '2025-06-03T01:30:00.000Z' }) });
    // Four working days from Wednesday 4 June.
    expect(acceptance.json().case).toMatchObject({ leadDepartment: 'market', promisedDueDate: '2025-06-09' });
  });

  it('names each field of a bad definition, as the router\'s item rules find them, unknown ones too', async () => {
    await build();
    const response = await define('operator', 'ITEM-1', {
      name: ' ',
      leadDepartment: 'customs',
      legalDays: 70,
      promisedDays: 5,
      stages: [{ departments: ['land', 'land'], dueDays: 9 }],
      fee: { amount: '80', basis: '依据' },
      certificateTyp: '证',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem).toMatchObject({ code: 'VALIDATION', detail: 'the item definition is not valid', instance: '/v1/items/ITEM-1' });
    expect(problem.errors.map((error: { field: string }) => error.field)).toEqual([
      'body.certificateTyp',
      'body.name',
      'body.leadDepartment',
      'body.legalDays',
      'body.stages.0.departments.1',
      'body.stages.0.dueDays',
      'body.fee.amount',
    ]);
    expect(problem.errors[3]).toEqual({ field: 'body.legalDays', reason: 'legal limit: whole working days from 1 to 60 (45, +15 with approval, 行政许可法 第四十二条)' });
    expect(audit.events.at(-1)).toMatchObject({ actor: 'operator', action: 'items.define', target: 'ITEM-1', outcome: 'refused', status: 400, reason: { code: 'VALIDATION' } });
    expect((await list('operator')).json().items.map((item: { itemCode: string }) => item.itemCode)).not.toContain('ITEM-1');
  });

  it('refuses a body or an item code that does not fit the schema', async () => {
    await build();
    const notANumber = await define('operator', 'ITEM-1', { ...soleTrader, legalDays: 'fifteen' });
    expect(notANumber.statusCode).toBe(400);
    expect(notANumber.json().errors).toEqual([expect.objectContaining({ field: 'body.legalDays' })]);
    const longName = await define('operator', 'ITEM-1', { ...soleTrader, name: '事'.repeat(101) });
    expect(longName.json().errors).toEqual([expect.objectContaining({ field: 'body.name' })]);
    const badCode = await define('operator', '-item', soleTrader);
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().errors).toEqual([expect.objectContaining({ field: 'params.itemCode' })]);
  });

  it('is the operator\'s alone: 403 for a department and a window, 401 without a token', async () => {
    await build();
    for (const who of ['market', 'window'] as const) {
      const response = await define(who, SOLE_TRADER, soleTrader);
      expect(response.statusCode, who).toBe(403);
      expect(response.json().code).toBe('GW_FORBIDDEN_ITEMS');
    }
    expect((await define('market', SOLE_TRADER, soleTrader)).json().detail).toBe('department market may not define items: only the operator does');
    expect(audit.events.at(-1)).toMatchObject({ actor: 'market', action: 'items.define', target: SOLE_TRADER, outcome: 'refused', status: 403 });
    expect((await define(undefined, SOLE_TRADER, soleTrader)).statusCode).toBe(401);
  });

  it('answers 503 with Retry-After when the router cannot be reached', async () => {
    await build();
    desks.itemDesk.failWith = new Error('request timed out after 10000 ms');
    const response = await define('operator', SOLE_TRADER, soleTrader);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).not.toContain('timed out');
    expect((await list('window')).statusCode).toBe(503);
  });
});

describe('GET /v1/items', () => {
  it('lists every item with its version and definition time, to the operator, the windows and any department', async () => {
    await build();
    for (const who of ['operator', 'window', 'tax', 'housing'] as const) expect((await list(who)).statusCode, who).toBe(200);
    const { items } = (await list('tax')).json();
    expect(items).toHaveLength(shippedItems.length);
    expect(items.map((item: { itemCode: string }) => item.itemCode)).toEqual(shippedItems.map((item) => item.code).sort());
    expect(items.find((item: { itemCode: string }) => item.itemCode === '11450100MB190375424000118002000')).toEqual({
      itemCode: '11450100MB190375424000118002000',
      name: '不动产转移登记',
      leadDepartment: 'land',
      legalDays: 30,
      promisedDays: 5,
      stages: [{ departments: ['tax'], dueDays: 2 }],
      fee: { amount: '80.00', basis: '不动产登记费：住宅类每件80元（国家发展改革委 财政部 发改价格规〔2016〕2559号）' },
      certificateType: '不动产权证书',
      version: 1,
      definedAt: '2025-01-01T00:00:00.000Z',
    });
    // A free item without a certificate.
    expect(items.find((item: { itemCode: string }) => item.itemCode === '11450100MB1685275F4000122009000')).toMatchObject({ fee: null, certificateType: null, stages: [] });
    expect(audit.events.at(-1)).toMatchObject({ actor: 'tax', action: 'items.list', target: 'items', outcome: 'accepted', status: 200 });
  });

  it('is documented with the item definition', async () => {
    await build();
    const document = (await app.inject('/docs/json')).json();
    expect(Object.keys(document.paths['/v1/items/{itemCode}'].put.responses).sort()).toEqual(['200', '201', '400', '401', '403', '503']);
    expect(Object.keys(document.paths['/v1/items'].get.responses).sort()).toEqual(['200', '401', '403', '503']);
    expect(document.tags).toContainEqual(expect.objectContaining({ name: 'items' }));
  });
});
