import { type FieldParser, divisionCode, halfWidthCode } from '@hub/connector-core/native-fields';
import type { CheckResult } from '@hub/identifiers';

/**
 * Real-estate unit number (不动产单元号, BDCDYH), 28 characters per GB/T 37346:
 * division code (6) + cadastral zone and subzone (地籍区/地籍子区, 3 + 3) +
 * parcel type (宗地特征码, 2: owner G state / J collective / Z disputed, then the
 * right, e.g. B construction land) + parcel sequence (宗地顺序号, 5) + fixture
 * type (定着物特征码: F building, L forest, Q other, W none) + fixture unit (定着物单元编号, 8).
 */
export interface UnitNumber {
  readonly number: string;
  /** The division of the parcel, also the registration office's. */
  readonly division: string;
}

const PARCEL_OWNERS = 'GJZ';
const PARCEL_RIGHTS = 'ABSXCDEFLNHGWY';
const FIXTURE_TYPES = 'FLQW';

const fail = (reason: string): CheckResult<UnitNumber> => ({ ok: false, reason });

export const unitNumber: FieldParser<UnitNumber> = (raw, context) => {
  const number = halfWidthCode(raw).toUpperCase();
  if (number.length !== 28) return fail(`a real-estate unit number has 28 characters, got ${number.length}`);
  const division = divisionCode(number.slice(0, 6), context);
  if (!division.ok) return fail(`characters 1-6: ${division.reason}`);
  if (!/^\d{6}$/.test(number.slice(6, 12))) return fail(`characters 7-12 (cadastral zone and subzone) must be digits, got ${number.slice(6, 12)}`);
  const owner = number.charAt(12);
  const right = number.charAt(13);
  if (!PARCEL_OWNERS.includes(owner) || !PARCEL_RIGHTS.includes(right)) {
    return fail(`characters 13-14 (parcel type) must be one of ${PARCEL_OWNERS} then one of ${PARCEL_RIGHTS}, got ${owner}${right}`);
  }
  if (!/^\d{5}$/.test(number.slice(14, 19))) return fail(`characters 15-19 (parcel sequence) must be digits, got ${number.slice(14, 19)}`);
  const fixture = number.charAt(19);
  if (!FIXTURE_TYPES.includes(fixture)) return fail(`character 20 (fixture type) must be one of ${FIXTURE_TYPES}, got ${fixture}`);
  const fixtureUnit = number.slice(20);
  if (!/^\d{8}$/.test(fixtureUnit)) return fail(`characters 21-28 (fixture unit) must be digits, got ${fixtureUnit}`);
  if (fixture === 'W' && fixtureUnit !== '00000000') return fail(`a parcel without fixture (W) has fixture unit 00000000, got ${fixtureUnit}`);
  return { ok: true, value: { number, division: division.value } };
};
