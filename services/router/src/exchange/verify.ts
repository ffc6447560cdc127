import { convertLegacyResidentId, parseDepartmentDate } from '@hub/identifiers';
import { isFieldHolder, parseFieldPath, wrappedUnionBranch, FieldPathError, type PathStep } from './field-path.ts';

/**
 * Verification (核验): does the record hold these values? The answer is one
 * boolean per field asked and nothing else, so a window checks an applicant
 * ("is this the name registered for this ID number?") without seeing the record.
 */

/**
 * Fields asked that the record does not have, or that hold a record rather
 * than a value; named, so that a 400 can point at them. No value is ever part of it.
 */
export class UnknownVerifyFieldsError extends Error {
  override name = 'UnknownVerifyFieldsError';
  constructor(readonly fields: readonly string[]) {
    super(`the record has no field with a value at ${fields.map((field) => JSON.stringify(field)).join(', ')}`);
  }
}

/**
 * `matches`: for each field of `verify`, whether the record holds the value.
 * A field is a name of the record or a path into it (`partyA.name`;
 * `rightsHolders[].idNumber` and an array of strings match when any item does).
 * Values are compared after normalising both sides:
 * - text: Unicode NFKC (full-width letters, digits and spaces to half-width,
 *   compatibility ideographs to unified ones), trimmed, inner runs of blanks to one;
 * - codes (letters and digits with at least one digit: ID numbers, credit codes,
 *   certificate numbers) and enum symbols (MALE) without regard to case, so
 *   the check character x is X; a 15-digit legacy ID number matches its
 *   18-digit form;
 * - an Avro `date` ('YYYY-MM-DD') matches the same day as 20250601, 2025/6/1,
 *   2025年6月1日; a `timestamp-millis` (a Date) matches the same instant in ISO
 *   text, or the same Beijing calendar day as a date;
 * - a decimal ('1234.50') matches the same number (1234.5, "1234.5");
 *   numbers and booleans match themselves or their text; null matches null.
 *
 * Throws UnknownVerifyFieldsError naming every field the record does not have
 * (FieldPathError's path too), and never puts a value in an error.
 */
export function verifyFields(record: object, verify: Readonly<Record<string, unknown>>): Record<string, boolean> {
  const unknown: string[] = [];
  const found = new Map<string, unknown[]>();
  for (const field of Object.keys(verify)) {
    let steps: readonly PathStep[];
    try {
      steps = parseFieldPath(field);
    } catch (error) {
      if (!(error instanceof FieldPathError)) throw error;
      unknown.push(field);
      continue;
    }
    const values = valuesAt(record, steps, 0);
    if (values === undefined || !values.every(isScalar)) unknown.push(field);
    else found.set(field, values);
  }
  if (unknown.length > 0) throw new UnknownVerifyFieldsError(unknown);
  const matches: Record<string, boolean> = {};
  for (const [field, values] of found) {
    const given = verify[field];
    matches[field] = values.some((value) => sameValue(value, given));
  }
  return matches;
}

/**
 * The values the path reaches, or undefined when the record has no such field.
 * A null met on the way (an optional record, a union's other branch) reaches
 * the value null: the field exists, it is empty.
 */
function valuesAt(value: unknown, steps: readonly PathStep[], index: number): unknown[] | undefined {
  const step = steps[index];
  if (step === undefined) return Array.isArray(value) ? value : [value];
  if (value === null) return [null];
  switch (step.kind) {
    case 'field': {
      if (!isFieldHolder(value)) return undefined;
      if (Object.hasOwn(value, step.name)) return valuesAt(value[step.name], steps, index + 1);
      const branch = wrappedUnionBranch(value, step.name);
      return branch === undefined ? undefined : valuesAt(branch, steps, index);
    }
    case 'items': {
      if (!Array.isArray(value)) return undefined;
      const values: unknown[] = [];
      for (const item of value) {
        const reached = valuesAt(item, steps, index + 1);
        if (reached === undefined) return undefined;
        values.push(...reached);
      }
      return values;
    }
    case 'values': {
      if (!isFieldHolder(value)) return undefined;
      const values: unknown[] = [];
      for (const item of Object.values(value)) {
        const reached = valuesAt(item, steps, index + 1);
        if (reached === undefined) return undefined;
        values.push(...reached);
      }
      return values;
    }
    default: {
      const _exhaustive: never = step;
      return _exhaustive;
    }
  }
}

