import { decodeEvent, encodeEvent, type RealEstateTitle } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { describe, expect, it } from 'vitest';
import { recordTypes, simulatedRecords } from './fixtures.ts';
import { UnknownVerifyFieldsError, verifyFields } from '@hub/router';

/** 韦建国, 45010219850312117X, born 1985-03-12, as ps's register holds him (decoded from Avro, as the router's state would). */
const resident = decodeEvent('ResidentIdentity', encodeEvent('ResidentIdentity', { ...samples.ResidentIdentity, idNumber: '45010219850312117X' }));

describe('verifyFields (核验): one boolean per field asked, never a value', () => {
  it('answers whether the name registered for this ID number is the one given', () => {
    expect(verifyFields(resident, { idNumber: '45010219850312117X', name: '韦建国' })).toEqual({ idNumber: true, name: true });
    expect(verifyFields(resident, { idNumber: '45010219850312117X', name: '韦建军' })).toEqual({ idNumber: true, name: false });
  });

  it.each([
    ['idNumber', '45010219850312117x', true], // the check character in either case
    ['idNumber', '  45010219850312117X ', true],
    ['idNumber', '４５０１０２１９８５０３１２１１７Ｘ', true], // full width
    ['idNumber', '450102 19850312 117X', true], // grouped as printed
    ['idNumber', '450102850312117', true], // the legacy 15-digit number of the same person
    ['idNumber', '450102850312118', false],
    ['idNumber', '45010219850312117', false],
    ['name', ' 韦建国　', true], // an ideographic space
    ['name', '韦 建国', false],
    ['birthDate', '1985-03-12', true],
    ['birthDate', '19850312', true],
    ['birthDate', '1985/3/12', true],
    ['birthDate', '1985年3月12日', true],
    ['birthDate', '１９８５-０３-１２', true],
    ['birthDate', '1985-03-13', false],
    ['birthDate', '1985-02-30', false],
    ['sex', 'MALE', true],
    ['sex', 'male', true],
    ['sex', 'FEMALE', false],
    ['ethnicity', '02', true],
    ['ethnicity', '2', false], // a code, not a number
    ['ethnicity', 2, false],
    ['divisionCode', '450102', true],
    ['previousIdNumber', null, true], // never corrected
    ['previousIdNumber', '450102198503121233', false],
    ['address', '广西壮族自治区南宁市兴宁区朝阳路12号3栋2单元501室', true],
    ['address', '广西壮族自治区南宁市兴宁区朝阳路１２号３栋２单元５０１室', true],
    ['address', '南宁市兴宁区朝阳路12号3栋2单元501室', false],
    ['occurredAt', '2025-01-06T02:11:00.000Z', true], // a timestamp-millis: the same instant
    ['occurredAt', '2025-01-06T10:11:00+08:00', true],
    ['occurredAt', '2025-01-06 10:11:00', true], // Beijing time, as departmental systems write it
    ['occurredAt', '2025-01-06', true], // the Beijing calendar day
    ['occurredAt', '2025-01-05', false],
    ['occurredAt', Date.parse('2025-01-06T02:11:00.000Z'), true],
    ['idNumber', 450102, false], // a number is no ID number
    ['name', true, false],
    ['name', { value: '韦建国' }, false],
  ])('%s = %j: %s', (field, value, match) => {
    expect(verifyFields(resident, { [field]: value })).toEqual({ [field]: match });
  });

  it('compares decimals by value, numbers and flags by value or text', () => {
    const allowance = simulatedRecords(recordTypes.find((type) => type.name === 'SocialAssistance')!, 1).records[0] as { monthlyAmount: string; householdSize: number };
    const amount = allowance.monthlyAmount; // e.g. "620.00"
    expect(verifyFields(allowance, { monthlyAmount: amount, householdSize: allowance.householdSize })).toEqual({ monthlyAmount: true, householdSize: true });
    expect(verifyFields(allowance, { monthlyAmount: Number(amount), householdSize: String(allowance.householdSize) })).toEqual({ monthlyAmount: true, householdSize: true });
    expect(verifyFields(allowance, { monthlyAmount: `${amount}1`, householdSize: allowance.householdSize + 1 })).toEqual({ monthlyAmount: false, householdSize: false });
    expect(verifyFields({ flag: true }, { flag: 'true' })).toEqual({ flag: true });
    expect(verifyFields({ flag: true }, { flag: false })).toEqual({ flag: false });
  });

  it('reaches into records and arrays: one holder of a title, one item of a list', () => {
    const title: RealEstateTitle = {
      ...samples.RealEstateTitle,
      rightsHolders: [
        { name: '韦建国', idNumber: '45010219800101123X', creditCode: null, share: '50%' },
        { name: '覃丽娟', idNumber: '450102198203041248', creditCode: null, share: '50%' },
      ],
    };
    expect(verifyFields(title, { 'rightsHolders[].idNumber': '450102198203041248', 'rightsHolders[].name': '覃丽娟' })).toEqual({
      'rightsHolders[].idNumber': true,
      'rightsHolders[].name': true,
    });
    expect(verifyFields(title, { 'rightsHolders[].name': '韦丽娟' })).toEqual({ 'rightsHolders[].name': false });
    expect(verifyFields(samples.MarriageRegistration, { 'partyA.name': samples.MarriageRegistration.partyA.name })).toEqual({ 'partyA.name': true });
    const permit = samples.FoodBusinessPermit;
    expect(verifyFields(permit, { businessItems: permit.businessItems[0] })).toEqual({ businessItems: true });
  });

  it('names every field the record does not have, or that holds a record, and no value', () => {
    const ask = () => verifyFields(resident, { name: '韦建国', phone: '13812345678', 'address.city': '南宁', 'bad path': 'x' });
    expect(ask).toThrow(UnknownVerifyFieldsError);
    try {
      ask();
    } catch (error) {
      expect((error as UnknownVerifyFieldsError).fields).toEqual(['phone', 'address.city', 'bad path']);
      expect((error as Error).message).not.toMatch(/韦建国|13812345678|南宁/);
    }
    expect(() => verifyFields(samples.MarriageRegistration, { partyA: '韦建国' })).toThrow(UnknownVerifyFieldsError);
    expect(() => verifyFields(samples.RealEstateTitle, { rightsHolders: '韦建国' })).toThrow(UnknownVerifyFieldsError);
  });

  it('answers nothing but booleans, whatever the record holds', () => {
    const matches = verifyFields(resident, { idNumber: '45010219850312117X', name: 'x', address: 'y', birthDate: 'z' });
    expect(Object.values(matches).every((value) => typeof value === 'boolean')).toBe(true);
    expect(JSON.stringify(matches)).not.toMatch(/韦|4501|1985|南宁/);
  });
});
