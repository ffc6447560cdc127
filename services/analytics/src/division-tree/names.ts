import { divisionName } from '@hub/identifiers';
import { levelOfPrefix, normaliseDivision, type DivisionLevel } from '../divisions.ts';

/** A division's prefix with its level and its name (the statistics bureau's 2023 catalogue; the code itself when unknown). */
export interface NamedDivision {
  division: string;
  level: DivisionLevel;
  name: string;
}

/** The name of a division prefix: 45 → 广西壮族自治区, 4503 → 桂林市, 450305004001 → the village's. */
export function nameOfDivision(prefix: string): string {
  const code = prefix.length === 2 ? `${prefix}0000` : prefix.length === 4 ? `${prefix}00` : prefix;
  return divisionName(code) ?? prefix;
}

/** The divisions from the province down to `prefix` itself (the breadcrumb of the tree). */
export function divisionAncestry(division: string): NamedDivision[] {
  const prefix = normaliseDivision(division);
  if (prefix === undefined) return [];
  return [2, 4, 6, 9, 12]
    .filter((length) => length <= prefix.length)
    .map((length) => prefix.slice(0, length))
    .map((p) => ({ division: p, level: levelOfPrefix(p), name: nameOfDivision(p) }));
}
