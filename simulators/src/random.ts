import type { Random } from '@hub/identifiers';

/**
 * Everything the simulators make is drawn from a `Random` passed in, so a seed
 * reproduces a whole run. The seeded generator is the one @hub/identifiers
 * offers beside its own generators.
 */
export { mulberry32 } from '@hub/identifiers';
export type { Random };

/** An integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.min(max - min, Math.floor(random() * (max - min + 1)));
}

/** True with probability `share`. */
export function chance(random: Random, share: number): boolean {
  return random() < share;
}

/** One item, uniformly. Throws on an empty list: a programming error. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('cannot pick from an empty list');
  return item;
}

/** One item by weight: `[[item, weight], …]`. */
export function weighted<T>(random: Random, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  let point = random() * total;
  for (const [item, weight] of table) {
    point -= weight;
    if (point < 0) return item;
  }
  const last = table.at(-1);
  if (last === undefined) throw new RangeError('cannot pick from an empty table');
  return last[0];
}

/** `n` digits, leading zeros kept. */
export function digits(random: Random, n: number): string {
  let text = '';
  for (let i = 0; i < n; i += 1) text += String(Math.floor(random() * 10));
  return text;
}
