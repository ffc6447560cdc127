import {
  type CheckResult,
  type CreditCode,
  type ResidentId,
  type TaxpayerNumber,
  checkCreditCode,
  checkDivisionCode,
  checkResidentId,
  checkTaxpayerNumber,
  isKnownDivision,
  normaliseDecimal,
  parseDepartmentDate,
} from '@hub/identifiers';
import { halfWidthCode, halfWidthText } from './width.ts';

/** What a parser may know besides the text: today's date in Beijing, from the mapping context. */
export interface ParseContext {
  /** 'YYYY-MM-DD' */
  readonly today: string;
}

/**
 * Reads the text of one native column (never blank: presence is checked
 * before) into a value, or says in one sentence why it cannot.
 */
export type FieldParser<T> = (text: string, context: ParseContext) => CheckResult<T>;

const ok = <T>(value: T): CheckResult<T> => ({ ok: true, value });
const fail = <T>(reason: string): CheckResult<T> => ({ ok: false, reason });

/** Applies `then` to a parsed value; `then` may reject it. */
export function refine<T, U>(parser: FieldParser<T>, then: (value: T, context: ParseContext) => CheckResult<U>): FieldParser<U> {
  return (text, context) => {
    const parsed = parser(text, context);
    return parsed.ok ? then(parsed.value, context) : parsed;
  };
}

/** Free text as written, with full-width digits and letters folded. */
export function text(maxLength = 500): FieldParser<string> {
  return (raw) => {
    const value = halfWidthText(raw);
    return value.length <= maxLength ? ok(value) : fail(`text has ${value.length} characters, more than the ${maxLength} allowed`);
  };
}

/**
 * A person's name (姓名): Chinese characters, or letters for foreign names,
 * with the middle dot of minority and transliterated names (买买提·艾力).
 */
export const personName: FieldParser<string> = (raw) => {
  const value = halfWidthText(raw);
  if (value.length > 50) return fail(`a name has at most 50 characters, got ${value.length}`);
  const bad = /[^\p{Script=Han}\p{L}·•.\- ]/u.exec(value);
  return bad === null ? ok(value) : fail(`a name may hold only letters, Chinese characters and the middle dot, got ${JSON.stringify(bad[0])}`);
};

/** A code written by the system, every full-width form folded, upper case. */
export function codeText(pattern: RegExp, shape: string): FieldParser<string> {
  return (raw) => {
    const value = halfWidthCode(raw).toUpperCase();
    return pattern.test(value) ? ok(value) : fail(`${JSON.stringify(value)} is not ${shape}`);
  };
}

/** Resident ID number (公民身份号码), GB 11643: check character, division prefix, birth date up to today. */
export const residentId: FieldParser<ResidentId> = (raw, { today }) => checkResidentId(halfWidthCode(raw), { today });

/** Unified social credit code (统一社会信用代码), GB 32100. */
export const creditCode: FieldParser<CreditCode> = (raw) => checkCreditCode(halfWidthCode(raw));

/** Taxpayer number (纳税人识别号): credit code, legacy 15 characters, or ID number (+ sequence). */
export const taxpayerNumber: FieldParser<TaxpayerNumber> = (raw, { today }) => checkTaxpayerNumber(halfWidthCode(raw), { today });

/**
 * Division code (行政区划代码), GB/T 2260 and the statistical 9/12-digit
 * extension: well formed and a real division; the value is the shortest form
 * that keeps the level (450102000000 → 450102).
 */
export const divisionCode: FieldParser<string> = (raw) => {
  const checked = checkDivisionCode(halfWidthCode(raw));
  if (!checked.ok) return checked;
  const { code } = checked.value;
  return isKnownDivision(code) ? ok(code) : fail(`division code ${code} is not a known division`);
};

/** A calendar date in any format departmental systems write; a time of day, if any, is dropped. */
export const date: FieldParser<string> = (raw) => {
  const parsed = parseDepartmentDate(halfWidthCode(raw));
  return parsed.ok ? ok(parsed.value.date) : parsed;
};

