import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { buildApp } from '../src/app.ts';
import { RouterExchangeError, routerExchangeDesk } from '../src/exchange/router-exchange-desk.ts';
import { memoryDesks } from './desk.ts';
import { bearer, memoryAudit, memoryCases, memoryPublisher, testConfig } from './support.ts';

/**
 * A stand-in of the router's internal data-request API, answering as its
 * contract says: what it is sent is kept in `received`, and `script` says how
 * the next call is answered.
 */
interface Script {
  status: number;
  body: unknown;
  /** Held this long before the answer, as a forwarded request is. */
  holdMs?: number;
  headers?: Record<string, string>;
}
const received: Array<{ method: string; url: string; body: unknown }> = [];
let script: Script;
let router: FastifyInstance;
let routerUrl: string;

const problem = (status: number, detail: string, errors?: Array<{ field: string; message: string }>) => ({ type: 'about:blank', title: 'refused', status, detail, ...(errors ? { errors } : {}) });

beforeAll(async () => {
  router = Fastify();
  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    received.push({ method: request.method, url: request.url, body: request.body });
    if (script.holdMs) await new Promise((resolve) => setTimeout(resolve, script.holdMs));
    return reply.code(script.status).headers(script.headers ?? {}).type(script.status === 200 ? 'application/json' : 'application/problem+json').send(script.body);
  };
  router.post('/internal/v1/exchange/requests', answer);
  router.post('/internal/v1/exchange/requests/:requestId/response', answer);
  router.get('/internal/v1/exchange/requests/:requestId', answer);
  routerUrl = await router.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await router.close();
});
beforeEach(() => {
  received.length = 0;
});

async function gateway(url = routerUrl): Promise<FastifyInstance> {
  const cases = memoryCases();
  return buildApp(testConfig({ GATEWAY_ROUTER_URL: url, GATEWAY_ROUTER_TIMEOUT_MS: '1000' }), { audit: memoryAudit(), publisher: memoryPublisher(), cases, ...memoryDesks(cases), resources: async () => null });
}

const question = { resource: 'ps.resident-identity', key: { idNumber: '450102198503121233' }, purpose: '最低生活保障审核', verify: { name: '韦建国' } };

describe('the router\'s exchange desk, through the gateway', () => {
  it('sends the question with the token\'s department as requester and answers as the router did', async () => {
    const app = await gateway();
    script = { status: 200, body: { requestId: 'DR-1', status: 'answered', matches: { name: true } } };
    const response = await app.inject({ method: 'POST', url: '/v1/exchange/requests', headers: bearer('civil'), payload: question });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ requestId: 'DR-1', status: 'answered', matches: { name: true } });
    expect(received).toEqual([{ method: 'POST', url: '/internal/v1/exchange/requests', body: { requester: 'civil', ...question } }]);
    await app.close();
  });

  it('waits for a forwarded request a little longer than GATEWAY_ROUTER_TIMEOUT_MS, for the router\'s own deadline', async () => {
    const app = await gateway();
    script = { status: 200, body: { requestId: 'DR-2', status: 'timeout', reason: 'land did not answer by the deadline' }, holdMs: 1500 };
    const response = await app.inject({ method: 'POST', url: '/v1/exchange/requests', headers: bearer('housing'), payload: { ...question, verify: undefined } });
    expect(response.json()).toMatchObject({ requestId: 'DR-2', status: 'timeout' });
    await app.close();
  });

  it('answers the router\'s 400 naming the body\'s field, its 403, 404 and 409 as the gateway\'s problems', async () => {
    const app = await gateway();
    script = { status: 400, body: problem(400, 'the key of ps.resident-identity is idNumber', [{ field: 'key.name', message: 'not a key field' }]) };
    const invalid = await app.inject({ method: 'POST', url: '/v1/exchange/requests', headers: bearer('civil'), payload: { ...question, key: { name: '韦建国' } } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'VALIDATION', detail: 'the key of ps.resident-identity is idNumber', errors: [{ field: 'body.key.name', reason: 'not a key field' }] });

    const reply = () => app.inject({ method: 'POST', url: '/v1/exchange/requests/DR-3/response', headers: bearer('land'), payload: { status: 'not-found' } });
    for (const [status, code] of [[403, 'GW_NOT_YOUR_REQUEST'], [404, 'GW_UNKNOWN_REQUEST'], [409, 'GW_REQUEST_CLOSED']] as const) {
      script = { status, body: problem(status, `the router says ${status}`) };
      const response = await reply();
      expect(response.statusCode).toBe(status);
      expect(response.json()).toMatchObject({ code, detail: `the router says ${status}` });
    }
    expect(received.at(-1)).toEqual({ method: 'POST', url: '/internal/v1/exchange/requests/DR-3/response', body: { responder: 'land', status: 'not-found' } });
    script = { status: 200, body: { requestId: 'DR-3', status: 'answered' } };
    expect((await reply()).json()).toEqual({ requestId: 'DR-3', status: 'answered' });
    await app.close();
  });

  it('reads a request for the caller\'s department', async () => {
    const app = await gateway();
    script = { status: 200, body: { requestId: 'DR-4', status: 'not-found', requester: 'civil', owner: 'ps', resource: 'ps.resident-identity', askedAt: '2026-03-02T02:00:00.000Z', answeredAt: '2026-03-02T02:00:00.010Z' } };
    const read = await app.inject({ method: 'GET', url: '/v1/exchange/requests/DR-4', headers: bearer('ps') });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ requestId: 'DR-4', status: 'not-found', owner: 'ps' });
    expect(received.at(-1)).toMatchObject({ method: 'GET', url: '/internal/v1/exchange/requests/DR-4?department=ps' });
    script = { status: 404, body: problem(404, 'no data request DR-5') };
    expect((await app.inject({ method: 'GET', url: '/v1/exchange/requests/DR-5', headers: bearer('ps') })).statusCode).toBe(404);
    await app.close();
  });

  it('is 503 with Retry-After while the router starts, answers outside its contract, or cannot be reached', async () => {
    const app = await gateway();
    const ask = () => app.inject({ method: 'POST', url: '/v1/exchange/requests', headers: bearer('civil'), payload: question });
    script = { status: 503, body: problem(503, 'restoring'), headers: { 'retry-after': '2' } };
    const starting = await ask();
    expect(starting.statusCode).toBe(503);
    expect(starting.headers['retry-after']).toBe('5');
    script = { status: 200, body: { requestId: 'DR-6', status: 'perhaps' } };
    expect((await ask()).statusCode).toBe(503);
    await app.close();

    const nowhere = await gateway('http://127.0.0.1:9');
    const unreachable = await nowhere.inject({ method: 'POST', url: '/v1/exchange/requests', headers: bearer('civil'), payload: question });
    expect(unreachable.statusCode).toBe(503);
    expect(unreachable.json()).toMatchObject({ code: 'GW_UNAVAILABLE' });
    await nowhere.close();
  });
});

describe('routerExchangeDesk', () => {
  it('gives up on a router that holds a request past its timeout', async () => {
    const desk = routerExchangeDesk({ routerUrl, timeoutMs: 100, askTimeoutMs: 100 });
    script = { status: 200, body: { requestId: 'DR-7', status: 'answered' }, holdMs: 600 };
    await expect(desk.ask({ requester: 'civil', resource: 'land.x', key: { k: 'v' }, purpose: 'p' })).rejects.toBeInstanceOf(RouterExchangeError);
  });
});
