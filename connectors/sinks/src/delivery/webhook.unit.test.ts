import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, signBody, verifySignature } from './webhook.ts';

describe('signing', () => {
  it('signs the raw body with HMAC-SHA256 and verifies it', () => {
    const body = '{"eventId":"e-1","payload":{"QYMC":"南宁市兴宁区味道餐馆"}}';
    const signature = signBody(body, 'dev-tax-secret');
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(body, 'dev-tax-secret', signature)).toBe(true);
    expect(verifySignature(Buffer.from(body), 'dev-tax-secret', signature)).toBe(true);
    expect(verifySignature(body + ' ', 'dev-tax-secret', signature)).toBe(false);
    expect(verifySignature(body, 'another-secret', signature)).toBe(false);
    expect(verifySignature(body, 'dev-tax-secret', undefined)).toBe(false);
    expect(verifySignature(body, 'dev-tax-secret', 'sha256=00')).toBe(false);
  });
});

// A loopback HTTP server is local I/O only; it checks what fetch reports for each kind of answer.
describe('postWebhook', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') { setTimeout(() => res.end('late'), 2_000); return; }
      if (req.url === '/busy') { res.writeHead(503, { 'retry-after': '2' }).end(); return; }
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => res.writeHead(req.headers['x-test'] === 'yes' && body === 'hello' ? 204 : 400).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const signal = new AbortController().signal;

  it('reports the status of an answer and its Retry-After', async () => {
    expect((await postWebhook({ url: `${base}/ok`, body: 'hello', headers: { 'x-test': 'yes' }, timeoutMs: 1000, signal })).outcome).toEqual({ kind: 'response', status: 204 });
    expect((await postWebhook({ url: `${base}/busy`, body: '', headers: {}, timeoutMs: 1000, signal })).outcome).toEqual({ kind: 'response', status: 503, retryAfterMs: 2000 });
  });

  it('reports a timeout', async () => {
    const { outcome, durationMs } = await postWebhook({ url: `${base}/slow`, body: '', headers: {}, timeoutMs: 100, signal });
    expect(outcome).toEqual({ kind: 'timeout', timeoutMs: 100 });
    expect(durationMs).toBeLessThan(1000);
  });

  it('reports a refused connection with its code', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { outcome } = await postWebhook({ url: `http://127.0.0.1:${port}/hook`, body: '', headers: {}, timeoutMs: 1000, signal });
    expect(outcome).toMatchObject({ kind: 'error', code: 'ECONNREFUSED' });
  });

  it('rejects when shut down', async () => {
    const controller = new AbortController();
    const pending = postWebhook({ url: `${base}/slow`, body: '', headers: {}, timeoutMs: 5000, signal: controller.signal });
    controller.abort(new Error('stopping'));
    await expect(pending).rejects.toThrow('stopping');
  });
});
