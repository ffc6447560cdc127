import { type Random, randomInt } from '../check-result.ts';
import { chinaDivisions } from './china-division-data.ts';
import type { DivisionCatalogue } from './division-catalogue.ts';
import { type DivisionLevel, checkDivisionCode } from './division-code.ts';

/**
 * Whether the code names a real division in the catalogue (by default the
 * statistics bureau's 2023 codes). Codes in any well-formed length are
 * accepted: 450305000000 is looked up as the county 450305.
 */
export function isKnownDivision(code: string, catalogue: DivisionCatalogue = chinaDivisions()): boolean {
  return divisionName(code, catalogue) !== undefined;
}

/** The division's name (450305 → 七星区), or undefined when malformed or unknown. */
export function divisionName(code: string, catalogue: DivisionCatalogue = chinaDivisions()): string | undefined {
  const checked = checkDivisionCode(code);
  if (!checked.ok) return undefined;
  return catalogue.nameOf(checked.value.code, checked.value.level);
}

/**
 * Guangxi (广西壮族自治区), whose figures the source reports give; simulators
 * draw their counties, towns and villages from here unless told otherwise.
 */
export const SIMULATION_PROVINCE = '450000';

/**
 * `n` real division codes of `level` within `province` (45 or 450000), drawn
 * independently with replacement (simulators attach many residents or cases to
 * each county), in canonical form. Throws RangeError for a malformed province
 * or one without divisions of that level: a simulator configuration mistake.
 */
export function sampleDivisions(
  province: string,
  level: DivisionLevel,
  n: number,
  random: Random,
  catalogue: DivisionCatalogue = chinaDivisions(),
): string[] {
  const match = /^(\d{2})(0000)?$/.exec(province.trim());
  const digits = match?.[1];
  if (digits === undefined) throw new RangeError(`province must be 2 digits or a 6-digit province code, got "${province}"`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const codes = catalogue.codesWithin(digits, level);
  if (codes.length === 0 && n > 0) throw new RangeError(`no ${level}-level divisions known within province ${digits}`);
  const drawn: string[] = [];
  while (drawn.length < n) {
    const code = codes[randomInt(random, codes.length)];
    if (code !== undefined) drawn.push(code);
  }
  return drawn;
}
