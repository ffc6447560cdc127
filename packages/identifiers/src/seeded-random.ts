import type { Random } from '../check-result.ts';

/** mulberry32: a small seeded generator so that generator tests are reproducible. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Replaces the character at `index` with a different one drawn from `alphabet`. */
export function mutateOneCharacter(text: string, index: number, alphabet: string, random: Random): string {
  const current = text.charAt(index);
  const others = [...alphabet].filter((ch) => ch !== current);
  const replacement = others[Math.floor(random() * others.length)] ?? others[0] ?? current;
  return text.slice(0, index) + replacement + text.slice(index + 1);
}
