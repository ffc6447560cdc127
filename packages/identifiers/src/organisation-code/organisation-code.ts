import { type CheckResult, fail, ok, quote } from '../check-result.ts';

/**
 * Organisation code (组织机构代码), GB 11714-1997: eight body characters (digits
 * or upper-case letters, A = 10 … Z = 35) and a check character, often printed
 * as XXXXXXXX-X. It lives on inside credit codes (positions 9-17) and legacy
 * taxpayer numbers.
 */
const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

function characterValue(ch: string): number {
  const code = ch.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
}

/**
 * The check character for eight body characters: 11 − (Σ value × weight mod 11),
 * with 10 → X and 11 → 0. Throws RangeError unless given 8 digits or capitals.
 */
export function organisationCodeCheckCharacter(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new RangeError(`expected 8 digits or capital letters, got ${quote(body)}`);
  let sum = 0;
  WEIGHTS.forEach((weight, i) => {
    sum += characterValue(body.charAt(i)) * weight;
  });
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

/**
 * Checks an organisation code written as 9 characters or XXXXXXXX-X (lower-case
 * letters are read as capitals); the value is the 9 characters without hyphen.
 */
export function checkOrganisationCode(text: string): CheckResult<string> {
  const trimmed = text.trim().toUpperCase();
  const code = /^[^-]{8}-[^-]$/.test(trimmed) ? trimmed.replace('-', '') : trimmed;
  if (code.length !== 9) {
    return fail(`organisation code must have 9 characters (or be written XXXXXXXX-X), got ${quote(trimmed)}`);
  }
  const problem = organisationCodeProblem(code, 1);
  return problem === undefined ? ok(code) : fail(problem);
}

/**
 * Why nine characters are not a valid organisation code, with positions counted
 * from `firstPosition` (9 inside a credit code), or undefined when valid.
 */
export function organisationCodeProblem(code: string, firstPosition: number): string | undefined {
  const bad = /[^0-9A-Z]/.exec(code.slice(0, 8));
  if (bad !== null) {
    return `character ${bad.index + firstPosition} (organisation code) must be a digit or a capital letter, got ${quote(bad[0])}`;
  }
  const expected = organisationCodeCheckCharacter(code.slice(0, 8));
  const given = code.charAt(8);
  if (given !== expected) {
    return `organisation code check character at position ${firstPosition + 8} should be ${expected}, got ${given}`;
  }
  return undefined;
}
