import { createHash, randomBytes } from 'node:crypto';

/**
 * Case numbers (办件编号): `GW-` and 20 hex digits. With an Idempotency-Key the
 * digits come from SHA-256 of the owner and the key, so a retried submission
 * names the same case; without one they are random. CaseSubmitted is version
 * 1 of its case, so its event id is `<caseId>:1` (see the schema's samples).
 */
export function caseIdFor(idempotency: { owner: string; key: string } | undefined): string {
  const digits = idempotency
    ? createHash('sha256').update(`${idempotency.owner}\u0000${idempotency.key}`).digest('hex').slice(0, 20)
    : randomBytes(10).toString('hex');
  return `GW-${digits.toUpperCase()}`;
}

export function submittedEventId(caseId: string): string {
  return `${caseId}:1`;
}

/** What makes two submissions "the same" for an Idempotency-Key: the request body as canonical JSON. */
export function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
