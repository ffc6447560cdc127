import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { bearer, memoryAudit, memoryCases, memoryPublisher, residentRecord, testConfig } from './support.ts';
import { memoryDesks } from './desk.ts';

let app: FastifyInstance;
let audit: ReturnType<typeof memoryAudit>;
let publisher: ReturnType<typeof memoryPublisher>;
let cases: ReturnType<typeof memoryCases>;
const now = new Date('2025-06-01T04:00:00.000Z');

async function build(env: NodeJS.ProcessEnv = {}) {
  audit = memoryAudit();
  publisher = memoryPublisher();
  cases = memoryCases();
  app = await buildApp(testConfig(env), { audit, publisher, cases, ...memoryDesks(cases), now: () => now });
  await app.ready();
  return app;
}

afterEach(async () => {
  await app?.close();
});

/** POSTs a JSON body (or a string as is, with the content type given in `headers`). */
const push = (who: Parameters<typeof bearer>[0] | undefined, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    headers: { ...(typeof payload === 'string' ? {} : { 'content-type': 'application/json' }), ...(who ? bearer(who) : {}), ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

describe('authentication', () => {
  it('refuses a push without a token with 401, audited without an actor', async () => {
    await build();
    const response = await push(undefined, '/v1/records/ps/resident-identity', [residentRecord(1)]);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'GW_MISSING_TOKEN', status: 401 });
    expect(audit.events).toMatchObject([{ actor: null, action: 'records.push', target: 'ps.resident-identity', outcome: 'refused', status: 401 }]);
    expect(publisher.calls).toEqual([]);
  });

  it('refuses an unknown token with 401', async () => {
    await build();
    const response = await app.inject({ method: 'POST', url: '/v1/records/ps/resident-identity', headers: { authorization: 'Bearer dev-ps-tokex' }, payload: [] });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('GW_INVALID_TOKEN');
  });

  it('takes the tokens from GATEWAY_TOKENS', async () => {
    await build({ GATEWAY_TOKENS: 'ps=a-long-secret-token' });
    expect((await push('ps', '/v1/records/ps/resident-identity', [])).statusCode).toBe(401);
    const response = await app.inject({ method: 'POST', url: '/v1/records/ps/resident-identity', headers: { authorization: 'Bearer a-long-secret-token' }, payload: [] });
    expect(response.statusCode).toBe(202);
  });
});

describe('a department publishes only its own resources', () => {
  it('answers 403 when tax pushes a public-security resource, and audits who, what, when, outcome and request id', async () => {
    await build();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/records/ps/resident-identity',
      headers: { ...bearer('tax'), 'x-request-id': 'req-403-test', 'user-agent': 'jinshui-client/3.1' },
      payload: [residentRecord(1)],
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      status: 403,
      code: 'GW_FORBIDDEN_RESOURCE',
      detail: 'department tax may not publish ps.resident-identity: a department publishes only its own resources',
      instance: '/v1/records/ps/resident-identity',
    });
    expect(audit.events).toEqual([{
      auditId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      at: now.toISOString(),
      requestId: 'req-403-test',
      actor: 'tax',
      action: 'records.push',
      target: 'ps.resident-identity',
      outcome: 'refused',
      status: 403,
      reason: { code: 'GW_FORBIDDEN_RESOURCE', detail: 'department tax may not publish ps.resident-identity: a department publishes only its own resources' },
      remoteAddress: '127.0.0.1',
      userAgent: 'jinshui-client/3.1',
    }]);
    expect(publisher.calls).toEqual([]);
  });

  it('answers 403 to a window pushing records', async () => {
    await build();
    const response = await push('window', '/v1/records/ps/resident-identity', [residentRecord(1)]);
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toContain('a service-centre window may not publish ps.resident-identity');
  });
});