/** A date that cannot lie in the future: a birth, a registration, an issue. */
export const pastDate: FieldParser<string> = refine(date, (value, { today }) =>
  value <= today ? ok(value) : fail(`date ${value} is after today (${today})`),
);

/** An instant (yyyyMMddHHmmss and the rest, Beijing time); a bare date is its midnight in Beijing. */
export const timestamp: FieldParser<Date> = (raw) => {
  const parsed = parseDepartmentDate(halfWidthCode(raw));
  if (!parsed.ok) return parsed;
  const { value } = parsed;
  return ok(value.kind === 'timestamp' ? new Date(value.epochMs) : new Date(`${value.date}T00:00:00+08:00`));
};

export interface DecimalFieldOptions {
  /** Digits after the point in the canonical value (the Avro decimal's scale). */
  readonly scale: number;
  /** The Avro decimal's precision: total digits the value may have. */
  readonly precision: number;
  /** Unit suffixes the department may append, stripped before reading ("㎡", "万元"). */
  readonly units?: readonly string[];
  /** Power of ten the written number is multiplied by (4 for amounts written in 万元). */
  readonly shift?: number;
  /** Whether zero is accepted; negatives never are. */
  readonly allowZero?: boolean;
}

/**
 * A decimal amount or area as text ("12,345.60", "98.76㎡", "500万元"),
 * normalised to the canonical scale; no digit is rounded away.
 */
export function decimal(options: DecimalFieldOptions): FieldParser<string> {
  const { scale, precision, units = [], shift = 0, allowZero = false } = options;
  return (raw) => {
    let value = halfWidthCode(raw);
    const unit = units.find((suffix) => value.endsWith(suffix));
    if (unit !== undefined) value = value.slice(0, -unit.length).trim();
    const read = normaliseDecimal(value, { scale: scale + shift });
    if (!read.ok) return read;
    const digits = read.value.replace('.', '');
    const whole = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '');
    const fraction = digits.slice(digits.length - scale);
    const normalised = scale === 0 ? whole : `${whole}.${fraction}`;
    if (whole.length > precision - scale) {
      return fail(`${JSON.stringify(raw.trim())} has ${whole.length} digits before the point, more than the ${precision - scale} allowed`);
    }
    if (!allowZero && /^[0.]+$/.test(normalised)) return fail(`${JSON.stringify(raw.trim())} must be greater than zero`);
    return ok(normalised);
  };
}

/** A whole number within bounds ("3", "３"). */
export function integer(min: number, max: number): FieldParser<number> {
  return (raw) => {
    const value = halfWidthCode(raw);
    if (!/^\d+$/.test(value)) return fail(`${JSON.stringify(value)} is not a whole number`);
    const n = Number(value);
    return n >= min && n <= max ? ok(n) : fail(`${n} is outside ${min} to ${max}`);
  };
}

/** A national code table from @hub/identifiers (sex, ethnicity, marital status, family relation). */
export function codeTable<C extends string>(normalise: (text: string) => CheckResult<C>): FieldParser<C> {
  return (raw) => normalise(halfWidthCode(raw));
}

/**
 * A value from a department's own list: each canonical value with the texts and
 * codes the department writes for it (matched after folding and upper-casing).
 */
export function choice<T extends string>(subject: string, spellings: Readonly<Record<T, readonly string[]>>): FieldParser<T> {
  const index = new Map<string, T>();
  for (const [value, texts] of Object.entries(spellings) as [T, readonly string[]][]) {
    for (const spelling of texts) index.set(halfWidthCode(spelling).toUpperCase(), value);
  }
  const accepted = [...index.keys()].join(', ');
  return (raw) => {
    const key = halfWidthCode(raw).toUpperCase();
    const found = index.get(key);
    return found === undefined ? fail(`${JSON.stringify(key)} is not a known ${subject}; expected one of ${accepted}`) : ok(found);
  };
}
