import { describe, expect, it } from 'vitest';
import { organisationCodeCheckCharacter } from '../organisation-code/organisation-code.ts';
import { mulberry32 } from '../seeded-random.ts';
import { mutateOneCharacter } from '../testing/mutate.ts';
import {
  CREDIT_CODE_ALPHABET,
  checkCreditCode,
  creditCodeCheckCharacter,
  generateCreditCode,
  randomCreditCode,
} from './credit-code.ts';
import { REGISTRATION_AUTHORITIES } from './registration-authorities.ts';

const withCheck = (first17: string): string => first17 + creditCodeCheckCharacter(first17);

describe('checkCreditCode', () => {
  // Published codes; each was checked by computing both check characters.
  it.each([
    ['91350100M000100Y43', '9', '1', '350100', 'M000100Y4'],
    ['914403001922038216', '9', '1', '440300', '192203821'],
    ['9144030071526726XG', '9', '1', '440300', '71526726X'],
    ['91110000802100433B', '9', '1', '110000', '802100433'],
    ['91330100799655058B', '9', '1', '330100', '799655058'],
    // a central public institution: division 100000 stands for the whole country
    ['12100000400000624D', '1', '2', '100000', '400000624'],
  ])('accepts the published code %s', (code, registrationAuthority, organisationType, division, organisationCode) => {
    expect(checkCreditCode(code)).toMatchObject({
      ok: true,
      value: { code, registrationAuthority, organisationType, division, organisationCode },
    });
  });

  it('reads lower case as capitals, ignores surrounding blanks and names the authority and type', () => {
    expect(checkCreditCode(' 91350100m000100y43 ')).toEqual({
      ok: true,
      value: {
        code: '91350100M000100Y43',
        registrationAuthority: '9',
        registrationAuthorityName: '工商（市场监管）',
        organisationType: '1',
        organisationTypeName: '企业',
        division: '350100',
        organisationCode: 'M000100Y4',
      },
    });
  });

  it.each([
    ['', 'unified social credit code is empty'],
    ['91350100M000100Y4', 'unified social credit code must have 18 characters, got 17'],
    ['91350100M0I0100Y43', 'character 11 is "I", which is not allowed (digits and capitals except I, O, S, V, Z)'],
    ['91350100M000100Y4-', 'character 18 is "-", which is not allowed (digits and capitals except I, O, S, V, Z)'],
    ['91350100M000100Y44', 'check character should be 3, got 4'],
    ['91350100M000100Y34', 'check character should be 0, got 4'],
    [withCheck('B1350100M000100Y4'), 'registration authority B at position 1 is not one of 1, 2, 3, 4, 5, 6, 7, 8, 9, A, G, J, N, Q, Y'],
    [
      withCheck('94350100M000100Y4'),
      'organisation type 4 at position 2 is not defined for registration authority 9 (工商（市场监管）); expected one of 1 企业, 2 个体工商户, 3 农民专业合作社',
    ],
    [withCheck('Y2350100M000100Y4'), 'organisation type 2 at position 2 is not defined for registration authority Y (其他); expected one of 1 不再具体划分机构类别'],
    [withCheck('91990100M000100Y4'), 'division code 990100 has no known province (99) (positions 3-8)'],
    [withCheck('91350001M000100Y4'), 'division code 350001 has a county part (01) but no city part (positions 3-8)'],
    [withCheck('91350100M000100Y5'), 'organisation code check character at position 17 should be 4, got 5'],
  ])('rejects %j: %s', (code, reason) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason });
  });
});

describe('creditCodeCheckCharacter', () => {
  it('uses the weights 3^i mod 31', () => {
    // Only position 1 set to 1: Σ = weight 1 → check 30 = Y; only position 17: weight 28 → check 3.
    expect(creditCodeCheckCharacter('10000000000000000')).toBe('Y');
    expect(creditCodeCheckCharacter('00000000000000001')).toBe('3');
    expect(creditCodeCheckCharacter('00000000000000000')).toBe('0');
  });

  it('throws outside the alphabet', () => {
    expect(() => creditCodeCheckCharacter('9135010OM000100Y4')).toThrow(RangeError);
  });
});

describe('generateCreditCode', () => {
  it('rebuilds a published code from its parts', () => {
    expect(generateCreditCode({ division: '350100', organisationBody: 'M000100Y' })).toBe('91350100M000100Y43');
    expect(
      generateCreditCode({ registrationAuthority: '1', organisationType: '2', division: '100000', organisationBody: '40000062' }),
    ).toBe('12100000400000624D');
  });

  it.each([
    [{ registrationAuthority: 'B', division: '350100', organisationBody: 'M000100Y' }],
    [{ organisationType: '4', division: '350100', organisationBody: 'M000100Y' }],
    [{ division: '990100', organisationBody: 'M000100Y' }],
    [{ division: '350100', organisationBody: 'M000100' }],
    [{ division: '350100', organisationBody: 'M0001OOY' }],
  ])('throws RangeError for %j', (spec) => {
    expect(() => generateCreditCode(spec)).toThrow(RangeError);
  });

  it('can generate a code for every authority and type in the table', () => {
    for (const [registrationAuthority, authority] of REGISTRATION_AUTHORITIES) {
      for (const organisationType of authority.types.keys()) {
        const code = generateCreditCode({ registrationAuthority, organisationType, division: '450305', organisationBody: 'MA5K8Q2T' });
        expect(checkCreditCode(code)).toMatchObject({ ok: true, value: { registrationAuthority, organisationType } });
      }
    }
  });

  it('makes 1000 random codes that all validate', () => {
    const random = mulberry32(32100);
    const divisions = ['450000', '450100', '450305', '100000'];
    for (let i = 0; i < 1000; i += 1) {
      const code = randomCreditCode(random, { divisions, organisationType: i % 3 === 0 ? '2' : '1' });
      expect(checkCreditCode(code).ok, code).toBe(true);
    }
  });

  it('every single-character change of a generated code is caught', () => {
    const random = mulberry32(11714);
    for (let i = 0; i < 1000; i += 1) {
      const code = randomCreditCode(random, { divisions: ['450305'] });
      const mutated = mutateOneCharacter(code, i % 18, CREDIT_CODE_ALPHABET, random);
      expect(checkCreditCode(mutated).ok, `${code} → ${mutated}`).toBe(false);
    }
  });

  it('keeps the organisation code check at position 17', () => {
    const code = randomCreditCode(mulberry32(7), { divisions: ['450305'] });
    expect(code.charAt(16)).toBe(organisationCodeCheckCharacter(code.slice(8, 16)));
  });
});
