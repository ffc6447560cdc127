import { type CheckResult, fail, ok, quote } from '../check-result.ts';
import { type CalendarDate, formatIsoDate, isRealDate, parseIsoDate } from '../dates/calendar.ts';
import { sixDigitDivisionProblem } from '../divisions/division-code.ts';
import { PROVINCES, TAIWAN_RESIDENCE_PERMIT_PREFIX } from '../divisions/provinces.ts';

/**
 * Resident ID number (公民身份号码), GB 11643-1999: six digits of the division
 * of registration at the time of issue, eight of birth date (YYYYMMDD), three
 * of sequence (顺序码, odd for men, even for women) and a check character.
 */
export interface ResidentId {
  /** The 18-character number, check character upper-case. */
  readonly number: string;
  /** Digits 1-6: the division code when the number was issued (it may since have been abolished). */
  readonly division: string;
  /** 'YYYY-MM-DD' */
  readonly birthDate: string;
  /** GB/T 2261.1 code: '1' male (odd 17th digit), '2' female (even). */
  readonly sex: '1' | '2';
  /** The 15-digit number this was converted from, when it was a legacy number. */
  readonly legacyNumber?: string;
}

export interface ResidentIdCheckOptions {
  /**
   * Today's date 'YYYY-MM-DD' in the hub's time zone (see `calendarDateAt`):
   * a birth date after it is rejected. Passed in so the check stays pure.
   */
  readonly today: string;
  /** A 15-digit legacy number is converted to 18 digits (default) or rejected. */
  readonly legacy?: 'convert' | 'reject';
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1900-01-01';

/**
 * The check character for the first 17 digits: Σ digit × weight mod 11
 * indexes `1 0 X 9 8 7 6 5 4 3 2`. Throws RangeError unless given 17 digits.
 */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits, got ${quote(first17)}`);
  let sum = 0;
  WEIGHTS.forEach((weight, i) => {
    sum += Number(first17[i]) * weight;
  });
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/**
 * Province prefixes an ID number may carry: GB/T 2260 provinces (with 71, 81
 * and 82) and 83 for Taiwan residents' residence permits.
 */
function isIdNumberProvince(twoDigits: string): boolean {
  return PROVINCES.has(twoDigits) || twoDigits === TAIWAN_RESIDENCE_PERMIT_PREFIX;
}

/**
 * Converts a legacy 15-digit number (6 division + YYMMDD + 3 sequence, issued
 * before the 1999 standard to people born in the 1900s) to 18 digits by
 * inserting the century 19 and appending the check character.
 */
export function convertLegacyResidentId(text: string): CheckResult<string> {
  const legacy = text.trim();
  if (!/^\d{15}$/.test(legacy)) return fail(`a legacy resident ID number must be 15 digits, got ${quote(legacy)}`);
  const first17 = `${legacy.slice(0, 6)}19${legacy.slice(6)}`;
  return ok(first17 + residentIdCheckCharacter(first17));
}

/** The last `today` found to be a real date. */
let lastValidToday: string | undefined;

/**
 * Checks a resident ID number: 18 characters (a lower-case x is read as X;
 * surrounding blanks are ignored), the check character, a division prefix of a
 * known province and well-formed shape, and a real birth date from 1900 up to
 * `today`. A 15-digit legacy number is converted unless `legacy: 'reject'`.
 *
 * The division prefix is not looked up in today's division list: codes are
 * renamed and abolished, and a number keeps the code it was issued under, so a
 * known province and a well-formed shape is as far as a check can go.
 */
export function checkResidentId(text: string, options: ResidentIdCheckOptions): CheckResult<ResidentId> {
  if (options.today !== lastValidToday) {
    if (parseIsoDate(options.today) === undefined) throw new RangeError(`today must be a real date as YYYY-MM-DD, got ${quote(options.today)}`);
    lastValidToday = options.today; // a batch checks thousands of numbers against the same today
  }
  const trimmed = text.trim().toUpperCase();
  if (trimmed.length === 0) return fail('resident ID number is empty');
  if (trimmed.length === 15) {
    if (options.legacy === 'reject') return fail('legacy 15-digit resident ID numbers are not accepted here');
    const converted = convertLegacyResidentId(trimmed);
    if (!converted.ok) return converted;
    const checked = checkEighteen(converted.value, options.today);
    return checked.ok ? ok({ ...checked.value, legacyNumber: trimmed }) : checked;
  }
  if (trimmed.length !== 18) {
    return fail(`resident ID number must have 18 characters (or 15 for a legacy number), got ${trimmed.length}`);
  }
  return checkEighteen(trimmed, options.today);
}

function checkEighteen(number: string, today: string): CheckResult<ResidentId> {
  const nonDigit = /\D/.exec(number.slice(0, 17));
  if (nonDigit !== null) {
    return fail(`character ${nonDigit.index + 1} must be a digit, got ${quote(nonDigit[0])}`);
  }
  const given = number.charAt(17);
  if (!/^[0-9X]$/.test(given)) return fail(`check character must be a digit or X, got ${quote(given)}`);
  const expected = residentIdCheckCharacter(number.slice(0, 17));
  if (given !== expected) return fail(`check character should be ${expected}, got ${given}`);

  const division = number.slice(0, 6);
  const divisionProblem = sixDigitDivisionProblem(division, isIdNumberProvince);
  if (divisionProblem !== undefined) return fail(divisionProblem);

  const birth: CalendarDate = {
    year: Number(number.slice(6, 10)),
    month: Number(number.slice(10, 12)),
    day: Number(number.slice(12, 14)),
  };
  if (!isRealDate(birth.year, birth.month, birth.day)) {
    return fail(`birth date ${number.slice(6, 14)} is not a real calendar date`);
  }
  const birthDate = formatIsoDate(birth);
  if (birthDate < EARLIEST_BIRTH_DATE) return fail(`birth date ${birthDate} is before ${EARLIEST_BIRTH_DATE}`);
  if (birthDate > today) return fail(`birth date ${birthDate} is after today (${today})`);

  const sex = Number(number.charAt(16)) % 2 === 1 ? '1' : '2';
  return ok({ number, division, birthDate, sex });
}
