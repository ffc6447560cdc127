import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../seeded-random.ts';
import { mutateOneCharacter } from '../testing/mutate.ts';
import { generateResidentId, randomResidentId } from './generate-resident-id.ts';
import { checkResidentId, convertLegacyResidentId, residentIdCheckCharacter } from './resident-id.ts';

const today = '2024-05-01';
const withCheck = (first17: string): string => first17 + residentIdCheckCharacter(first17);

describe('checkResidentId', () => {
  it.each([
    // GB 11643-1999's own example
    ['11010519491231002X', '11010519491231002X', '110105', '1949-12-31', '2'],
    ['11010519491231002x', '11010519491231002X', '110105', '1949-12-31', '2'],
    ['  11010519491231002X ', '11010519491231002X', '110105', '1949-12-31', '2'],
    [withCheck('45030520240501001'), withCheck('45030520240501001'), '450305', '2024-05-01', '1'],
    // residence permits for Hong Kong and Taiwan residents
    [withCheck('81000019900101003'), withCheck('81000019900101003'), '810000', '1990-01-01', '1'],
    [withCheck('83000019900101004'), withCheck('83000019900101004'), '830000', '1990-01-01', '2'],
    // an abolished code keeps a valid shape: 4521xx were the counties of 南宁地区 before 2002
    [withCheck('45212119800101001'), withCheck('45212119800101001'), '452121', '1980-01-01', '1'],
  ])('accepts %s', (text, number, division, birthDate, sex) => {
    expect(checkResidentId(text, { today })).toEqual({ ok: true, value: { number, division, birthDate, sex } });
  });

  it.each([
    ['', 'resident ID number is empty'],
    ['1101051949123100', 'resident ID number must have 18 characters (or 15 for a legacy number), got 16'],
    ['11010519491231002Y', 'check character must be a digit or X, got "Y"'],
    ['1101051949123A002X', 'character 14 must be a digit, got "A"'],
    ['110105194912310021', 'check character should be X, got 1'],
    ['11010519491231002X'.replace('1949', '1948'), 'check character should be 2, got X'],
    [withCheck('99010519491231002'), 'division code 990105 has no known province (99)'],
    [withCheck('11000519491231002'), 'division code 110005 has a county part (05) but no city part'],
    [withCheck('11010519490231002'), 'birth date 19490231 is not a real calendar date'],
    [withCheck('11010519000229002'), 'birth date 19000229 is not a real calendar date'],
    [withCheck('11010520240502002'), 'birth date 2024-05-02 is after today (2024-05-01)'],
    // GB 11643-1999's other example: the check character is right, but 1880 is before 1900
    ['440524188001010014', 'birth date 1880-01-01 is before 1900-01-01'],
    ['11010549123100', 'resident ID number must have 18 characters (or 15 for a legacy number), got 14'],
    ['1101054912310AX', 'a legacy resident ID number must be 15 digits, got "1101054912310AX"'],
  ])('rejects %j: %s', (text, reason) => {
    expect(checkResidentId(text, { today })).toEqual({ ok: false, reason });
  });

  it('accepts 2000-02-29 (a leap day in a century year divisible by 400)', () => {
    expect(checkResidentId(withCheck('11010520000229001'), { today }).ok).toBe(true);
  });

  it('converts a 15-digit legacy number by inserting 19 and computing the check character', () => {
    expect(checkResidentId('110105491231002', { today })).toEqual({
      ok: true,
      value: {
        number: '11010519491231002X',
        division: '110105',
        birthDate: '1949-12-31',
        sex: '2',
        legacyNumber: '110105491231002',
      },
    });
  });

  it('rejects a legacy number when asked to', () => {
    expect(checkResidentId('110105491231002', { today, legacy: 'reject' })).toEqual({
      ok: false,
      reason: 'legacy 15-digit resident ID numbers are not accepted here',
    });
  });

  it('checks the birth date inside a legacy number', () => {
    expect(checkResidentId('110105490231002', { today })).toEqual({
      ok: false,
      reason: 'birth date 19490231 is not a real calendar date',
    });
  });

  it('throws when today is not a date: a caller mistake, not bad data', () => {
    expect(() => checkResidentId('11010519491231002X', { today: '2024/05/01' })).toThrow(RangeError);
  });
});

describe('convertLegacyResidentId', () => {
  it.each([
    ['110105491231002', '11010519491231002X'],
    ['450305800101001', withCheck('45030519800101001')],
  ])('%s → %s', (legacy, converted) => {
    expect(convertLegacyResidentId(legacy)).toEqual({ ok: true, value: converted });
  });
});

describe('residentIdCheckCharacter', () => {
  it('throws unless given 17 digits', () => {
    expect(() => residentIdCheckCharacter('1101051949123100')).toThrow(RangeError);
  });
});

describe('generateResidentId', () => {
  it('builds the published example from its parts', () => {
    expect(generateResidentId({ division: '110105', birthDate: '1949-12-31', sequence: 2 })).toBe('11010519491231002X');
  });

  it.each([
    [{ division: '990105', birthDate: '1949-12-31', sequence: 2 }],
    [{ division: '110105', birthDate: '1949-02-30', sequence: 2 }],
    [{ division: '110105', birthDate: '1949-12-31', sequence: 1000 }],
    [{ division: '110105', birthDate: '1949-12-31', sequence: 1.5 }],
  ])('throws RangeError for %j', (spec) => {
    expect(() => generateResidentId(spec)).toThrow(RangeError);
  });

  it('makes 1000 random numbers that all validate, with the asked sex and birth range', () => {
    const random = mulberry32(11643);
    const divisions = ['450102', '450305', '450921', '441900', '110105'];
    for (let i = 0; i < 1000; i += 1) {
      const sex = i % 2 === 0 ? '1' : '2';
      const number = randomResidentId(random, { divisions, bornFrom: '1900-01-01', bornTo: today, sex });
      const checked = checkResidentId(number, { today });
      expect(checked, number).toMatchObject({ ok: true, value: { number, sex } });
      if (checked.ok) expect(divisions).toContain(checked.value.division);
    }
  });

  it('every single-character change of a generated number is caught', () => {
    const random = mulberry32(2261);
    for (let i = 0; i < 1000; i += 1) {
      const number = randomResidentId(random, { divisions: ['450305'] });
      const index = i % 18;
      const mutated = mutateOneCharacter(number, index, index === 17 ? '0123456789X' : '0123456789', random);
      expect(checkResidentId(mutated, { today }).ok, `${number} → ${mutated}`).toBe(false);
    }
  });

  it('throws for an empty division list or a reversed birth range', () => {
    const random = mulberry32(1);
    expect(() => randomResidentId(random, { divisions: [] })).toThrow(RangeError);
    expect(() => randomResidentId(random, { divisions: ['450305'], bornFrom: '2000-01-01', bornTo: '1999-01-01' })).toThrow(
      RangeError,
    );
  });
});
