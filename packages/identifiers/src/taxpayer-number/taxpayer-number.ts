import { type CheckResult, fail, ok } from '../check-result.ts';
import { type CreditCode, checkCreditCode } from '../credit-code/credit-code.ts';
import { sixDigitDivisionProblem } from '../divisions/division-code.ts';
import { organisationCodeProblem } from '../organisation-code/organisation-code.ts';
import { type ResidentId, checkResidentId } from '../resident-id/resident-id.ts';

/**
 * Taxpayer identification number (纳税人识别号, NSRSBH), which comes in four kinds:
 * - `credit-code`: an organisation's 18-character unified social credit code;
 * - `legacy`: 15 characters from before credit codes, the six-digit division
 *   code of the tax office and the nine-character organisation code;
 * - `resident-id`: a natural person's 18-character ID number (the individual
 *   income tax system uses it as the taxpayer number);
 * - `resident-id-with-sequence`: an individual business's 20 characters, the
 *   owner's ID number and a two-digit sequence.
 */
export type TaxpayerNumber =
  | { readonly kind: 'credit-code'; readonly number: string; readonly creditCode: CreditCode }
  | { readonly kind: 'legacy'; readonly number: string; readonly division: string; readonly organisationCode: string }
  | { readonly kind: 'resident-id'; readonly number: string; readonly residentId: ResidentId }
  | {
      readonly kind: 'resident-id-with-sequence';
      readonly number: string;
      readonly residentId: ResidentId;
      readonly sequence: string;
    };

export type TaxpayerNumberKind = TaxpayerNumber['kind'];

export interface TaxpayerNumberCheckOptions {
  /** Today's date 'YYYY-MM-DD', for the birth date inside ID-number kinds. */
  readonly today: string;
}

/**
 * Checks a taxpayer number and says which kind it is. An 18-character number
 * that is both a valid credit code and a valid ID number (possible, if rare) is
 * taken as a credit code, since organisations far outnumber individuals in
 * departmental taxpayer registers.
 */
export function checkTaxpayerNumber(text: string, options: TaxpayerNumberCheckOptions): CheckResult<TaxpayerNumber> {
  const number = text.trim().toUpperCase();
  if (number.length === 0) return fail('taxpayer number is empty');
  switch (number.length) {
    case 15:
      return checkLegacy(number);
    case 18:
      return checkEighteen(number, options.today);
    case 20:
      return checkIdWithSequence(number, options.today);
    default:
      return fail(`taxpayer number must have 15, 18 or 20 characters, got ${number.length}`);
  }
}

function checkLegacy(number: string): CheckResult<TaxpayerNumber> {
  const division = number.slice(0, 6);
  const problem = sixDigitDivisionProblem(division) ?? organisationCodeProblem(number.slice(6), 7);
  if (problem !== undefined) return fail(`15-character legacy taxpayer number: ${problem}`);
  return ok({ kind: 'legacy', number, division, organisationCode: number.slice(6) });
}

function checkEighteen(number: string, today: string): CheckResult<TaxpayerNumber> {
  const asCreditCode = checkCreditCode(number);
  if (asCreditCode.ok) return ok({ kind: 'credit-code', number, creditCode: asCreditCode.value });
  const asResidentId = checkResidentId(number, { today, legacy: 'reject' });
  if (asResidentId.ok) return ok({ kind: 'resident-id', number, residentId: asResidentId.value });
  if (/^\d{17}[\dX]$/.test(number)) {
    return fail(
      `18-character taxpayer number is neither a valid credit code (${asCreditCode.reason}) nor a valid resident ID number (${asResidentId.reason})`,
    );
  }
  return fail(`18-character taxpayer number is not a valid credit code: ${asCreditCode.reason}`);
}

function checkIdWithSequence(number: string, today: string): CheckResult<TaxpayerNumber> {
  const sequence = number.slice(18);
  if (!/^\d{2}$/.test(sequence)) {
    return fail(`20-character taxpayer number must end in a 2-digit sequence, got "${sequence}"`);
  }
  const residentId = checkResidentId(number.slice(0, 18), { today, legacy: 'reject' });
  if (!residentId.ok) return fail(`20-character taxpayer number (ID number + sequence): ${residentId.reason}`);
  return ok({ kind: 'resident-id-with-sequence', number, residentId: residentId.value, sequence });
}