/** A value one can compare with what a window types: text, a number, a flag, a date, null (or such a value in a wrapped union). */
function isScalar(value: unknown): boolean {
  if (value === null || value instanceof Date) return true;
  if (isFieldHolder(value)) {
    const branch = wrappedUnionBranch(value);
    return branch !== undefined && !isFieldHolder(branch) && isScalar(branch);
  }
  return ['string', 'number', 'bigint', 'boolean'].includes(typeof value);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+\.\d+$/;
const CODE = /^(?=.*\d)[0-9A-Za-z]+$/;
const SYMBOL = /^[A-Z][A-Z0-9_]*$/;
const MS_PER_DAY = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

function sameValue(held: unknown, given: unknown): boolean {
  if (held === null || held === undefined) return given === null;
  if (given === null || given === undefined) return false;
  if (isFieldHolder(held)) {
    const branch = wrappedUnionBranch(held);
    return branch !== undefined && sameValue(branch, given);
  }
  if (held instanceof Date) return sameInstant(held, given);
  if (typeof held === 'number' || typeof held === 'bigint') return sameNumber(String(held), given);
  if (typeof held === 'boolean') return held === given || (typeof given === 'string' && normaliseText(given).toLowerCase() === String(held));
  if (typeof held !== 'string') return false;
  if (typeof given !== 'string' && typeof given !== 'number') return false;
  const text = normaliseText(held);
  const asked = normaliseText(String(given));
  if (ISO_DATE.test(text)) return sameDate(text, asked);
  if (DECIMAL.test(text)) return sameNumber(text, given);
  if (CODE.test(text) || SYMBOL.test(text)) return sameCode(text, asked.replace(/\s/g, ''));
  return text === asked;
}

function normaliseText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

function sameCode(held: string, asked: string): boolean {
  const a = held.toUpperCase();
  const b = asked.toUpperCase();
  if (a === b) return true;
  // A 15-digit legacy ID number (一代证) is the 18-digit number with the century and the check character left out.
  if (/^\d{17}[\dX]$/.test(a) && /^\d{15}$/.test(b)) {
    const converted = convertLegacyResidentId(b);
    return converted.ok && converted.value === a;
  }
  return false;
}

function sameDate(held: string, asked: string): boolean {
  const parsed = parseDepartmentDate(asked);
  return parsed.ok && parsed.value.kind === 'date' && parsed.value.date === held;
}

function sameInstant(held: Date, given: unknown): boolean {
  if (typeof given === 'number') return held.getTime() === given;
  if (typeof given !== 'string') return false;
  const asked = normaliseText(given);
  const parsed = parseDepartmentDate(asked);
  if (parsed.ok && parsed.value.kind === 'date') return beijingDay(held.getTime()) === parsed.value.date;
  if (parsed.ok && parsed.value.kind === 'timestamp') return parsed.value.epochMs === held.getTime();
  // ISO 8601 with an offset or Z (2025-06-01T04:00:00.000Z), which departmental formats do not cover.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(asked)) return false;
  return Date.parse(asked) === held.getTime();
}

function beijingDay(epochMs: number): string {
  return new Date(Math.floor((epochMs + BEIJING_MS) / MS_PER_DAY) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Exact decimal equality of two texts or numbers (1234.50 = 1234.5), without floating point. */
function sameNumber(held: string, given: unknown): boolean {
  const asked = typeof given === 'number' ? (Number.isFinite(given) ? numberText(given) : undefined) : typeof given === 'string' ? normaliseText(given) : undefined;
  if (asked === undefined) return false;
  const a = canonicalDecimal(held);
  const b = canonicalDecimal(asked);
  return a !== undefined && a === b;
}

function numberText(value: number): string {
  // toString gives exponents for very large or small numbers; toFixed(20) is exact enough for what a window types.
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20) : text;
}

function canonicalDecimal(text: string): string | undefined {
  const match = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (match === null || ((match[2] ?? '') === '' && (match[3] ?? '') === '')) return undefined;
  const whole = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const magnitude = fraction === '' ? whole : `${whole}.${fraction}`;
  return match[1] === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude;
}
