import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generateResidentId } from '@hub/identifiers';
import { buildApp } from '../src/app.ts';
import { memoryDesks } from './desk.ts';
import { memoryExchangeDesk, type MemoryExchangeDesk } from './exchange-desk.ts';
import { bearer, memoryAudit, memoryCases, memoryPublisher, testConfig, type tokens } from './support.ts';

type Who = keyof typeof tokens;

let app: FastifyInstance;
let desk: MemoryExchangeDesk;
let audit: ReturnType<typeof memoryAudit>;
const now = new Date('2026-03-02T02:00:00.000Z');

const idNumber = generateResidentId({ division: '450102', birthDate: '1985-03-12', sequence: 123 });
const resident = { idNumber, name: '韦建国', sex: 'MALE', birthDate: '1985-03-12', address: '广西壮族自治区南宁市兴宁区朝阳路12号', divisionCode: '450102' };
const unknownId = generateResidentId({ division: '450102', birthDate: '1990-01-01', sequence: 8 });

/** ps.resident-identity is streamed into the hub; land.land-use-right is not: it is forwarded to land's system. */
async function build(options: { deadlineMs?: number } = {}) {
  const cases = memoryCases();
  audit = memoryAudit();
  desk = memoryExchangeDesk({
    resources: {
      'ps.resident-identity': {
        owner: 'ps',
        keyFields: ['idNumber'],
        taggedFields: [{ path: 'idNumber', tags: ['ID_NUMBER'] }, { path: 'name', tags: ['NAME'] }, { path: 'address', tags: ['ADDRESS'] }],
        records: [resident],
      },
      'land.land-use-right': { owner: 'land', keyFields: ['certificateNo'], taggedFields: [{ path: 'holderName', tags: ['NAME'] }] },
    },
    agreements: [{ subscriber: 'civil', resource: 'ps.resident-identity' }, { subscriber: 'housing', resource: 'land.land-use-right' }],
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    now: () => now,
  });
  app = await buildApp(testConfig(), { audit, publisher: memoryPublisher(), cases, ...memoryDesks(cases), exchangeDesk: desk, resources: async () => null, now: () => now });
  return app;
}
afterEach(async () => {
  await app?.close();
});

