import { sensitiveTags, type SensitiveTag } from '@hub/schemas';
import { divisionPartLength } from './address.ts';
import { isFieldHolder, parseFieldPath, wrappedUnionBranch, type PathStep } from './field-path.ts';

/**
 * Masking (脱敏) of the fields the catalogue tags as sensitive. Every mask
 * keeps the value's length in characters (code points, so a rare character
 * outside the BMP counts once) and replaces each hidden character by `*`: a
 * masked value reveals what its rule keeps and its length, nothing more. The
 * length of an ID number, phone number or credit code is fixed by its format
 * anyway; for a name it tells 2 characters from 3, which the rule accepts (张**
 * is how windows and apps print a masked name).
 *
 * A value no longer than what its rule keeps is masked whole: a 10-character
 * "ID number" keeps nothing rather than everything.
 */
export type Mask = (value: string) => string;

/** 公民身份号码: the first 6 (the division of issue) and the last 4 (450102********123X). */
export const maskIdNumber: Mask = (value) => keepEnds(value, 6, 4);

/** 联系电话: the first 3 (the mobile network, or the area code's start) and the last 4 (138****5678, 077*****1234). */
export const maskPhone: Mask = (value) => keepEnds(value, 3, 4);

/** 姓名/名称: the first character, then one `*` per remaining character (韦**, 南***********). A one-character name is masked whole. */
export const maskName: Mask = (value) => keepEnds(value, 1, 0);

/**
 * 统一社会信用代码 (and taxpayer numbers, which the catalogue tags the same):
 * the first 8 and the last 2. Positions 1 to 8 are the registration
 * authority, the organisation type and the division code, which say who
 * registered where and nothing about which organisation; 9 to 16 are the
 * organisation's own code, hidden; 17 and 18 are check characters, derived
 * from the rest and identifying nothing, kept so that a clerk can match a code
 * an applicant reads out. A taxpayer number of an individual business (an ID
 * number and a 2-digit sequence) keeps its division, century and sequence and
 * hides the birth date and the person's sequence, more than the ID-number rule hides.
 */
export const maskCreditCode: Mask = (value) => keepEnds(value, 8, 2);

/**
 * 地址: the division part (广西壮族自治区南宁市青秀区, …镇…村) is kept and the rest
 * masked; see `divisionPartLength` for how the division part is read. An
 * address with no division part recognised is masked whole.
 */
export const maskAddress: Mask = (value) => {
  const chars = Array.from(value);
  const kept = divisionPartLength(value);
  return chars.slice(0, kept).join('') + '*'.repeat(chars.length - kept);
};

export const tagMasks: Readonly<Record<SensitiveTag, Mask>> = {
  ID_NUMBER: maskIdNumber,
  NAME: maskName,
  ADDRESS: maskAddress,
  PHONE: maskPhone,
  CREDIT_CODE: maskCreditCode,
};

export function isSensitiveTag(tag: string): tag is SensitiveTag {
  return (sensitiveTags as readonly string[]).includes(tag);
}

/**
 * The value masked by every sensitive tag given: a character shows only if
 * every applicable rule shows it (a field tagged NAME and ADDRESS keeps its
 * first character at most). Tags that are not sensitive are ignored; with none
 * the value is returned as is.
 */
export function maskValue(value: string, tags: readonly string[]): string {
  const rules = [...new Set(tags.filter(isSensitiveTag))].map((tag) => tagMasks[tag]);
  const [first, ...others] = rules;
  if (first === undefined) return value;
  if (others.length === 0) return first(value);
  const results = rules.map((rule) => Array.from(rule(value)));
  return Array.from(value)
    .map((character, i) => (results.every((result) => result[i] === character) ? character : '*'))
    .join('');
}

function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** A field as the catalogue lists it (`CatalogueResource.taggedFields`): its path and data-contract tags. */
export interface FieldTags {
  readonly path: string;
  readonly tags: readonly string[];
}

export interface MaskedRecord<T> {
  /** A copy with the sensitive values masked; the parts it did not change are shared with the input, not copied. */
  readonly record: T;
  /** Catalogue paths that held a value and were masked, in catalogue order (`rightsHolders[].idNumber` once for all holders). */
  readonly maskedFields: string[];
}

/** A tagged value that is not text: it cannot be masked, so the record must not leave (fail closed). */
export class UnmaskableValueError extends Error {
  override name = 'UnmaskableValueError';
  constructor(readonly path: string, found: string) {
    super(`${path} is tagged sensitive but holds ${found}, which cannot be masked; the record is not delivered`);
  }
}

