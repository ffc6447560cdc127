import type { RegistryError } from './errors.ts';

/** `latest` (any case) and `-1` mean the latest version; otherwise an integer in [1, 2^31-1], as Confluent accepts. */
export const LATEST = -1;
const MAX_VERSION = 2 ** 31 - 1;

export function parseVersionId(text: string): number | RegistryError {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'latest') return LATEST;
  if (!/^[+-]?\d{1,10}$/.test(trimmed)) return { type: 'InvalidVersion', version: text };
  const version = Number(trimmed);
  if (version === LATEST || (version >= 1 && version <= MAX_VERSION)) return version;
  return { type: 'InvalidVersion', version: text };
}

/** A subject name Confluent would accept: not empty, no control characters. */
export function isValidSubject(subject: string): boolean {
  return subject.trim().length > 0 && ![...subject].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}