const call = (who: Who | undefined, method: 'POST' | 'GET', url: string, body?: unknown) =>
  app.inject({ method, url, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(who ? bearer(who) : {}) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
const ask = (who: Who | undefined, body: unknown) => call(who, 'POST', '/v1/exchange/requests', body);
const question = { resource: 'ps.resident-identity', key: { idNumber }, purpose: '最低生活保障审核' };

describe('POST /v1/exchange/requests', () => {
  it('answers a question under a granted agreement with the record, masked', async () => {
    await build();
    const response = await ask('civil', question);
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer).toMatchObject({ requestId: expect.stringMatching(/^DR-/), status: 'answered', maskedFields: ['idNumber', 'name', 'address'] });
    expect(answer.record).toMatchObject({ idNumber: `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`, name: '韦**', birthDate: '1985-03-12' });
    expect(JSON.stringify(answer)).not.toContain(idNumber);
    expect(audit.events.at(-1)).toMatchObject({ action: 'exchange.request', actor: 'civil', target: answer.requestId, outcome: 'accepted', status: 200, exchangeStatus: 'answered' });
  });

  it('verifies values: only matches, true or false, and no record', async () => {
    await build();
    const response = await ask('civil', { ...question, verify: { name: '韦建国', birthDate: '19850313' } });
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer).toEqual({ requestId: expect.any(String), status: 'answered', matches: { name: true, birthDate: false } });
    expect(JSON.stringify(answer)).not.toContain('韦');
  });

  it('is not-found for a key the hub has no record of, and refused with the reason without an agreement', async () => {
    await build();
    expect((await ask('civil', { ...question, key: { idNumber: unknownId } })).json()).toMatchObject({ status: 'not-found' });
    const refused = await ask('tax', question);
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'refused', reason: expect.stringContaining('no granted agreement') });
    expect(refused.json().record).toBeUndefined();
  });

  it('takes the requester from the token, never from the body', async () => {
    await build();
    const response = await ask('tax', { ...question, requester: 'civil' });
    expect(response.json()).toMatchObject({ status: 'refused' });
    expect(desk.asked.at(-1)).toMatchObject({ requester: 'tax' });
  });

  it('is 401 without a token, 403 for a window or the operator', async () => {
    await build();
    expect((await ask(undefined, question)).statusCode).toBe(401);
    for (const who of ['window', 'operator'] as const) {
      const response = await ask(who, question);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'GW_FORBIDDEN_EXCHANGE' });
    }
    expect(desk.asked).toHaveLength(0);
    expect(audit.events.map((e) => e.status)).toEqual([401, 403, 403]);
  });

  it.each([
    ['no key', { resource: 'ps.resident-identity', purpose: 'x' }, 'body.key'],
    ['an empty key', { ...question, key: {} }, 'body.key'],
    ['a key of too many fields', { ...question, key: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, 'x'])) }, 'body.key'],
    ['a key value too long', { ...question, key: { idNumber: 'x'.repeat(201) } }, 'body.key.idNumber'],
    ['a field name that is no field', { ...question, key: { 'id number': idNumber } }, 'body.key'],
    ['a verify of too many fields', { ...question, verify: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, 'x'])) }, 'body.verify'],
    ['a verify value too long', { ...question, verify: { address: 'x'.repeat(501) } }, 'body.verify.address'],
    ['no purpose', { resource: 'ps.resident-identity', key: { idNumber } }, 'body.purpose'],
    ['a resource code that is none', { ...question, resource: 'PS resident' }, 'body.resource'],
  ])('is 400 naming the field for %s', async (_case, body, field) => {
    await build();
    const response = await ask('civil', body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'VALIDATION', errors: expect.arrayContaining([expect.objectContaining({ field })]) });
    expect(desk.asked).toHaveLength(0);
  });

  it('answers the router\'s 400 as the gateway\'s, naming the body\'s field', async () => {
    await build();
    const wrongKey = await ask('civil', { ...question, key: { name: '韦建国' } });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.json()).toMatchObject({ code: 'VALIDATION', refusal: 'InvalidRequest', errors: [{ field: 'body.key.name' }] });
    const unknownField = await ask('civil', { ...question, verify: { passport: 'E123' } });
    expect(unknownField.json()).toMatchObject({ errors: [{ field: 'body.verify.passport' }] });
    expect((await ask('civil', { ...question, resource: 'ps.passports' })).json()).toMatchObject({ errors: [{ field: 'body.resource' }] });
  });

  it('is 503 with Retry-After when the router cannot be reached', async () => {
    await build();
    desk.failWith = new Error('connect ECONNREFUSED 127.0.0.1:8085');
    const response = await ask('civil', question);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ code: 'GW_UNAVAILABLE' });
    expect(response.body).not.toContain('ECONNREFUSED');
  });
});

