import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AgreementResource } from '@hub/router';
import { buildApp } from '../src/app.ts';
import { memoryDesks, type MemoryDesks } from './desk.ts';
import { bearer, memoryAudit, memoryCases, memoryPublisher, testConfig, type tokens } from './support.ts';

type Who = keyof typeof tokens;

let app: FastifyInstance;
let desks: MemoryDesks;
/** Monday 2 March 2026, 10:00 in Beijing. */
const now = new Date('2026-03-02T02:00:00.000Z');

/** The catalog as the gateway reads it: a conditional, an unconditional and a not-shared resource. */
const catalogue: Record<string, AgreementResource> = {
  'ps.resident-identity': { resourceCode: 'ps.resident-identity', owner: 'ps', sharing: 'conditional', maskedFields: ['idNumber', 'name', 'address'] },
  'market.business-registration': { resourceCode: 'market.business-registration', owner: 'market', sharing: 'unconditional', maskedFields: [] },
  'tax.tax-clearance': { resourceCode: 'tax.tax-clearance', owner: 'tax', sharing: 'not-shared', maskedFields: [] },
};

async function build() {
  const cases = memoryCases();
  desks = memoryDesks(cases);
  app = await buildApp(testConfig(), { audit: memoryAudit(), publisher: memoryPublisher(), cases, ...desks, resources: async (code) => catalogue[code] ?? null, now: () => now });
  return app;
}
afterEach(async () => {
  await app?.close();
});

const call = (who: Who | undefined, method: 'POST' | 'GET' | 'DELETE', url: string, body?: unknown) =>
  app.inject({ method, url, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(who ? bearer(who) : {}) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
const ask = (who: Who, body: unknown) => call(who, 'POST', '/v1/agreements', body);

describe('POST /v1/agreements', () => {
  it('grants an unconditional resource at once: 201 with the agreement and a Location', async () => {
    await build();
    const response = await ask('civil', { resource: 'market.business-registration', purpose: '低保家庭经营情况核查' });
    expect(response.statusCode).toBe(201);
    const { agreementId, status } = response.json();
    expect(agreementId).toMatch(/^AG-[0-9A-F]{20}$/);
    expect(status).toBe('granted');
    expect(response.headers.location).toBe(`/v1/agreements/${agreementId}`);
    expect(desks.agreementDesk.commands[0]).toMatchObject({ type: 'RequestAgreement', data: { subscriber: 'civil', resourceCode: 'market.business-registration', resource: catalogue['market.business-registration'] } });
  });

  it('leaves a conditional one pending for its owner, and refuses a not-shared one with the reason', async () => {
    await build();
    expect((await ask('civil', { resource: 'ps.resident-identity', purpose: '最低生活保障审核', fields: ['idNumber'], divisionPrefix: '4501' })).json()).toMatchObject({ status: 'pending' });
    const refused = await ask('civil', { resource: 'tax.tax-clearance', purpose: '核查' });
    expect(refused.statusCode).toBe(201);
    expect(refused.json()).toMatchObject({ status: 'refused', reason: expect.any(String) });
  });

  it('is 400 naming resource for one\'s own resource or one the catalog does not know, and 403 for a window', async () => {
    await build();
    const own = await ask('ps', { resource: 'ps.resident-identity', purpose: '自用' });
    expect(own.statusCode).toBe(400);
    expect(own.json()).toMatchObject({ refusal: 'OwnResource', errors: [{ field: 'body.resource' }] });
    const unknown = await ask('civil', { resource: 'ps.nothing', purpose: '核查' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ refusal: 'UnknownResource', errors: [{ field: 'body.resource' }] });
    expect((await ask('window', { resource: 'ps.resident-identity', purpose: '核查' })).statusCode).toBe(403);
    expect((await ask('civil', { resource: 'ps.resident-identity', purpose: '核查', divisionPrefix: '45010' })).statusCode).toBe(400);
  });
});

describe('the owner\'s answer, revocation and reads', () => {
  async function pending(): Promise<string> {
    await build();
    return (await ask('civil', { resource: 'ps.resident-identity', purpose: '最低生活保障审核', fields: ['idNumber'] })).json().agreementId;
  }

  it('only the owner approves (403 for the subscriber and others); the approval lets through the fields it names', async () => {
    const id = await pending();
    expect((await call('civil', 'POST', `/v1/agreements/${id}/approval`, { approved: true })).statusCode).toBe(403);
    expect((await call('tax', 'POST', `/v1/agreements/${id}/approval`, { approved: true })).statusCode).toBe(403);
    const approved = await call('ps', 'POST', `/v1/agreements/${id}/approval`, { approved: true, fields: ['idNumber'] });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ agreementId: id, status: 'granted', unmaskedFields: ['idNumber'], dueDate: null });
  });

  it('a refusal needs a reason (400 naming it); a second answer is 409', async () => {
    const id = await pending();
    const noReason = await call('ps', 'POST', `/v1/agreements/${id}/approval`, { approved: false });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ errors: [{ field: 'body.reason' }] });
    expect((await call('ps', 'POST', `/v1/agreements/${id}/approval`, { approved: false, reason: '用途与共享范围不符' })).json()).toMatchObject({ status: 'refused' });
    expect((await call('ps', 'POST', `/v1/agreements/${id}/approval`, { approved: true })).statusCode).toBe(409);
  });

  it('a pending request is due in 10 working days; the parties and the operator read it, another department may not', async () => {
    const id = await pending();
    const read = await call('ps', 'GET', `/v1/agreements/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ status: 'pending', subscriber: 'civil', owner: 'ps', dueDate: '2026-03-16', overdue: false });
    expect((await call('operator', 'GET', `/v1/agreements/${id}`)).statusCode).toBe(200);
    expect((await call('tax', 'GET', `/v1/agreements/${id}`)).statusCode).toBe(403);
    expect((await call('civil', 'GET', '/v1/agreements/AG-NONE')).statusCode).toBe(404);
  });

  it('either party revokes; a stranger may not; the lists show each department its own', async () => {
    const id = await pending();
    expect((await call('tax', 'DELETE', `/v1/agreements/${id}`)).statusCode).toBe(403);
    expect((await call('civil', 'GET', '/v1/agreements')).json().agreements.map((a: { agreementId: string }) => a.agreementId)).toEqual([id]);
    expect((await call('ps', 'GET', '/v1/agreements?department=ps')).json().agreements).toHaveLength(1);
    expect((await call('tax', 'GET', '/v1/agreements?department=ps')).statusCode).toBe(403);
    expect((await call('operator', 'GET', '/v1/agreements')).statusCode).toBe(400);
    const revoked = await call('civil', 'DELETE', `/v1/agreements/${id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked' });
    expect((await call('ps', 'DELETE', `/v1/agreements/${id}`)).statusCode).toBe(409);
  });

  it('is 503 with Retry-After when the router cannot be reached', async () => {
    const id = await pending();
    desks.agreementDesk.failWith = new Error('no broker');
    const response = await call('ps', 'POST', `/v1/agreements/${id}/approval`, { approved: true });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
  });
});
