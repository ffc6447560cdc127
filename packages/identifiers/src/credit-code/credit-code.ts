import { type CheckResult, type Random, fail, ok, quote, randomInt } from '../check-result.ts';
import { sixDigitDivisionProblem } from '../divisions/division-code.ts';
import { NATIONAL_DIVISION, PROVINCES } from '../divisions/provinces.ts';
import { organisationCodeCheckCharacter, organisationCodeProblem } from '../organisation-code/organisation-code.ts';
import { REGISTRATION_AUTHORITIES } from './registration-authorities.ts';

/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: registration
 * authority (1), organisation type (2), division of the registering office
 * (3-8), organisation code with its own GB 11714 check (9-17), check (18).
 */
export interface CreditCode {
  readonly code: string;
  /** Position 1 (登记管理部门码), e.g. 9 工商. */
  readonly registrationAuthority: string;
  readonly registrationAuthorityName: string;
  /** Position 2 (机构类别码), e.g. 1 企业. */
  readonly organisationType: string;
  readonly organisationTypeName: string;
  /** Positions 3-8: division code of the registering office (100000 for central authorities). */
  readonly division: string;
  /** Positions 9-17: the GB 11714 organisation code (主体标识码). */
  readonly organisationCode: string;
}

/** The 31 characters of the code: digits and capitals without I, O, S, V, Z. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** 3^i mod 31 for i = 0..16. */
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/**
 * The check character for the first 17 characters: 31 − (Σ value × weight mod
 * 31), with 31 → 0, mapped back through the alphabet. Throws RangeError unless
 * given 17 characters of the alphabet.
 */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17 || [...first17].some((ch) => !CREDIT_CODE_ALPHABET.includes(ch))) {
    throw new RangeError(`expected 17 characters of ${CREDIT_CODE_ALPHABET}, got ${quote(first17)}`);
  }
  let sum = 0;
  WEIGHTS.forEach((weight, i) => {
    sum += CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i)) * weight;
  });
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

function creditCodeDivisionProblem(code: string): string | undefined {
  if (code === NATIONAL_DIVISION) return undefined;
  return sixDigitDivisionProblem(code, (p) => PROVINCES.has(p));
}

/**
 * Checks a credit code (surrounding blanks ignored, lower case read as
 * capitals): length, alphabet, check character, registration authority and
 * organisation type against REGISTRATION_AUTHORITIES, division shape, and the
 * organisation code's own check character at position 17.
 */
export function checkCreditCode(text: string): CheckResult<CreditCode> {
  const code = text.trim().toUpperCase();
  if (code.length === 0) return fail('unified social credit code is empty');
  if (code.length !== 18) return fail(`unified social credit code must have 18 characters, got ${code.length}`);
  const badIndex = [...code].findIndex((ch) => !CREDIT_CODE_ALPHABET.includes(ch));
  if (badIndex >= 0) {
    return fail(
      `character ${badIndex + 1} is ${quote(code.charAt(badIndex))}, which is not allowed (digits and capitals except I, O, S, V, Z)`,
    );
  }
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  const given = code.charAt(17);
  if (given !== expected) return fail(`check character should be ${expected}, got ${given}`);

  const authorityCode = code.charAt(0);
  const authority = REGISTRATION_AUTHORITIES.get(authorityCode);
  if (authority === undefined) {
    return fail(
      `registration authority ${authorityCode} at position 1 is not one of ${[...REGISTRATION_AUTHORITIES.keys()].join(', ')}`,
    );
  }
  const typeCode = code.charAt(1);
  const typeName = authority.types.get(typeCode);
  if (typeName === undefined) {
    const known = [...authority.types].map(([type, name]) => `${type} ${name}`).join(', ');
    return fail(
      `organisation type ${typeCode} at position 2 is not defined for registration authority ${authorityCode} (${authority.name}); expected one of ${known}`,
    );
  }
  const division = code.slice(2, 8);
  const divisionProblem = creditCodeDivisionProblem(division);
  if (divisionProblem !== undefined) return fail(`${divisionProblem} (positions 3-8)`);
  const organisationCode = code.slice(8, 17);
  const organisationProblem = organisationCodeProblem(organisationCode, 9);
  if (organisationProblem !== undefined) return fail(organisationProblem);

  return ok({
    code,
    registrationAuthority: authorityCode,
    registrationAuthorityName: authority.name,
    organisationType: typeCode,
    organisationTypeName: typeName,
    division,
    organisationCode,
  });
}

export interface CreditCodeSpec {
  /** Position 1, default 9 (工商). */
  readonly registrationAuthority?: string;
  /** Position 2, default 1 (企业). */
  readonly organisationType?: string;
  /** Six-digit division code of the registering office. */
  readonly division: string;
  /** Eight characters of the organisation code body (digits and the alphabet's capitals). */
  readonly organisationBody: string;
}

/**
 * Builds a credit code, computing the organisation code's check character
 * (position 17) and the final one. For simulators and tests; throws RangeError
 * on a spec that cannot make a valid code.
 */
export function generateCreditCode(spec: CreditCodeSpec): string {
  const authorityCode = spec.registrationAuthority ?? '9';
  const typeCode = spec.organisationType ?? '1';
  const authority = REGISTRATION_AUTHORITIES.get(authorityCode);
  if (authority === undefined) throw new RangeError(`unknown registration authority ${quote(authorityCode)}`);
  if (!authority.types.has(typeCode)) {
    throw new RangeError(`organisation type ${quote(typeCode)} is not defined for registration authority ${authorityCode}`);
  }
  const problem = creditCodeDivisionProblem(spec.division);
  if (problem !== undefined) throw new RangeError(problem);
  const body = spec.organisationBody;
  if (body.length !== 8 || [...body].some((ch) => !CREDIT_CODE_ALPHABET.includes(ch))) {
    throw new RangeError(`organisation body must be 8 characters of ${CREDIT_CODE_ALPHABET}, got ${quote(body)}`);
  }
  const first17 = `${authorityCode}${typeCode}${spec.division}${body}${organisationCodeCheckCharacter(body)}`;
  return first17 + creditCodeCheckCharacter(first17);
}

export interface RandomCreditCodeOptions {
  /** Division codes of registering offices to draw from. */
  readonly divisions: readonly string[];
  /** Position 1, default 9 (工商). */
  readonly registrationAuthority?: string;
  /** Position 2, default 1 (企业). */
  readonly organisationType?: string;
}

/**
 * A valid credit code with a division and organisation body drawn from
 * `random`, the body uniformly from the code's alphabet.
 */
export function randomCreditCode(random: Random, options: RandomCreditCodeOptions): string {
  const division = options.divisions[randomInt(random, options.divisions.length)];
  if (division === undefined) throw new RangeError('divisions must not be empty');
  let body = '';
  while (body.length < 8) body += CREDIT_CODE_ALPHABET.charAt(randomInt(random, CREDIT_CODE_ALPHABET.length));
  return generateCreditCode({
    registrationAuthority: options.registrationAuthority ?? '9',
    organisationType: options.organisationType ?? '1',
    division,
    organisationBody: body,
  });
}
