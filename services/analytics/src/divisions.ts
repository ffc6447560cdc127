/**
 * The five administrative levels (五级) a division code rolls up over, by its
 * prefix: province 2 digits, city 4, county 6, town 9, village 12 (GB/T 2260
 * for the first six, the statistical codes for towns and villages). A
 * six-digit code ending in 00 is a city's own code, 0000 a province's.
 */
export const divisionLevels = ['province', 'city', 'county', 'town', 'village'] as const;
export type DivisionLevel = (typeof divisionLevels)[number];

const prefixLength: Record<DivisionLevel, number> = { province: 2, city: 4, county: 6, town: 9, village: 12 };

/** A division's prefix at each level it reaches (empty below its own level), and its own level. */
export interface DivisionPath {
  province: string;
  city: string;
  county: string;
  town: string;
  village: string;
  divisionLevel: DivisionLevel;
}

/** The path of a division code as a case carries it (6, 9 or 12 digits); a code of another shape is kept whole at province level. */
export function divisionPath(code: string): DivisionPath {
  const prefix = normaliseDivision(code);
  const level = prefix === undefined ? 'province' : levelOfPrefix(prefix);
  const at = (l: DivisionLevel) => (prefix !== undefined && prefix.length >= prefixLength[l] ? prefix.slice(0, prefixLength[l]) : '');
  return {
    province: prefix === undefined ? code : at('province'),
    city: at('city'),
    county: at('county'),
    town: at('town'),
    village: at('village'),
    divisionLevel: level,
  };
}

/**
 * A division code as the prefix of its level: `450102` stays, `450100` is the
 * city `4501`, `450000` the province `45`; 2, 4, 9 and 12 digits stay as
 * they are. Undefined for anything else.
 */
export function normaliseDivision(code: string): string | undefined {
  if (!/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(code)) return undefined;
  if (code.length === 6) {
    if (code.endsWith('0000')) return code.slice(0, 2);
    if (code.endsWith('00')) return code.slice(0, 4);
  }
  return code;
}

export function levelOfPrefix(prefix: string): DivisionLevel {
  switch (prefix.length) {
    case 2:
      return 'province';
    case 4:
      return 'city';
    case 6:
      return 'county';
    case 9:
      return 'town';
    default:
      return 'village';
  }
}

/** The level below `level` (a village has none). */
export function childLevel(level: DivisionLevel): DivisionLevel | undefined {
  return divisionLevels[divisionLevels.indexOf(level) + 1];
}
