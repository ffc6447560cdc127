import { createHash, timingSafeEqual } from 'node:crypto';
import type { DepartmentCode } from '@hub/schemas';
import { principals } from '../config.ts';

/** Who is calling: a department's system, a service-centre window, or the data centre's operator. */
export type Principal = { kind: 'department'; department: DepartmentCode } | { kind: 'window' } | { kind: 'operator' };

/** The principal's name in GATEWAY_TOKENS and in the audit trail: the department code, `window` or `operator`. */
export function principalName(principal: Principal): string {
  return principal.kind === 'department' ? principal.department : principal.kind;
}

/** The principal as a refusal names it: "department tax", "a service-centre window", "the operator". */
export function principalDescription(principal: Principal): string {
  switch (principal.kind) {
    case 'department':
      return `department ${principal.department}`;
    case 'window':
      return 'a service-centre window';
    case 'operator':
      return 'the operator';
    default: {
      const _exhaustive: never = principal;
      return String(_exhaustive);
    }
  }
}

export interface TokenTable {
  /** The principal holding `token`, or undefined. Compares in constant time against every entry. */
  identify(token: string): Principal | undefined;
}

/**
 * Parses GATEWAY_TOKENS (`dept=token,...`). Tokens are compared as SHA-256
 * digests with `timingSafeEqual`, all of them every time, so neither the
 * length nor the content of a guess shows in the response time.
 */
export function parseTokens(text: string): TokenTable {
  const entries: Array<{ digest: Buffer; principal: Principal }> = [];
  const seen = new Set<string>();
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const token = pair.slice(at + 1);
    if (!(principals as readonly string[]).includes(name)) {
      throw new Error(`GATEWAY_TOKENS: unknown department "${name}" (known: ${principals.join(', ')})`);
    }
    if (seen.has(token)) throw new Error(`GATEWAY_TOKENS: the token of ${name} is also given to another department`);
    seen.add(token);
    const principal: Principal = name === 'window' || name === 'operator' ? { kind: name } : { kind: 'department', department: name as DepartmentCode };
    entries.push({ digest: digest(token), principal });
  }
  return {
    identify(token) {
      const given = digest(token);
      let found: Principal | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(given, entry.digest)) found = entry.principal;
      }
      return found;
    },
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
