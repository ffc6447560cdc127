import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, TEST_NOW, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { ResidentIdentity } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { psConnector } from './index.ts';
import { residentIdentity } from './resident-identity.ts';

const good: NativeRecord = {
  GMSFHM: '450102198503121233',
  XM: '韦建国',
  XB: '男',
  MZ: '壮族',
  CSRQ: '19850312',
  ZZ: '广西壮族自治区南宁市兴宁区朝阳路12号3栋2单元501室',
  HJDZ_XZQHDM: '450102',
  HYZK: '已婚',
  YHZGX: '户主',
  GXSJ: '20250106101100',
};

const canonical: Omit<ResidentIdentity, 'eventId'> = {
  occurredAt: new Date('2025-01-06T02:11:00.000Z'),
  sourceDepartment: 'ps',
  idNumber: '450102198503121233',
  previousIdNumber: null,
  name: '韦建国',
  sex: 'MALE',
  ethnicity: '08',
  birthDate: '1985-03-12',
  address: '广西壮族自治区南宁市兴宁区朝阳路12号3栋2单元501室',
  divisionCode: '450102',
};

describe('ps.resident-identity: native 人口基本信息 → ResidentIdentity', () => {
  it.each<[string, NativeRecord, Omit<ResidentIdentity, 'eventId'>]>([
    ['text codes and yyyyMMdd', good, canonical],
    [
      'national codes, yyyy-MM-dd and a 12-digit village division',
      { ...good, XB: '1', MZ: '08', CSRQ: '1985-03-12', HYZK: '20', YHZGX: '02', HJDZ_XZQHDM: '450102001000' },
      { ...canonical, divisionCode: '450102001' },
    ],
    [
      'a woman, 汉 without 族, full-width digits and surrounding blanks',
      {
        GMSFHM: ' ４５０１０２１９８７０６２１２０４７ ',
        XM: ' 黄丽娟 ',
        XB: '女',
        MZ: '汉',
        CSRQ: '1987/06/21',
        ZZ: '南宁市兴宁区朝阳路１２号',
        HJDZ_XZQHDM: '４５０１０２',
        GXSJ: '2025-01-06 10:11:00',
      },
      {
        ...canonical,
        idNumber: '450102198706212047',
        name: '黄丽娟',
        sex: 'FEMALE',
        ethnicity: '01',
        birthDate: '1987-06-21',
        address: '南宁市兴宁区朝阳路12号',
      },
    ],
    [
      'a corrected number, lower-case x, an old division prefix, no update time (time of receipt)',
      {
        GMSFHM: '45030519620817152x',
        GZQGMSFHM: '450305196208171538',
        XM: '梁秀英',
        XB: '2',
        MZ: '壮族',
        CSRQ: '19620817',
        ZZ: '桂林市七星区漓江路3号',
        HJDZ_XZQHDM: '450305',
      },
      {
        ...canonical,
        occurredAt: TEST_NOW,
        idNumber: '45030519620817152X',
        previousIdNumber: '450305196208171538',
        name: '梁秀英',
        sex: 'FEMALE',
        birthDate: '1962-08-17',
        address: '桂林市七星区漓江路3号',
        divisionCode: '450305',
      },
    ],
    [
      'a minority name with the middle dot and ethnicity written 1',
      { ...good, XM: '买买提·艾力', MZ: '1' },
      { ...canonical, name: '买买提·艾力', ethnicity: '01' },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(residentIdentity, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['a wrong check character', { ...good, GMSFHM: '450102198503121234' }, [['GMSFHM', /check character should be 3, got 4/]]],
    ['a birth date that does not exist', { ...good, CSRQ: '19850230' }, [['CSRQ', /not a real calendar date/]]],
    ['an unknown division', { ...good, HJDZ_XZQHDM: '450199' }, [['HJDZ_XZQHDM', /450199 is not a known division/]]],
    ['a malformed division', { ...good, HJDZ_XZQHDM: '45010' }, [['HJDZ_XZQHDM', /6, 9 or 12 digits/]]],
    ['an unknown ethnicity', { ...good, MZ: '火星族' }, [['MZ', /"火星族" is not a GB 3304 ethnicity/]]],
    ['an unknown sex code', { ...good, XB: '3' }, [['XB', /"3" is not a GB\/T 2261.1 sex/]]],
    ['an unknown marital status', { ...good, HYZK: '同居' }, [['HYZK', /marital status/]]],
    ['a missing name', { ...good, XM: '  ' }, [['XM', /^XM \(姓名\) is required but missing$/]]],
    ['a name with digits', { ...good, XM: '韦建国1' }, [['XM', /only letters/]]],
    ['a birth date that differs from the ID number', { ...good, CSRQ: '19850313' }, [['CSRQ', /differs from the one in GMSFHM \(1985-03-12\)/]]],
    ['a sex that contradicts the ID number', { ...good, XB: '女' }, [['XB', /17th digit of GMSFHM is odd/]]],
    ['a birth after today', { ...good, GMSFHM: '450102202512010016', CSRQ: '20251201' }, [
      ['GMSFHM', /after today/],
      ['CSRQ', /after today/],
    ]],
    ['a bad update time', { ...good, GXSJ: '20250106251100' }, [['GXSJ', /invalid time of day/]]],
    ['a correction to the same number', { ...good, GZQGMSFHM: '450102198503121233' }, [['GZQGMSFHM', /same as GMSFHM/]]],
    ['every bad field at once', { GMSFHM: '450102198503121234', XB: '男', MZ: '火星族', CSRQ: '1985-3-32', ZZ: '', HJDZ_XZQHDM: '999999' }, [
      ['GMSFHM', /check character/],
      ['XM', /required/],
      ['MZ', /ethnicity/],
      ['CSRQ', /calendar date/],
      ['ZZ', /required/],
      ['HJDZ_XZQHDM', /province/],
    ]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(residentIdentity, native), expected);
  });

  it('keys records by the normalised ID number, converting a legacy 15-digit number', () => {
    expect(residentIdentity.naturalKey({ GMSFHM: ' ４５０３０５１９６２０８１７１５２x ' })).toBe('45030519620817152X');
    expect(residentIdentity.naturalKey({ GMSFHM: '450102850312123' })).toBe('450102198503121233');
    expect(residentIdentity.naturalKey({ XM: '韦建国' })).toBeUndefined();
  });

  it('lists its native columns in export order', () => {
    expect(psConnector.resources.map((r) => r.resource)).toEqual(['resident-identity']);
    expect(residentIdentity.nativeColumns[0]).toBe('GMSFHM');
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/resident-identity.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'resident-identity', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(residentIdentity, row);
  });
});
