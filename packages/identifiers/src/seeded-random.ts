import type { Random } from './check-result.ts';

/**
 * mulberry32: a small, fast, seeded `Random`. The same seed draws the same
 * numbers, so generator tests and whole simulator runs can be reproduced.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
