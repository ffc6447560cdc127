import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { RealEstateTitle } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { landConnector } from './index.ts';
import { realEstateTitle } from './real-estate-title.ts';

const good: NativeRecord = {
  BDCDYH: '450102003001GB00012F00020005',
  BDCQZH: '桂(2024)南宁市不动产权第0123456号',
  QLR: '韦建国、黄丽娟',
  QLRZJH: '450102198503121233、450102198706212047',
  GYFS: '按份共有',
  QLBL: '50%、50%',
  QLLX: '国有建设用地使用权/房屋所有权',
  QLXZ: '出让/市场化商品房',
  ZL: '南宁市兴宁区朝阳路12号3栋2单元501室',
  MJ: '98.76',
  YT: '城镇住宅用地/住宅',
  DJSJ: '20241202164500',
  GXSJ: '20241202164500',
};

const canonical: Omit<RealEstateTitle, 'eventId'> = {
  occurredAt: new Date('2024-12-02T08:45:00.000Z'),
  sourceDepartment: 'land',
  unitNumber: '450102003001GB00012F00020005',
  certificateNo: '桂(2024)南宁市不动产权第0123456号',
  rightsHolders: [
    { name: '韦建国', idNumber: '450102198503121233', creditCode: null, share: '50%' },
    { name: '黄丽娟', idNumber: '450102198706212047', creditCode: null, share: '50%' },
  ],
  rightType: '国有建设用地使用权/房屋所有权',
  location: '南宁市兴宁区朝阳路12号3栋2单元501室',
  area: '98.76',
  use: '城镇住宅用地/住宅',
  registeredOn: '2024-12-02',
  divisionCode: '450102',
};

const sole = { name: '韦建国', idNumber: '450102198503121233', creditCode: null, share: null };

describe('land.real-estate-title: native 不动产登记 → RealEstateTitle', () => {
  it.each<[string, NativeRecord, Omit<RealEstateTitle, 'eventId'>]>([
    ['two holders by shares', good, canonical],
    [
      'a sole owner, full-width brackets, area with ㎡, right type by code',
      { ...good, BDCQZH: '桂（2024）南宁市不动产权第0123456号', QLR: '韦建国', QLRZJH: '450102198503121233', GYFS: '单独所有', QLBL: '', QLLX: '4', MJ: '98.76㎡' },
      { ...canonical, rightsHolders: [sole] },
    ],
    [
      'an organisation on a land parcel without fixture, 平方米, semicolons, no co-ownership column',
      {
        ...good,
        BDCDYH: '450103001002GB00105W00000000',
        BDCQZH: '桂(2023)南宁市不动产权第0098765号',
        QLR: '广西南宁邕江建设集团有限公司',
        QLRZJH: '91450100198230150Y',
        GYFS: undefined,
        QLBL: undefined,
        QLLX: '国有建设用地使用权',
        ZL: '南宁市青秀区民族大道北侧',
        MJ: '12,500.00平方米',
        YT: '商务金融用地',
        DJSJ: '2023-08-15',
      },
      {
        ...canonical,
        unitNumber: '450103001002GB00105W00000000',
        certificateNo: '桂(2023)南宁市不动产权第0098765号',
        rightsHolders: [{ name: '广西南宁邕江建设集团有限公司', idNumber: null, creditCode: '91450100198230150Y', share: null }],
        rightType: '国有建设用地使用权',
        location: '南宁市青秀区民族大道北侧',
        area: '12500.00',
        use: '商务金融用地',
        registeredOn: '2023-08-15',
        divisionCode: '450103',
      },
    ],
    [
      'joint owners separated by semicolons, without shares',
      { ...good, QLR: '韦建国;黄丽娟', QLRZJH: '450102198503121233；450102198706212047', GYFS: '共同共有', QLBL: null },
      { ...canonical, rightsHolders: canonical.rightsHolders.map((h) => ({ ...h, share: null })) },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(realEstateTitle, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['a holder number with a wrong check character', { ...good, QLRZJH: '450102198503121233、450102198706212048' }, [['QLRZJH', /holder 2: check character should be 7, got 8/]]],
    ['a unit number of 27 characters', { ...good, BDCDYH: '450102003001GB00012F0002000' }, [['BDCDYH', /28 characters, got 27/]]],
    ['a unit number in an unknown division', { ...good, BDCDYH: '450199003001GB00012F00020005' }, [['BDCDYH', /characters 1-6: division code 450199 is not a known division/]]],
    ['a unit number with a bad parcel type', { ...good, BDCDYH: '450102003001QB00012F00020005' }, [['BDCDYH', /parcel type/]]],
    ['a registration date that does not exist', { ...good, DJSJ: '20240230' }, [['DJSJ', /not a real calendar date/]]],
    ['an unknown right type', { ...good, QLLX: '房屋租赁权' }, [['QLLX', /not a known right type/]]],
    ['a missing location', { ...good, ZL: '' }, [['ZL', /required but missing/]]],
    ['a bad area', { ...good, MJ: '98.76平米' }, [['MJ', /not a decimal number/]]],
    ['a zero area', { ...good, MJ: '0.00' }, [['MJ', /greater than zero/]]],
    ['fewer numbers than holders', { ...good, QLRZJH: '450102198503121233' }, [['QLRZJH', /2 holder\(s\) but QLRZJH has 1/]]],
    ['shares that do not add up', { ...good, QLBL: '50%、40%' }, [['QLBL', /add up to 90%/]]],
    ['sole ownership with two holders', { ...good, GYFS: '单独所有' }, [['GYFS', /one holder/]]],
    ['a certificate of another province', { ...good, BDCQZH: '粤(2024)广州市不动产权第0123456号' }, [['BDCQZH', /province 44/]]],
    ['a malformed certificate number', { ...good, BDCQZH: '桂2024南宁市不动产权第123号' }, [['BDCQZH', /not a title certificate number/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(realEstateTitle, native), expected);
  });

  it('keys records by the unit number', () => {
    expect(realEstateTitle.naturalKey({ BDCDYH: ' 450102003001gb00012f00020005 ' })).toBe('450102003001GB00012F00020005');
    expect(landConnector.resources.map((r) => r.resource)).toEqual(['real-estate-title']);
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/real-estate-title.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'real-estate-title', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(realEstateTitle, row);
  });
});
