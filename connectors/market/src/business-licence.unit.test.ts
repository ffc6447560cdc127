import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, TEST_NOW, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { BusinessLicence } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { businessLicence } from './business-licence.ts';
import { marketConnector } from './index.ts';

const good: NativeRecord = {
  TYSHXYDM: '91450103MA5L2Q7R2X',
  QYMC: '南宁青秀区八桂数字科技有限公司',
  QYLX: '有限责任公司（自然人投资或控股）',
  FDDBR: '黄丽娟',
  ZCZB: '500万元',
  CLRQ: '20250214',
  ZS: '南宁市青秀区民族大道136号华润大厦C座1808号',
  JYFW: '软件开发；信息系统集成服务；数据处理和存储支持服务',
  DJJG: '南宁市青秀区市场监督管理局',
  DJJGDM: '450103',
  GXSJ: '20250214092000',
};

const canonical: Omit<BusinessLicence, 'eventId'> = {
  occurredAt: new Date('2025-02-14T01:20:00.000Z'),
  sourceDepartment: 'market',
  creditCode: '91450103MA5L2Q7R2X',
  name: '南宁青秀区八桂数字科技有限公司',
  legalRepresentative: '黄丽娟',
  enterpriseType: '有限责任公司(自然人投资或控股)',
  registeredCapital: '5000000.00',
  establishedOn: '2025-02-14',
  address: '南宁市青秀区民族大道136号华润大厦C座1808号',
  businessScope: '软件开发；信息系统集成服务；数据处理和存储支持服务',
  registrationAuthority: '南宁市青秀区市场监督管理局',
  divisionCode: '450103',
};

describe('market.business-licence: native 企业登记 → BusinessLicence', () => {
  it.each<[string, NativeRecord, Omit<BusinessLicence, 'eventId'>]>([
    ['a limited company with capital in 万元', good, canonical],
    [
      'an individual business (92), capital as a bare number with decimals, yyyy-MM-dd, no update time',
      {
        ...good,
        TYSHXYDM: '92450102MA5N3C8E1R',
        QYMC: '南宁市兴宁区味道餐馆',
        QYLX: '个体工商户',
        FDDBR: '韦建国',
        ZCZB: '3.5',
        CLRQ: '2024-11-01',
        DJJG: '南宁市兴宁区市场监督管理局',
        DJJGDM: '450102',
        GXSJ: '',
      },
      {
        ...canonical,
        occurredAt: TEST_NOW,
        creditCode: '92450102MA5N3C8E1R',
        name: '南宁市兴宁区味道餐馆',
        enterpriseType: '个体工商户',
        legalRepresentative: '韦建国',
        registeredCapital: '35000.00',
        establishedOn: '2024-11-01',
        registrationAuthority: '南宁市兴宁区市场监督管理局',
        divisionCode: '450102',
      },
    ],
    [
      'a group company with grouped capital in 万人民币 and a city-level authority',
      { ...good, TYSHXYDM: '91450100198230150Y', QYMC: '广西南宁邕江建设集团有限公司', QYLX: '其他有限责任公司', ZCZB: '12,000.123456万人民币', DJJG: '南宁市市场监督管理局', DJJGDM: '450100' },
      { ...canonical, creditCode: '91450100198230150Y', name: '广西南宁邕江建设集团有限公司', enterpriseType: '其他有限责任公司', registeredCapital: '120001234.56', registrationAuthority: '南宁市市场监督管理局', divisionCode: '450100' },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(businessLicence, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['a credit code with a wrong check character', { ...good, TYSHXYDM: '91450103MA5L2Q7R2Y' }, [['TYSHXYDM', /check character should be X, got Y/]]],
    ['a credit code of another registration authority', { ...good, TYSHXYDM: '11450100MB1234562X' }, [['TYSHXYDM', /registration authority 1 \(.*\) is not market regulation/]]],
    ['an establishment date that does not exist', { ...good, CLRQ: '20250229' }, [['CLRQ', /not a real calendar date/]]],
    ['an unknown authority division', { ...good, DJJGDM: '459999' }, [['DJJGDM', /not a known division/]]],
    ['capital in a foreign currency', { ...good, ZCZB: '50万美元' }, [['ZCZB', /not a decimal number/]]],
    ['capital with too many decimals', { ...good, ZCZB: '1.0000001万元' }, [['ZCZB', /decimal places/]]],
    ['a missing legal representative', { ...good, FDDBR: '' }, [['FDDBR', /required but missing/]]],
    ['a missing business scope and name', { ...good, JYFW: undefined, QYMC: null }, [['QYMC', /required/], ['JYFW', /required/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(businessLicence, native), expected);
  });

  it('keys records by the credit code', () => {
    expect(businessLicence.naturalKey({ TYSHXYDM: '９１４５０１０３ma5l2q7r2x' })).toBe('91450103MA5L2Q7R2X');
    expect(marketConnector.resources.map((r) => r.resource)).toEqual(['business-licence', 'food-business-permit']);
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/business-licence.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'business-licence', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(businessLicence, row);
  });
});
