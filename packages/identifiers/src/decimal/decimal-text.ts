import { type CheckResult, fail, ok, quote } from '../check-result.ts';

export interface DecimalOptions {
  /** Digits after the point in the result, e.g. 2 for yuan and fen. */
  readonly scale: number;
  /** Whether a leading minus is accepted (refunds); default false. */
  readonly allowNegative?: boolean;
  /**
   * More decimal places than `scale` are rejected (default), so no money is
   * silently lost, or rounded half away from zero. Extra zeros are always fine.
   */
  readonly rounding?: 'reject' | 'half-up';
}

const DECIMAL = /^([+-])?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;

/**
 * Normalises money or area text to a plain decimal at a fixed scale:
 * "1,234.5" → "1234.50" at scale 2. Thousands separators must group by three;
 * anything but digits, one point, a sign and separators is rejected, as are
 * exponents and units ("12元"), which a connector strips knowingly if at all.
 */
export function normaliseDecimal(text: string, options: DecimalOptions): CheckResult<string> {
  const { scale } = options;
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`scale must be a non-negative integer, got ${scale}`);
  const trimmed = text.trim();
  if (trimmed.length === 0) return fail('decimal value is empty');
  const m = DECIMAL.exec(trimmed);
  const whole = (m?.[2] ?? '').replaceAll(',', '');
  const fraction = m?.[3] ?? '';
  if (m === null || (whole === '' && fraction === '')) {
    return fail(`${quote(trimmed)} is not a decimal number (digits, optional thousands separators and one point)`);
  }
  const negative = m[1] === '-';
  const significantFraction = fraction.replace(/0+$/, '');
  let unscaled = BigInt(`${whole || '0'}${significantFraction.slice(0, scale).padEnd(scale, '0')}`);
  if (significantFraction.length > scale) {
    if (options.rounding !== 'half-up') {
      return fail(`${quote(trimmed)} has ${significantFraction.length} decimal places, more than the ${scale} allowed`);
    }
    if (Number(significantFraction.charAt(scale)) >= 5) unscaled += 1n;
  }
  if (negative && unscaled !== 0n && options.allowNegative !== true) {
    return fail(`${quote(trimmed)} is negative, which is not allowed here`);
  }
  const digits = unscaled.toString().padStart(scale + 1, '0');
  const integerPart = digits.slice(0, digits.length - scale);
  const sign = negative && unscaled !== 0n ? '-' : '';
  return ok(scale === 0 ? `${sign}${integerPart}` : `${sign}${integerPart}.${digits.slice(digits.length - scale)}`);
}
