import { type FieldParser, type NativeFields, choice, halfWidthCode, halfWidthText } from '@hub/connector-core/native-fields';
import { type CheckResult, checkCreditCode, checkResidentId } from '@hub/identifiers';
import type { RightsHolder } from '@hub/schemas';

/**
 * Co-owned titles list their holders in one column each: QLR 韦建国、黄丽娟,
 * QLRZJH with their numbers in the same order, QLBL with their shares. The
 * systems separate items with 、 or a semicolon (numbers also with a comma).
 */
const NAME_SEPARATOR = /[、;；]/;
const NUMBER_SEPARATOR = /[、;；,，\s]+/;

const ok = <T>(value: T): CheckResult<T> => ({ ok: true, value });
const fail = <T>(reason: string): CheckResult<T> => ({ ok: false, reason });

function items(text: string, separator: RegExp): string[] {
  return text.split(separator).map((item) => item.trim());
}

/** Holder names (权利人), persons or organisations. */
export const holderNames: FieldParser<string[]> = (raw) => {
  const names = items(halfWidthText(raw), NAME_SEPARATOR);
  const blank = names.findIndex((name) => name === '');
  if (blank >= 0) return fail(`holder ${blank + 1} has no name (an empty item between separators)`);
  const long = names.findIndex((name) => name.length > 100);
  return long >= 0 ? fail(`holder ${long + 1}'s name is longer than 100 characters`) : ok(names);
};

type HolderIdentity = Pick<RightsHolder, 'idNumber' | 'creditCode'>;

/** Holder numbers (权利人证件号): a resident ID number for a person, a credit code for an organisation. */
export const holderIdentities: FieldParser<HolderIdentity[]> = (raw, { today }) => {
  const identities: HolderIdentity[] = [];
  for (const [i, item] of items(halfWidthCode(raw).toUpperCase(), NUMBER_SEPARATOR).entries()) {
    const identity = holderIdentity(item, today);
    if (!identity.ok) return fail(`holder ${i + 1}: ${identity.reason}`);
    identities.push(identity.value);
  }
  return ok(identities);
};

function holderIdentity(number: string, today: string): CheckResult<HolderIdentity> {
  if (number === '') return fail('number is empty');
  const asCreditCode = checkCreditCode(number);
  if (/^\d{17}[\dX]$/.test(number)) {
    const asResidentId = checkResidentId(number, { today, legacy: 'reject' });
    if (asResidentId.ok) return ok({ idNumber: asResidentId.value.number, creditCode: null });
    return asCreditCode.ok ? ok({ idNumber: null, creditCode: asCreditCode.value.code }) : asResidentId;
  }
  return asCreditCode.ok ? ok({ idNumber: null, creditCode: asCreditCode.value.code }) : asCreditCode;
}

/** Shares (权利比例): "50%", "50" (a percentage) or a fraction "1/3"; the value is the percentage for the sum check. */
interface Share {
  readonly text: string;
  readonly percent: number;
}

export const holderShares: FieldParser<Share[]> = (raw) => {
  const shares: Share[] = [];
  for (const [i, item] of items(halfWidthCode(raw), NAME_SEPARATOR).entries()) {
    const percent = /^(\d{1,3}(?:\.\d{1,4})?)%?$/.exec(item);
    const fraction = /^(\d+)\/(\d+)$/.exec(item);
    if (percent?.[1] !== undefined) shares.push({ text: `${percent[1]}%`, percent: Number(percent[1]) });
    else if (fraction?.[1] !== undefined && fraction[2] !== undefined && Number(fraction[2]) > 0) {
      shares.push({ text: item, percent: (100 * Number(fraction[1])) / Number(fraction[2]) });
    } else return fail(`holder ${i + 1}'s share ${JSON.stringify(item)} is not a percentage (50%) or a fraction (1/2)`);
  }
  const invalid = shares.findIndex((share) => share.percent <= 0 || share.percent > 100);
  return invalid >= 0 ? fail(`holder ${invalid + 1}'s share must be above 0 and at most 100%`) : ok(shares);
};

/** Form of co-ownership (共有方式). */
export const coOwnership = choice('form of co-ownership (共有方式)', {
  SOLE: ['单独所有', '1'],
  JOINT: ['共同共有', '2'],
  SHARES: ['按份共有', '3'],
});

type CoOwnership = 'SOLE' | 'JOINT' | 'SHARES';

/**
 * The holders once the columns agree with each other: as many numbers and
 * shares as names, one holder for sole ownership, shares adding up to 100%.
 */
export function rightsHolders(
  fields: NativeFields,
  names: string[] | undefined,
  identities: HolderIdentity[] | undefined,
  shares: Share[] | null | undefined,
  ownership: CoOwnership | null | undefined,
): RightsHolder[] | undefined {
  if (names === undefined || identities === undefined || shares === undefined || ownership === undefined) return undefined;
  if (identities.length !== names.length) {
    return fields.problem('QLRZJH', `QLR names ${names.length} holder(s) but QLRZJH has ${identities.length} number(s)`);
  }
  if (shares !== null && shares.length !== names.length) {
    return fields.problem('QLBL', `QLR names ${names.length} holder(s) but QLBL has ${shares.length} share(s)`);
  }
  if (ownership === 'SOLE' && names.length !== 1) return fields.problem('GYFS', `单独所有 means one holder, but QLR names ${names.length}`);
  if (ownership !== null && ownership !== 'SOLE' && names.length < 2) return fields.problem('GYFS', 'co-ownership needs at least two holders');
  if (ownership === 'SHARES' && shares === null) return fields.problem('QLBL', '按份共有 needs each holder\'s share (权利比例)');
  if (shares !== null && names.length > 1) {
    const total = shares.reduce((sum, share) => sum + share.percent, 0);
    if (Math.abs(total - 100) > 0.05) return fields.problem('QLBL', `shares add up to ${Number(total.toFixed(2))}%, not 100%`);
  }
  return names.map((name, i) => ({
    name,
    idNumber: identities[i]?.idNumber ?? null,
    creditCode: identities[i]?.creditCode ?? null,
    share: names.length > 1 && shares !== null ? (shares[i]?.text ?? null) : null,
  }));
}
