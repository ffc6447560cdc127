import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { httpErrors } from './confluent-errors.ts';

/**
 * Writes (register, delete, config, mode) need the operator token when one is
 * configured: `Authorization: Bearer <token>`, or HTTP Basic with the token as
 * the password (what most Confluent tools can send). Without a token, writes
 * are accepted from the loopback interface only; reads are always open.
 */
export function operatorOnly(token: string | undefined) {
  const expected = token === undefined ? undefined : digest(token);
  return async (request: FastifyRequest): Promise<void> => {
    if (expected === undefined) {
      if (!isLoopback(request.ip)) throw httpErrors.forbiddenRemote();
      return;
    }
    const presented = presentedToken(request.headers.authorization);
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) throw httpErrors.unauthorized();
  };
}

function presentedToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, credentials] = header.trim().split(/\s+/, 2);
  if (!credentials) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return credentials;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}