describe('a request forwarded to the owner\'s system', () => {
  const landQuestion = { resource: 'land.land-use-right', key: { certificateNo: '桂(2025)南宁市不动产权第0012345号' }, purpose: '公租房申请资格审核' };

  it('is answered when the owner replies: the requester gets the record, masked; a second reply is 409', async () => {
    await build();
    const pending = ask('housing', landQuestion);
    await expect.poll(() => desk.forwarded.length).toBe(1);
    const { requestId } = desk.forwarded[0]!;
    expect(desk.forwarded[0]).toMatchObject({ owner: 'land', requester: 'housing', verifyFields: null });
    const reply = await call('land', 'POST', `/v1/exchange/requests/${requestId}/response`, { status: 'answered', record: { certificateNo: landQuestion.key.certificateNo, holderName: '黄丽', area: '89.50' } });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ requestId, status: 'answered' });
    const answer = (await pending).json();
    expect(answer).toMatchObject({ requestId, status: 'answered', record: { holderName: '黄*', area: '89.50' }, maskedFields: ['holderName'] });
    const again = await call('land', 'POST', `/v1/exchange/requests/${requestId}/response`, { status: 'not-found' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'GW_REQUEST_CLOSED', refusal: 'RequestClosed' });
  });

  it('a verification forwarded is answered with the matches only', async () => {
    await build();
    const pending = ask('housing', { ...landQuestion, verify: { holderName: '黄丽' } });
    await expect.poll(() => desk.forwarded.length).toBe(1);
    const { requestId, verifyFields } = desk.forwarded[0]!;
    expect(verifyFields).toEqual(['holderName']);
    await call('land', 'POST', `/v1/exchange/requests/${requestId}/response`, { status: 'answered', record: { holderName: '黄丽' } });
    expect((await pending).json()).toEqual({ requestId, status: 'answered', matches: { holderName: true } });
  });

  it('only the owner replies (403), the reply is checked (400 naming the field), an unknown request is 404', async () => {
    await build();
    const pending = ask('housing', landQuestion);
    await expect.poll(() => desk.forwarded.length).toBe(1);
    const { requestId } = desk.forwarded[0]!;
    const url = `/v1/exchange/requests/${requestId}/response`;
    const stranger = await call('tax', 'POST', url, { status: 'not-found' });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json()).toMatchObject({ code: 'GW_NOT_YOUR_REQUEST' });
    expect((await call('window', 'POST', url, { status: 'not-found' })).statusCode).toBe(403);
    expect((await call('land', 'POST', url, { status: 'maybe' })).json()).toMatchObject({ errors: expect.arrayContaining([expect.objectContaining({ field: 'body.status' })]) });
    expect((await call('land', 'POST', url, { status: 'answered' })).json()).toMatchObject({ errors: [{ field: 'body.record' }] });
    expect((await call('land', 'POST', '/v1/exchange/requests/DR-999999/response', { status: 'not-found' })).statusCode).toBe(404);
    await call('land', 'POST', url, { status: 'not-found', reason: '查无此证' });
    expect((await pending).json()).toMatchObject({ status: 'not-found' });
  });

  it('is answered timeout when its deadline passes; a reply after it is 409', async () => {
    await build({ deadlineMs: 50 });
    const answer = (await ask('housing', landQuestion)).json();
    expect(answer).toMatchObject({ status: 'timeout' });
    const late = await call('land', 'POST', `/v1/exchange/requests/${answer.requestId}/response`, { status: 'not-found' });
    expect(late.statusCode).toBe(409);
  });
});

describe('GET /v1/exchange/requests/{requestId}', () => {
  it('shows the requester and the owner the request and its answer; others are 403, an unknown one 404', async () => {
    await build();
    const { requestId } = (await ask('civil', { ...question, verify: { name: '韦建国' } })).json();
    for (const who of ['civil', 'ps'] as const) {
      const read = await call(who, 'GET', `/v1/exchange/requests/${requestId}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual({ requestId, status: 'answered', matches: { name: true }, requester: 'civil', owner: 'ps', resource: 'ps.resident-identity', askedAt: now.toISOString(), answeredAt: now.toISOString() });
    }
    expect((await call('tax', 'GET', `/v1/exchange/requests/${requestId}`)).statusCode).toBe(403);
    expect((await call('operator', 'GET', `/v1/exchange/requests/${requestId}`)).statusCode).toBe(403);
    expect((await call('civil', 'GET', '/v1/exchange/requests/DR-999999')).statusCode).toBe(404);
    expect((await call(undefined, 'GET', `/v1/exchange/requests/${requestId}`)).statusCode).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents the three routes with every status they answer', async () => {
    await build();
    const document = (await app.inject('/docs/json')).json();
    const statuses = (operation: { responses: object }) => Object.keys(operation.responses).sort();
    expect(statuses(document.paths['/v1/exchange/requests'].post)).toEqual(['200', '400', '401', '403', '413', '503']);
    expect(statuses(document.paths['/v1/exchange/requests/{requestId}/response'].post)).toEqual(['200', '400', '401', '403', '404', '409', '413', '503']);
    expect(statuses(document.paths['/v1/exchange/requests/{requestId}'].get)).toEqual(['200', '401', '403', '404', '503']);
    expect(document.paths['/v1/exchange/requests'].post.tags).toEqual(['exchange']);
    expect(document.tags).toContainEqual(expect.objectContaining({ name: 'exchange' }));
  });
});
