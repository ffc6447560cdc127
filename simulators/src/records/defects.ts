import type { NativeRecord } from '@hub/connector-core';
import { type Random, pick } from '../random.ts';

/**
 * How a simulated record is bad: one column, spoilt in one way real
 * departmental data is, so a test can assert that the connector names it.
 */
export type DefectKind = 'check-character' | 'impossible-date' | 'unknown-division' | 'unknown-code' | 'missing' | 'bad-decimal';

export interface Defect {
  /** The native column that was spoilt. */
  readonly field: string;
  readonly kind: DefectKind;
  /** What was done, e.g. `GMSFHM check character mistyped: 3 → 7`. */
  readonly description: string;
}

/** One way a resource's records can be spoilt; `spoil` returns the bad column value. */
export interface DefectRule {
  readonly field: string;
  readonly kind: DefectKind;
  spoil(value: string, random: Random): { value: string; description: string };
}

const ID_CHECK_CHARACTERS = '0123456789X';
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * A mistyped check character (校验码录错) at `position(value)` (the last
 * character by default): another character of the same alphabet.
 */
export function checkCharacter(field: string, position: (value: string) => number = (value) => value.length - 1): DefectRule {
  return {
    field,
    kind: 'check-character',
    spoil(value, random) {
      const index = position(value);
      const current = value.charAt(index);
      const digitsOnly = /^[\d、]+[\dX]$/.test(value);
      const alphabet = [...(digitsOnly ? ID_CHECK_CHARACTERS : CREDIT_CODE_ALPHABET)].filter((ch) => ch !== current);
      const replacement = pick(random, alphabet);
      return {
        value: value.slice(0, index) + replacement + value.slice(index + 1),
        description: `${field} check character mistyped: ${current} → ${replacement}`,
      };
    },
  };
}

/** Month-days that do not exist in any year. */
const IMPOSSIBLE_MONTH_DAYS = ['0230', '0231', '0431', '0631', '0931', '1131', '1301', '0010'];

/** A date that does not exist (20230230), written in the column's own format. */
export function impossibleDate(field: string): DefectRule {
  return {
    field,
    kind: 'impossible-date',
    spoil(value, random) {
      const monthDay = pick(random, IMPOSSIBLE_MONTH_DAYS);
      const dashed = /^\d{4}-\d{2}-\d{2}/.test(value);
      const spoilt = dashed
        ? `${value.slice(0, 5)}${monthDay.slice(0, 2)}-${monthDay.slice(2)}${value.slice(10)}`
        : `${value.slice(0, 4)}${monthDay}${value.slice(8)}`;
      return { value: spoilt, description: `${field} is a date that does not exist: ${spoilt}` };
    },
  };
}

/**
 * County codes of Guangxi abolished before the 2023 codes (邕宁县 450121,
 * 武鸣县 450122, 百色地区 452601, …): old systems still write them.
 */
export const ABOLISHED_COUNTIES = ['450121', '450122', '452601', '452101', '452701', '452501'];

/**
 * An abolished county code where a current division belongs; the code is
 * put at `at` (0 by default) in place of the six digits there, and a 9- or
 * 12-digit code keeps its length.
 */
export function unknownDivision(field: string, at = 0): DefectRule {
  return {
    field,
    kind: 'unknown-division',
    spoil(value, random) {
      const old = pick(random, ABOLISHED_COUNTIES);
      const spoilt = value.slice(0, at) + old + value.slice(at + 6);
      return { value: spoilt, description: `${field} carries the abolished county code ${old}` };
    },
  };
}

/** A value outside the column's code table, as a clerk might type it. */
export function unknownCode(field: string, values: readonly string[]): DefectRule {
  return {
    field,
    kind: 'unknown-code',
    spoil(_value, random) {
      const spoilt = pick(random, values);
      return { value: spoilt, description: `${field} is not in its code table: ${spoilt}` };
    },
  };
}

/** A required column left blank. */
export function missing(field: string): DefectRule {
  return { field, kind: 'missing', spoil: () => ({ value: '', description: `${field} left blank` }) };
}

/** An amount written the European way (1.640,00) or with a word in front (约1640). */
export function badDecimal(field: string): DefectRule {
  return {
    field,
    kind: 'bad-decimal',
    spoil(value, random) {
      const plain = value.replace(/[^\d.]/g, '');
      const [whole = '0', fraction = '00'] = plain.split('.');
      const european = `${whole.replace(/\B(?=(\d{3})+$)/g, '.')},${fraction.padEnd(2, '0')}`;
      const spoilt = pick(random, [european, `约${plain}`, `${plain}.5.0`]);
      return { value: spoilt, description: `${field} is not a decimal number: ${spoilt}` };
    },
  };
}

/** The record with the rule's column spoilt. */
export function spoil(native: NativeRecord, rule: DefectRule, random: Random): { native: NativeRecord; defect: Defect } {
  const current = native[rule.field];
  const { value, description } = rule.spoil(current === null || current === undefined ? '' : String(current), random);
  return { native: { ...native, [rule.field]: value }, defect: { field: rule.field, kind: rule.kind, description } };
}
