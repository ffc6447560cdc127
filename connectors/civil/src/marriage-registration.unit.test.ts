import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { MarriageRegistration } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { civilConnector } from './index.ts';
import { marriageRegistration } from './marriage-registration.ts';

const good: NativeRecord = {
  ZSBH: 'J450102-2010-001234',
  DJLX: '结婚',
  DJRQ: '20100520',
  NFXM: '韦建国',
  NFSFZH: '450102198503121233',
  NVFXM: '黄丽娟',
  NVFSFZH: '450102198706212047',
  DJJG: '南宁市兴宁区民政局婚姻登记处',
  DJJGDM: '450102',
  GXSJ: '20100520100000',
};

const canonical: Omit<MarriageRegistration, 'eventId'> = {
  occurredAt: new Date('2010-05-20T02:00:00.000Z'),
  sourceDepartment: 'civil',
  registrationNo: 'J450102-2010-001234',
  kind: 'MARRIAGE',
  partyA: { name: '韦建国', idNumber: '450102198503121233', sex: 'MALE' },
  partyB: { name: '黄丽娟', idNumber: '450102198706212047', sex: 'FEMALE' },
  registeredOn: '2010-05-20',
  registrationAuthority: '南宁市兴宁区民政局婚姻登记处',
  divisionCode: '450102',
};

describe('civil.marriage-registration: native 婚姻登记 → MarriageRegistration', () => {
  it.each<[string, NativeRecord, Omit<MarriageRegistration, 'eventId'>]>([
    ['a marriage', good, canonical],
    [
      'a divorce, yyyy-MM-dd and a full-width number',
      { ...good, ZSBH: 'Ｌ４５０１０２－２０２３－０００４５６', DJLX: '离婚登记', DJRQ: '2023-09-12', GXSJ: '20230912153000' },
      { ...canonical, occurredAt: new Date('2023-09-12T07:30:00.000Z'), registrationNo: 'L450102-2023-000456', kind: 'DIVORCE', registeredOn: '2023-09-12' },
    ],
    [
      'a reissued marriage certificate at a street office division',
      { ...good, ZSBH: 'BJ450102-2024-000078', DJLX: '补领结婚证', DJRQ: '20240108', DJJGDM: '450102001', GXSJ: '20240108090000' },
      { ...canonical, occurredAt: new Date('2024-01-08T01:00:00.000Z'), registrationNo: 'BJ450102-2024-000078', kind: 'REISSUE', registeredOn: '2024-01-08', divisionCode: '450102001' },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(marriageRegistration, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ["the man's number with a wrong check character", { ...good, NFSFZH: '450102198503121234' }, [['NFSFZH', /check character should be 3, got 4/]]],
    ['a registration date that does not exist', { ...good, DJRQ: '20100230' }, [['DJRQ', /not a real calendar date/]]],
    ['an unknown office division', { ...good, DJJGDM: '450199' }, [['DJJGDM', /not a known division/]]],
    ['an unknown registration kind', { ...good, DJLX: '订婚' }, [['DJLX', /not a known registration kind/]]],
    ["a missing woman's name", { ...good, NVFXM: ' ' }, [['NVFXM', /required but missing/]]],
    ["a man's number for the woman", { ...good, NVFSFZH: '450102195804031019' }, [['NVFSFZH', /odd \(a man's number\)/]]],
    ['a man under the legal age', { ...good, NFSFZH: '450102200111300478', ZSBH: 'J450102-2023-000123', DJRQ: '20230520' }, [['NFSFZH', /21 years old on 2023-05-20, under the legal marriage age of 22/]]],
    ['a divorce number for a marriage', { ...good, ZSBH: 'L450102-2010-001234' }, [['ZSBH', /divorce certificate number, but DJLX says marriage/]]],
    ['a number of another year', { ...good, ZSBH: 'J450102-2011-001234' }, [['ZSBH', /year 2011 differs/]]],
    ['a malformed number', { ...good, ZSBH: 'J4501022010001234' }, [['ZSBH', /like J450102-2010-001234/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(marriageRegistration, native), expected);
  });

  it('keys records by the certificate number', () => {
    expect(marriageRegistration.naturalKey({ ZSBH: ' j450102-2010-001234 ' })).toBe('J450102-2010-001234');
    expect(civilConnector.resources.map((r) => r.resource)).toEqual(['marriage-registration', 'social-assistance']);
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/marriage-registration.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'marriage-registration', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(marriageRegistration, row);
  });
});