describe('unknown departments and resources', () => {
  it('answers 404 naming the department', async () => {
    await build();
    const response = await push('ps', '/v1/records/customs/declarations', []);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'GW_UNKNOWN_DEPARTMENT', detail: 'unknown department customs' });
  });

  it('answers 404 naming the resource', async () => {
    await build();
    const response = await push('ps', '/v1/records/ps/vehicle-registration', []);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'GW_UNKNOWN_RESOURCE', detail: 'department ps has no resource vehicle-registration' });
    expect(audit.events.at(-1)).toMatchObject({ actor: 'ps', outcome: 'refused', status: 404 });
  });
});

describe('pushing records', () => {
  it('answers 202 with what was accepted, what was a duplicate, and each rejected record by index, field and reason', async () => {
    await build();
    const batch = [residentRecord(1), residentRecord(2, { bad: true }), residentRecord(3)];
    const first = await push('ps', '/v1/records/ps/resident-identity', batch, { 'x-request-id': 'push-1' });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [{ index: 1, field: 'GMSFHM', reason: expect.stringMatching(/check character/) }] });
    expect(publisher.calls[0]).toMatchObject({ resource: 'ps.resident-identity', source: { kind: 'http', name: 'gateway/push-1' } });
    expect(audit.events.at(-1)).toMatchObject({ actor: 'ps', target: 'ps.resident-identity', outcome: 'accepted', status: 202, requestId: 'push-1', records: { received: 3, accepted: 2, duplicates: 0, rejected: 1 } });

    const retry = await push('ps', '/v1/records/ps/resident-identity', batch);
    expect(retry.json()).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('reads NDJSON', async () => {
    await build();
    const ndjson = `${JSON.stringify(residentRecord(1))}\r\n\n${JSON.stringify(residentRecord(2))}\n`;
    const response = await push('ps', '/v1/records/ps/resident-identity', ndjson, { 'content-type': 'application/x-ndjson' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(publisher.calls[0]?.natives).toEqual([residentRecord(1), residentRecord(2)]);
  });

  it('rejects an NDJSON line that is not a JSON object as one record, naming the line, and publishes the rest', async () => {
    await build();
    const ndjson = `${JSON.stringify(residentRecord(1))}\n{"GMSFHM": \n[1,2]\n${JSON.stringify(residentRecord(2))}`;
    const response = await push('ps', '/v1/records/ps/resident-identity', ndjson, { 'content-type': 'application/x-ndjson' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, field: '(record)', reason: expect.stringMatching(/^line 2 is not valid JSON/) },
        { index: 2, field: '(record)', reason: 'line 3 is not a JSON object' },
      ],
    });
    expect(publisher.calls[0]?.natives[1]).toEqual({ line: '{"GMSFHM": ' });
  });

  it('refuses more than GATEWAY_MAX_BATCH records with 413 naming the limit, as JSON or NDJSON', async () => {
    await build();
    const six = Array.from({ length: 6 }, (_, i) => residentRecord(i));
    const json = await push('ps', '/v1/records/ps/resident-identity', six);
    expect(json.statusCode).toBe(413);
    expect(json.json()).toMatchObject({ code: 'GW_BATCH_TOO_LARGE', detail: 'a push holds at most 5 records (GATEWAY_MAX_BATCH); this one holds 6' });
    const ndjson = await push('ps', '/v1/records/ps/resident-identity', six.map((r) => JSON.stringify(r)).join('\n'), { 'content-type': 'application/x-ndjson' });
    expect(ndjson.statusCode).toBe(413);
    expect(ndjson.json().detail).toContain('at most 5 records');
    expect(publisher.calls).toEqual([]);
    expect(audit.events.map((e) => e.status)).toEqual([413, 413]);
  });

  it('refuses a body larger than GATEWAY_BODY_LIMIT with 413', async () => {
    await build({ GATEWAY_BODY_LIMIT: '2048' });
    const response = await push('ps', '/v1/records/ps/resident-identity', [{ ZZ: 'x'.repeat(4000) }]);
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a body that is not an array with 400', async () => {
    await build();
    const object = await push('ps', '/v1/records/ps/resident-identity', { GMSFHM: '450102198503121233' });
    expect(object.statusCode).toBe(400);
    expect(object.json().code).toBe('GW_NOT_A_BATCH');
    expect(publisher.calls).toEqual([]);
  });

  it('rejects an array item that is not an object as one record; a nested value is passed on as its JSON text, as the drop folder does', async () => {
    await build();
    const response = await push('ps', '/v1/records/ps/resident-identity', [residentRecord(1), 'GMSFHM=450102198503121233', { ...residentRecord(2), ZZ: { street: '朝阳路' } }]);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ rejected: [{ index: 1, field: '(record)', reason: 'item 1 is not a JSON object' }] });
    expect(publisher.calls[0]?.natives[1]).toEqual({ line: '"GMSFHM=450102198503121233"' });
    expect(publisher.calls[0]?.natives[2]?.ZZ).toBe('{"street":"朝阳路"}');
  });

  it('refuses other content types with 415', async () => {
    await build();
    const response = await push('ps', '/v1/records/ps/resident-identity', 'GMSFHM,XM\n1,2', { 'content-type': 'text/csv' });
    expect(response.statusCode).toBe(415);
  });

  it('answers 503 when the records cannot be published, hiding why', async () => {
    await build();
    publisher.failWith = new Error('KafkaJSNumberOfRetriesExceeded: broker 127.0.0.1:9092 down');
    const response = await push('ps', '/v1/records/ps/resident-identity', [residentRecord(1)]);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).not.toContain('9092');
    expect(audit.events.at(-1)).toMatchObject({ outcome: 'failed', status: 503 });
  });

  it('answers 413, not 503, when Kafka refuses the push as too large: a retry as is would fail the same way', async () => {
    await build();
    publisher.failWith = Object.assign(new Error('The request included a message larger than the max message size the server will accept'), { type: 'MESSAGE_TOO_LARGE' });
    const response = await push('ps', '/v1/records/ps/resident-identity', [residentRecord(1)]);
    expect(response.statusCode).toBe(413);
    expect(response.headers['retry-after']).toBeUndefined();
    expect(response.json()).toMatchObject({ code: 'GW_TOO_LARGE_FOR_KAFKA' });
  });
});

