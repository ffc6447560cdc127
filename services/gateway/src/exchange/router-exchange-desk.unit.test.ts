import { describe, expect, it } from 'vitest';
import { routerExchangeDesk } from './router-exchange-desk.ts';

describe('the router exchange desk', () => {
  it('given GATEWAY_ROUTER_TOKEN, when it asks the router, then the call carries it as a bearer token; without one, no authorization at all', async () => {
    const seen: Array<string | null> = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get('authorization'));
      return new Response(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such request', code: 'ROUTER_UNKNOWN_REQUEST' }), { status: 404 });
    }) as typeof globalThis.fetch;
    for (const token of ['Rt7pQ2mV9xL4kZ8wN1sB', undefined]) {
      const desk = routerExchangeDesk({ routerUrl: 'http://router.test', timeoutMs: 1_000, askTimeoutMs: 1_000, fetch, ...(token ? { token } : {}) });
      await desk.read('DR-1', 'tax');
    }
    expect(seen).toEqual(['Bearer Rt7pQ2mV9xL4kZ8wN1sB', null]);
  });
});
