import { type Random, quote, randomInt } from '../check-result.ts';
import { dayNumber, formatIsoDate, fromDayNumber, pad, parseIsoDate } from '../dates/calendar.ts';
import { sixDigitDivisionProblem } from '../divisions/division-code.ts';
import { residentIdCheckCharacter } from './resident-id.ts';

export interface ResidentIdSpec {
  /** Six-digit division code of registration, e.g. 450305. */
  readonly division: string;
  /** 'YYYY-MM-DD' */
  readonly birthDate: string;
  /** 0-999; odd for a man, even for a woman. */
  readonly sequence: number;
}

/**
 * Builds the 18-character number for a division, birth date and sequence,
 * computing the check character. For simulators and tests; throws RangeError
 * on a spec that cannot make a well-formed number.
 */
export function generateResidentId(spec: ResidentIdSpec): string {
  const problem = sixDigitDivisionProblem(spec.division);
  if (problem !== undefined) throw new RangeError(problem);
  const birth = parseIsoDate(spec.birthDate);
  if (birth === undefined) throw new RangeError(`birth date must be a real date as YYYY-MM-DD, got ${quote(spec.birthDate)}`);
  if (!Number.isInteger(spec.sequence) || spec.sequence < 0 || spec.sequence > 999) {
    throw new RangeError(`sequence must be an integer from 0 to 999, got ${spec.sequence}`);
  }
  const first17 = `${spec.division}${formatIsoDate(birth).replaceAll('-', '')}${pad(spec.sequence, 3)}`;
  return first17 + residentIdCheckCharacter(first17);
}

export interface RandomResidentIdOptions {
  /** Division codes to draw from (e.g. `sampleDivisions('45', 'county', …)`). */
  readonly divisions: readonly string[];
  /** Earliest birth date, default 1930-01-01. */
  readonly bornFrom?: string;
  /** Latest birth date, default 2010-12-31. */
  readonly bornTo?: string;
  /** GB/T 2261.1 '1' male or '2' female; drawn at random when absent. */
  readonly sex?: '1' | '2';
}

/** A valid number with a division, birth date and sequence drawn from `random`. */
export function randomResidentId(random: Random, options: RandomResidentIdOptions): string {
  const division = options.divisions[randomInt(random, options.divisions.length)];
  if (division === undefined) throw new RangeError('divisions must not be empty');
  const from = parseIsoDate(options.bornFrom ?? '1930-01-01');
  const to = parseIsoDate(options.bornTo ?? '2010-12-31');
  if (from === undefined || to === undefined || dayNumber(from) > dayNumber(to)) {
    throw new RangeError('bornFrom and bornTo must be real dates as YYYY-MM-DD, in order');
  }
  const first = dayNumber(from);
  const birth = fromDayNumber(first + randomInt(random, dayNumber(to) - first + 1));
  const male = options.sex === undefined ? randomInt(random, 2) === 1 : options.sex === '1';
  const sequence = 2 * randomInt(random, 500) + (male ? 1 : 0);
  return generateResidentId({ division, birthDate: formatIsoDate(birth), sequence });
}
