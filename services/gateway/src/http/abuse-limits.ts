import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, principalName, type TokenTable } from '../auth/tokens.ts';
import { errors } from '../errors.ts';

export interface AbuseLimits {
  /** Calls of one token (or, without a known one, of one address) within `windowMs`; 0 turns the limit off. */
  rateLimit: number;
  windowMs: number;
  /** Largest body of any call but a record push, which has the gateway-wide GATEWAY_BODY_LIMIT. */
  apiBodyLimit: number;
}

/**
 * What keeps one caller from crowding out the others on the gateway:
 * - a rate limit per token on /v1 (@fastify/rate-limit's `createRateLimit`): the principal a
 *   known token names is the key, so a department's systems share one budget
 *   however many addresses they call from; a call without a known token is
 *   counted by its address (rotating made-up tokens gains nothing). Over it:
 *   429 problem+json with Retry-After;
 * - a body limit for every route that is not a record push, set where a route
 *   does not set its own (the data requests do).
 * Registered before the routes (the body limit is applied as each is added).
 */
export async function abuseLimits(app: FastifyInstance, tokens: TokenTable, limits: AbuseLimits): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit === undefined && !route.url.startsWith('/v1/records/')) route.bodyLimit = limits.apiBodyLimit;
  });
  if (limits.rateLimit === 0) return;
  const keyOf = (request: FastifyRequest): string => {
    const token = bearerToken(request.headers.authorization);
    const principal = token === undefined ? undefined : tokens.identify(token);
    return principal === undefined ? `address:${request.ip}` : `principal:${principalName(principal)}`;
  };
  await app.register(rateLimit, { global: false, cache: 10_000 });
  // One table entry per principal, and per address without a known token; bounded.
  const check = app.createRateLimit({ max: limits.rateLimit, timeWindow: limits.windowMs, keyGenerator: keyOf });
  // An instance-wide hook, so that it runs before the routes' own (which authenticate, and audit a refusal).
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const verdict = await check(request);
    if (verdict.isAllowed) return;
    void reply.header('x-ratelimit-limit', verdict.max).header('x-ratelimit-remaining', verdict.remaining).header('x-ratelimit-reset', verdict.ttlInSeconds);
    if (!verdict.isExceeded) return;
    void reply.header('retry-after', verdict.ttlInSeconds);
    throw new errors.RATE_LIMITED(verdict.key.replace(/^[a-z]+:/, ''), verdict.max, `${verdict.ttlInSeconds} s`);
  });
}