describe('bounded bodies', () => {
  it('answers a JSON body nested 5,000 deep with 400 naming the depth limit and the item, not 500', async () => {
    await build();
    const deep = '['.repeat(5_000) + ']'.repeat(5_000);
    const response = await push('ps', '/v1/records/ps/resident-identity', `[${JSON.stringify(residentRecord(1))},{"GMSFHM":${deep}}]`, { 'content-type': 'application/json' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION',
      detail: 'the JSON body nests deeper than 32 levels (GATEWAY_MAX_JSON_DEPTH)',
      errors: [{ field: 'body.1', reason: expect.stringMatching(/^nested deeper than 32 levels/) }],
    });
    expect(publisher.calls).toEqual([]);
    const submission = await push('window', '/v1/cases', `{"applicant":${deep}}`, { 'content-type': 'application/json' });
    expect(submission.statusCode).toBe(400);
    expect(submission.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body' }] });
  });

  it('takes the depth from GATEWAY_MAX_JSON_DEPTH, and still refuses __proto__', async () => {
    await build({ GATEWAY_MAX_JSON_DEPTH: '4' });
    expect((await push('ps', '/v1/records/ps/resident-identity', [{ ...residentRecord(1), ZZ: { a: [1] } }])).statusCode).toBe(202);
    expect((await push('ps', '/v1/records/ps/resident-identity', [{ ...residentRecord(1), ZZ: { a: [[1]] } }])).statusCode).toBe(400);
    const poisoned = await push('ps', '/v1/records/ps/resident-identity', '[{"__proto__":{"x":1}}]', { 'content-type': 'application/json' });
    expect(poisoned.statusCode).toBe(400);
    expect(() => testConfig({ GATEWAY_MAX_JSON_DEPTH: '2' })).toThrow(/GATEWAY_MAX_JSON_DEPTH/);
  });

  it('rejects one NDJSON line nested too deep as its record, and takes the others', async () => {
    await build();
    const ndjson = [JSON.stringify(residentRecord(1)), `{"GMSFHM":${'['.repeat(5_000)}${']'.repeat(5_000)}}`, JSON.stringify(residentRecord(2))].join('\n');
    const response = await push('ps', '/v1/records/ps/resident-identity', ndjson, { 'content-type': 'application/x-ndjson' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [{ index: 1, field: '(record)', reason: 'line 2 nests deeper than 32 levels (GATEWAY_MAX_JSON_DEPTH)' }] });
  });
});

describe('OpenAPI', () => {
  it('serves the document at /docs/json with every route and its responses', async () => {
    await build();
    const document = (await app.inject('/docs/json')).json();
    expect(document.openapi).toBe('3.1.0');
    const push = document.paths['/v1/records/{dept}/{resource}'].post;
    expect(Object.keys(push.responses).sort()).toEqual(['202', '400', '401', '403', '404', '413', '415', '503']);
    expect(Object.keys(document.paths['/v1/cases'].post.responses).sort()).toEqual(['201', '400', '401', '403', '409', '503']);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
  });

  it('lists the resources that can be pushed', async () => {
    await build();
    const list = (await app.inject('/v1/resources')).json();
    expect(list).toContainEqual(expect.objectContaining({ department: 'ps', resource: 'resident-identity', topic: 'records.ps.resident-identity' }));
  });
});

describe('abuse limits', () => {
  it('given GATEWAY_RATE_LIMIT, when one token calls more often, then 429 problem+json with Retry-After; another department keeps its own budget', async () => {
    await build({ GATEWAY_RATE_LIMIT: '3', GATEWAY_RATE_WINDOW_MS: '60000' });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await push('ps', '/v1/records/ps/resident-identity', [])).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await push('ps', '/v1/records/ps/resident-identity', []);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ status: 429, code: 'GW_RATE_LIMITED', detail: expect.stringMatching(/ps made more than 3 calls within the window \(GATEWAY_RATE_LIMIT\); retry in \d+ s/) });
    expect((await push('tax', '/v1/records/tax/taxpayer-registration', [])).statusCode).toBe(202);
    // Health and metrics are never limited.
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });

  it('given no known token, when made-up tokens are rotated, then they share the address\'s budget', async () => {
    await build({ GATEWAY_RATE_LIMIT: '2', GATEWAY_RATE_WINDOW_MS: '60000' });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await app.inject({ method: 'POST', url: '/v1/records/ps/resident-identity', headers: { authorization: `Bearer made-up-${i}` }, payload: [] })).statusCode);
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('given GATEWAY_API_BODY_LIMIT, when a call other than a push is larger, then 413; a push of that size goes through', async () => {
    await build({ GATEWAY_API_BODY_LIMIT: '2048', GATEWAY_MAX_BATCH: '40' });
    const big = { resource: 'ps.resident-identity', purpose: 'x'.repeat(4_000) };
    expect((await push('tax', '/v1/agreements', big)).statusCode).toBe(413);
    const records = Array.from({ length: 30 }, (_, i) => residentRecord(i + 1));
    expect(JSON.stringify(records).length).toBeGreaterThan(2048);
    expect((await push('ps', '/v1/records/ps/resident-identity', records)).statusCode).toBe(202);
  });

  it('refuses headers that may take longer than the whole request', () => {
    expect(() => testConfig({ GATEWAY_HEADERS_TIMEOUT_MS: '70000', GATEWAY_REQUEST_TIMEOUT_MS: '60000' })).toThrow(/GATEWAY_HEADERS_TIMEOUT_MS=70000: longer than GATEWAY_REQUEST_TIMEOUT_MS/);
  });
});
