import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { bearer, memoryAudit, memoryCases, memoryPublisher, personCase, testConfig } from './support.ts';
import { memoryDesks } from './desk.ts';

let app: FastifyInstance;
let audit: ReturnType<typeof memoryAudit>;
let cases: ReturnType<typeof memoryCases>;
const now = new Date('2025-06-01T04:00:00.000Z');

async function build() {
  audit = memoryAudit();
  cases = memoryCases();
  app = await buildApp(testConfig(), { audit, publisher: memoryPublisher(), cases, ...memoryDesks(cases), now: () => now });
  return app;
}
afterEach(async () => {
  await app?.close();
});


const submit = (payload: unknown, headers: Record<string, string> = bearer('window')) =>
  app.inject({ method: 'POST', url: '/v1/cases', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });

describe('POST /v1/cases', () => {
  it('answers 201 with the case id, the event id and a Location, and hands over a CaseSubmitted', async () => {
    await build();
    const response = await submit(personCase);
    expect(response.statusCode).toBe(201);
    const { caseId, eventId } = response.json();
    expect(caseId).toMatch(/^GW-[0-9A-F]{20}$/);
    expect(eventId).toBe(`${caseId}:1`);
    expect(response.headers.location).toBe(`/v1/cases/${caseId}`);
    expect(cases.submitted[0]?.content).toEqual({
      occurredAt: now,
      applicant: { kind: 'PERSON', name: '韦建国', idNumber: personCase.applicant.idNumber, creditCode: null, phone: '13907710000' },
      itemCode: personCase.itemCode,
      itemName: personCase.itemName,
      centreId: 'NN-XN-ZWZX',
      windowId: 'W07',
      divisionCode: '450102',
      documents: [{ name: '个体工商户登记申请书', fileRef: 'dms://nn-xn/2025/06/01/1.pdf' }, { name: '经营场所证明', fileRef: null }],
      channel: 'WINDOW',
    });
    expect(audit.events).toMatchObject([{ actor: 'window', action: 'cases.submit', outcome: 'accepted', status: 201, caseId, eventId }]);
  });

  it('accepts an organisation by its credit code, from a department token too', async () => {
    await build();
    const response = await submit({
      ...personCase,
      applicant: { type: 'organisation', name: '南宁市兴宁区味道餐馆', creditCode: '92450102MA5N3C8E1R' },
      channel: 'online',
      window: undefined,
    }, bearer('tax'));
    expect(response.statusCode).toBe(201);
    expect(cases.submitted[0]?.content).toMatchObject({ applicant: { kind: 'ORGANISATION', creditCode: '92450102MA5N3C8E1R', idNumber: null }, channel: 'ONLINE', windowId: null });
  });

  it('names each field that fails its check', async () => {
    await build();
    const response = await submit({
      ...personCase,
      applicant: { type: 'person', name: '韦建国', idNumber: '450102198503121234', creditCode: '92450102MA5N3C8E1R' },
      divisionCode: '459999',
      window: undefined,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      code: 'VALIDATION',
      errors: [
        { field: 'body.applicant.idNumber', reason: 'check character should be 3, got 4' },
        { field: 'body.applicant.creditCode', reason: 'a person applicant has no credit code' },
        { field: 'body.divisionCode', reason: 'division code 459999 is well formed but names no division' },
        { field: 'body.window', reason: 'a window submission names its window' },
      ],
    });
    expect(cases.submitted).toEqual([]);
    expect(audit.events).toMatchObject([{ actor: 'window', outcome: 'refused', status: 400, reason: { code: 'VALIDATION' } }]);
  });

  it('refuses a body that does not fit the schema', async () => {
    await build();
    const response = await submit({ ...personCase, applicant: { type: 'robot', name: '' }, documents: 'none' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION');
  });

  it('refuses an organisation without a credit code', async () => {
    await build();
    const response = await submit({ ...personCase, applicant: { type: 'organisation', name: '某公司' } });
    expect(response.json().errors).toEqual([{ field: 'body.applicant.creditCode', reason: 'an organisation applicant needs a unified social credit code' }]);
  });

  it('needs a token', async () => {
    await build();
    expect((await submit(personCase, {})).statusCode).toBe(401);
  });

  it('is not the operator\'s to submit', async () => {
    await build();
    const response = await submit(personCase, bearer('operator'));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'GW_FORBIDDEN_CASES', detail: 'the operator may not submit cases' });
    expect(cases.submitted).toEqual([]);
  });

  it('with an Idempotency-Key, gives a retry the same case; a different body under the same key is 409', async () => {
    await build();
    const headers = { ...bearer('window'), 'idempotency-key': 'W07-2025-06-01-0001' };
    const first = await submit(personCase, headers);
    const retry = await submit(personCase, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(cases.submitted).toHaveLength(1);
    expect(cases.submitted[0]?.idempotency).toMatchObject({ owner: 'window', key: 'W07-2025-06-01-0001' });

    const changed = await submit({ ...personCase, itemName: '其他事项' }, headers);
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe('GW_IDEMPOTENCY_KEY_REUSED');
  });
});
