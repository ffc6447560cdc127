import { type CheckResult, fail, ok, quote } from '../check-result.ts';
import { PROVINCES } from './provinces.ts';

/**
 * Administrative division codes, GB/T 2260 (行政区划代码): province (2 digits),
 * city (2) and county (2); the statistics bureau's codes (统计用区划代码)
 * extend them with town (乡镇/街道, 3) and village (村/社区, 3).
 *
 * Every function here works on the shape alone and needs no data; whether a
 * code exists is `isKnownDivision` in division-catalogue.ts.
 */
export type DivisionLevel = 'province' | 'city' | 'county' | 'town' | 'village';

export const DIVISION_LEVELS: readonly DivisionLevel[] = ['province', 'city', 'county', 'town', 'village'];

export interface DivisionCode {
  /** Shortest form that keeps the level: 6 digits down to county, 9 for a town, 12 for a village. */
  readonly code: string;
  readonly level: DivisionLevel;
}

/** How many leading digits identify a division of each level. */
const SIGNIFICANT_DIGITS: Record<DivisionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  town: 9,
  village: 12,
};

const CANONICAL_LENGTH: Record<DivisionLevel, number> = {
  province: 6,
  city: 6,
  county: 6,
  town: 9,
  village: 12,
};

/**
 * Why a six-digit code is not a well-formed division code, or undefined.
 * A county part needs a city part: counties directly under a province use
 * city part 90 (省直辖县级行政区划), never 00.
 */
export function sixDigitDivisionProblem(
  code: string,
  isProvince: (twoDigits: string) => boolean = (p) => PROVINCES.has(p),
): string | undefined {
  if (!/^\d{6}$/.test(code)) return `division code must be 6 digits, got ${quote(code)}`;
  const province = code.slice(0, 2);
  if (!isProvince(province)) return `division code ${code} has no known province (${province})`;
  if (code.slice(2, 4) === '00' && code.slice(4, 6) !== '00') {
    return `division code ${code} has a county part (${code.slice(4, 6)}) but no city part`;
  }
  return undefined;
}

/**
 * Checks the shape of a 6, 9 or 12 digit division code and reads its level from
 * where its trailing zeros start (450000 province, 450300 city, 450305 county,
 * 450305004 town, 450305004001 village; 450305000000 is the county again).
 *
 * A town may sit directly under a city that has no counties (东莞 441900003), so
 * only a town part without a city part, or a village part without a town part,
 * is rejected.
 */
export function checkDivisionCode(text: string): CheckResult<DivisionCode> {
  const code = text.trim();
  if (!/^(\d{6}|\d{9}|\d{12})$/.test(code)) {
    return fail(`division code must be 6, 9 or 12 digits, got ${quote(code)}`);
  }
  const problem = sixDigitDivisionProblem(code.slice(0, 6));
  if (problem !== undefined) return fail(problem);
  const city = code.slice(2, 4);
  const town = code.slice(6, 9);
  const village = code.slice(9, 12);
  if (town !== '' && town !== '000' && city === '00') {
    return fail(`division code ${code} has a town part (${town}) but no city part`);
  }
  if (village !== '' && village !== '000' && (town === '' || town === '000')) {
    return fail(`division code ${code} has a village part (${village}) but no town part`);
  }
  const level = levelOfWellFormed(code);
  return ok({ code: code.slice(0, CANONICAL_LENGTH[level]), level });
}

function levelOfWellFormed(code: string): DivisionLevel {
  if (code.length === 12 && code.slice(9, 12) !== '000') return 'village';
  if (code.length >= 9 && code.slice(6, 9) !== '000') return 'town';
  if (code.slice(4, 6) !== '00') return 'county';
  if (code.slice(2, 4) !== '00') return 'city';
  return 'province';
}

/** The level of a division code, or undefined when it is not a well-formed code. */
export function divisionLevel(code: string): DivisionLevel | undefined {
  const checked = checkDivisionCode(code);
  return checked.ok ? checked.value.level : undefined;
}

/** The code in its shortest form for its level (450305000000 → 450305), or undefined. */
export function canonicalDivisionCode(code: string): string | undefined {
  const checked = checkDivisionCode(code);
  return checked.ok ? checked.value.code : undefined;
}

/**
 * The division one level up, in canonical form: 450305004001 → 450305004 →
 * 450305 → 450300 → 450000 → undefined. A town directly under a city (东莞
 * 441900003) has the city (441900) as parent.
 */
export function parentOf(code: string): string | undefined {
  const checked = checkDivisionCode(code);
  if (!checked.ok) return undefined;
  const { code: canonical, level } = checked.value;
  switch (level) {
    case 'province':
      return undefined;
    case 'city':
      return `${canonical.slice(0, 2)}0000`;
    case 'county':
      return `${canonical.slice(0, 4)}00`;
    case 'town':
      return canonical.slice(0, 6);
    case 'village':
      return canonical.slice(0, 9);
    default: {
      const _exhaustive: never = level;
      return _exhaustive;
    }
  }
}

/**
 * Whether `code` lies within `region` (or is it), by prefix: a village rolls up
 * to its town, county, city and province. False when either is malformed.
 */
export function rollsUpTo(code: string, region: string): boolean {
  const inner = checkDivisionCode(code);
  const outer = checkDivisionCode(region);
  if (!inner.ok || !outer.ok) return false;
  const prefix = outer.value.code.slice(0, SIGNIFICANT_DIGITS[outer.value.level]);
  return inner.value.code.startsWith(prefix);
}
