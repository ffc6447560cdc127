/**
 * What every check and normaliser in this package returns: the normalised
 * value, or a reason written as one English sentence that a connector can put
 * in a dead-letter record beside the field name.
 */
export type CheckResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export function ok<T>(value: T): CheckResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(reason: string): CheckResult<T> {
  return { ok: false, reason };
}

/** A source of uniform numbers in [0, 1), passed in so simulators stay reproducible. */
export type Random = () => number;

/** An integer in [0, bound) drawn from `random`. */
export function randomInt(random: Random, bound: number): number {
  return Math.min(bound - 1, Math.floor(random() * bound));
}

/** Quotes a value for a reason sentence, showing invisible characters. */
export function quote(text: string): string {
  return JSON.stringify(text);
}
