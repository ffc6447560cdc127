import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { requestRoutes } from './requests.ts';

const token = 'Rt7pQ2mV9xL4kZ8wN1sB';

async function routes(options: { token?: string }) {
  const app = Fastify();
  // No router state yet: a call that gets past the token is answered 503 starting.
  await app.register(requestRoutes, { requests: () => undefined, ...options });
  return app;
}

describe('the internal API with ROUTER_INTERNAL_TOKEN', () => {
  it('given a token, when a call carries none or another, then it is 401 naming the variable; with it, the call goes on', async () => {
    const app = await routes({ token });
    const ask = (authorization?: string) => app.inject({ method: 'GET', url: '/internal/v1/exchange/requests/DR-1?department=tax', headers: authorization ? { authorization } : {} });
    for (const refused of [await ask(), await ask('Bearer wrong-token-of-some-length'), await ask(token)]) {
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ code: 'ROUTER_UNAUTHORIZED', detail: expect.stringContaining('ROUTER_INTERNAL_TOKEN') });
    }
    expect((await ask(`Bearer ${token}`)).statusCode).toBe(503);
    await app.close();
  });

  it('given no token (a router on loopback), when a call carries none, then it goes on', async () => {
    const app = await routes({});
    expect((await app.inject({ method: 'GET', url: '/internal/v1/exchange/requests/DR-1?department=tax' })).statusCode).toBe(503);
    await app.close();
  });
});
