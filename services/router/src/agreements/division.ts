/**
 * The administrative division an agreement covers (行政区划范围), GB/T 2260:
 * a prefix of 2 (province), 4 (city), 6 (county), 9 (town) or 12 (village)
 * digits. A region rolls up by prefix, and a code's level is read from where
 * its trailing zeros start, so a prefix written as a full code (450100, the
 * city of Nanning) covers what its significant digits (4501) cover.
 */

/** Digits of each part of a 12-digit code: province, city, county, town, village. */
const PART_ENDS = [2, 4, 6, 9, 12] as const;

/** Why `prefix` is not a division prefix, or undefined when it is one. */
export function divisionPrefixProblem(prefix: string): string | undefined {
  if (!/^\d+$/.test(prefix) || !(PART_ENDS as readonly number[]).includes(prefix.length)) {
    return `divisionPrefix ${JSON.stringify(prefix)} is not a division code (行政区划代码) of 2, 4, 6, 9 or 12 digits`;
  }
  const part = (index: number) => prefix.slice(PART_ENDS[index - 1] ?? 0, PART_ENDS[index]);
  const zero = (text: string) => /^0*$/.test(text);
  if (zero(part(0))) return `divisionPrefix ${prefix} names no province (00)`;
  // As GB/T 2260 shapes codes: a county needs its city (省直辖 counties use 90), a village its town;
  // a town may sit directly under a city without counties (东莞 441900003).
  if (zero(part(1)) && !zero(part(2))) return `divisionPrefix ${prefix} has a county part (${part(2)}) but no city part`;
  if (zero(part(1)) && !zero(part(3))) return `divisionPrefix ${prefix} has a town part (${part(3)}) but no city part`;
  if (zero(part(3)) && !zero(part(4))) return `divisionPrefix ${prefix} has a village part (${part(4)}) but no town part`;
  return undefined;
}

/** The digits that say which region a well-formed prefix covers: 450100 → 4501, 450102000 → 450102, 441900003 stays. */
export function significantPrefix(prefix: string): string {
  let end = prefix.length;
  for (let i = PART_ENDS.indexOf(end as (typeof PART_ENDS)[number]); i > 0; i--) {
    const start = PART_ENDS[i - 1] ?? 0;
    if (!/^0+$/.test(prefix.slice(start, end))) break;
    end = start;
  }
  return prefix.slice(0, end);
}

/** Whether a record of `divisionCode` lies within the region of `prefix` (no prefix: every division). */
export function withinDivision(divisionCode: string, prefix: string | null): boolean {
  return prefix === null || divisionCode.startsWith(significantPrefix(prefix));
}
