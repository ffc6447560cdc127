import type { Random } from '../check-result.ts';

/** Replaces the character at `index` with a different one drawn from `alphabet`. */
export function mutateOneCharacter(text: string, index: number, alphabet: string, random: Random): string {
  const current = text.charAt(index);
  const others = [...alphabet].filter((ch) => ch !== current);
  const replacement = others[Math.floor(random() * others.length)] ?? others[0] ?? current;
  return text.slice(0, index) + replacement + text.slice(index + 1);
}