/**
 * Masks every field of `record` that `taggedFields` marks with a sensitive tag
 * (ID_NUMBER, NAME, ADDRESS, PHONE, CREDIT_CODE), except the paths in
 * `unmasked` (the fields the owner let through, named exactly as the
 * catalogue names them). It walks nested records, array items (`[]`), map
 * values (`{}`), nullable and wrapped unions; a field that is absent or null
 * is left as it is. A tagged field holding an array or map of strings has
 * each string masked. `record` is not changed.
 *
 * Throws UnmaskableValueError when a tagged value is neither text nor null,
 * and FieldPathError for a path that is not a field path.
 */
export function maskRecord<T extends object>(record: T, taggedFields: readonly FieldTags[], unmasked: readonly string[]): MaskedRecord<T> {
  const letThrough = new Set(unmasked);
  const tagsByPath = new Map<string, string[]>();
  for (const { path, tags } of taggedFields) {
    if (letThrough.has(path) || !tags.some(isSensitiveTag)) continue;
    tagsByPath.set(path, [...(tagsByPath.get(path) ?? []), ...tags]);
  }
  let result: unknown = record;
  const maskedFields: string[] = [];
  for (const [path, tags] of tagsByPath) {
    const walk = { path, tags, masked: false };
    result = maskAt(result, parseFieldPath(path), 0, walk);
    if (walk.masked) maskedFields.push(path);
  }
  return { record: result as T, maskedFields };
}

interface Walk {
  readonly path: string;
  readonly tags: readonly string[];
  masked: boolean;
}

/** `value` with the path from `steps[index]` on masked: the same object when nothing under it changed. */
function maskAt(value: unknown, steps: readonly PathStep[], index: number, walk: Walk): unknown {
  if (value === null || value === undefined) return value;
  const step = steps[index];
  if (step === undefined) return maskLeaf(value, walk);
  switch (step.kind) {
    case 'field': {
      if (!isFieldHolder(value)) throw new UnmaskableValueError(walk.path, `${describe(value)} where a record was expected`);
      if (!Object.hasOwn(value, step.name)) {
        const branch = wrappedUnionBranch(value, step.name);
        if (branch === undefined) return value; // another branch of a union, or an older schema: nothing to mask
        const masked = maskAt(branch, steps, index, walk);
        return masked === branch ? value : { [Object.keys(value)[0] as string]: masked };
      }
      const child = value[step.name];
      const masked = maskAt(child, steps, index + 1, walk);
      return masked === child ? value : { ...value, [step.name]: masked };
    }
    case 'items': {
      if (isFieldHolder(value)) {
        const branch = wrappedUnionBranch(value);
        if (branch === undefined) throw new UnmaskableValueError(walk.path, `${describe(value)} where an array was expected`);
        const masked = maskAt(branch, steps, index, walk);
        return masked === branch ? value : { [Object.keys(value)[0] as string]: masked };
      }
      if (!Array.isArray(value)) throw new UnmaskableValueError(walk.path, `${describe(value)} where an array was expected`);
      return mapChanged(value, (item) => maskAt(item, steps, index + 1, walk));
    }
    case 'values': {
      if (!isFieldHolder(value)) throw new UnmaskableValueError(walk.path, `${describe(value)} where a map was expected`);
      return mapValuesChanged(value, (item) => maskAt(item, steps, index + 1, walk));
    }
    default: {
      const _exhaustive: never = step;
      return _exhaustive;
    }
  }
}

function maskLeaf(value: unknown, walk: Walk): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    walk.masked = true;
    return maskValue(value, walk.tags);
  }
  if (Array.isArray(value)) return mapChanged(value, (item) => maskLeaf(item, walk));
  // A map of strings, or a wrapped union ({"string": "…"}): each value.
  if (isFieldHolder(value)) return mapValuesChanged(value, (item) => maskLeaf(item, walk));
  throw new UnmaskableValueError(walk.path, describe(value));
}

function mapChanged(items: readonly unknown[], f: (item: unknown) => unknown): readonly unknown[] {
  let copy: unknown[] | undefined;
  items.forEach((item, i) => {
    const next = f(item);
    if (next !== item) {
      copy ??= [...items];
      copy[i] = next;
    }
  });
  return copy ?? items;
}

function mapValuesChanged(values: Record<string, unknown>, f: (value: unknown) => unknown): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(values)) {
    const next = f(value);
    if (next !== value) {
      copy ??= { ...values };
      copy[key] = next;
    }
  }
  return copy ?? values;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (Buffer.isBuffer(value)) return 'bytes';
  return `a ${typeof value}`;
}
