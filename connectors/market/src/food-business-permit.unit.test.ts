import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { FoodBusinessPermit } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { foodBusinessPermit } from './food-business-permit.ts';

const good: NativeRecord = {
  XKZBH: 'JY24501020012345',
  TYSHXYDM: '92450102MA5N3C8E1R',
  JYZMC: '南宁市兴宁区味道餐馆',
  FDDBR: '韦建国',
  JYCS: '南宁市兴宁区民生路88号一楼',
  ZTYT: '餐饮服务经营者（小型餐馆）',
  JYXM: '热食类食品制售；冷食类食品制售',
  YXQQ: '20250314',
  YXQZ: '20300313',
  FZJG: '南宁市兴宁区市场监督管理局',
  GXSJ: '20250314180000',
};

const canonical: Omit<FoodBusinessPermit, 'eventId'> = {
  occurredAt: new Date('2025-03-14T10:00:00.000Z'),
  sourceDepartment: 'market',
  permitNo: 'JY24501020012345',
  creditCode: '92450102MA5N3C8E1R',
  operatorName: '南宁市兴宁区味道餐馆',
  legalRepresentative: '韦建国',
  premises: '南宁市兴宁区民生路88号一楼',
  businessFormat: '餐饮服务经营者(小型餐馆)',
  businessItems: ['热食类食品制售', '冷食类食品制售'],
  validFrom: '2025-03-14',
  validUntil: '2030-03-13',
  issuingAuthority: '南宁市兴宁区市场监督管理局',
  divisionCode: '450102',
};

describe('market.food-business-permit: native 食品经营许可证 → FoodBusinessPermit', () => {
  it.each<[string, NativeRecord, Omit<FoodBusinessPermit, 'eventId'>]>([
    ['a small restaurant', good, canonical],
    [
      'a shop selling food, full-width permit number, items separated by 、',
      { ...good, XKZBH: 'ＪＹ１４５０１０３００５６７８１', ZTYT: '食品销售经营者', JYXM: '预包装食品（含冷藏冷冻食品）销售、散装食品销售', YXQQ: '2024-06-01', YXQZ: '2029-05-31' },
      { ...canonical, permitNo: 'JY14501030056781', businessFormat: '食品销售经营者', businessItems: ['预包装食品(含冷藏冷冻食品)销售', '散装食品销售'], validFrom: '2024-06-01', validUntil: '2029-05-31', divisionCode: '450103' },
    ],
    [
      'a company canteen with one item',
      { ...good, XKZBH: 'JY34501000000019', TYSHXYDM: '91450100198230150Y', JYZMC: '广西南宁邕江建设集团有限公司', ZTYT: '单位食堂（职工食堂）', JYXM: '热食类食品制售', FZJG: '南宁市市场监督管理局' },
      { ...canonical, permitNo: 'JY34501000000019', creditCode: '91450100198230150Y', operatorName: '广西南宁邕江建设集团有限公司', businessFormat: '单位食堂(职工食堂)', businessItems: ['热食类食品制售'], issuingAuthority: '南宁市市场监督管理局', divisionCode: '450100' },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(foodBusinessPermit, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['an operator credit code with a wrong check character', { ...good, TYSHXYDM: '92450102MA5N3C8E1Q' }, [['TYSHXYDM', /check character should be R, got Q/]]],
    ['a permit number of 13 digits', { ...good, XKZBH: 'JY2450102001234' }, [['XKZBH', /JY and 14 digits/]]],
    ['a permit number in an unknown division', { ...good, XKZBH: 'JY24509990012345' }, [['XKZBH', /not a known division/]]],
    ['a permit number with an unknown business format', { ...good, XKZBH: 'JY74501020012345' }, [['XKZBH', /1, 2 or 3, got 7/]]],
    ['an unknown business format', { ...good, ZTYT: '网红餐厅' }, [['ZTYT', /not a business format/]]],
    ['a validity end that does not exist', { ...good, YXQZ: '20300231' }, [['YXQZ', /not a real calendar date/]]],
    ['a validity of more than five years', { ...good, YXQZ: '20300315' }, [['YXQZ', /more than 5 years/]]],
    ['a validity that ends before it starts', { ...good, YXQZ: '20250101' }, [['YXQZ', /before it starts/]]],
    ['missing items', { ...good, JYXM: '' }, [['JYXM', /required but missing/]]],
    ['an empty item', { ...good, JYXM: '热食类食品制售；；冷食类食品制售' }, [['JYXM', /empty item/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(foodBusinessPermit, native), expected);
  });

  it('keys records by the permit number', () => {
    expect(foodBusinessPermit.naturalKey({ XKZBH: ' jy24501020012345' })).toBe('JY24501020012345');
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/food-business-permit.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'food-business-permit', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(foodBusinessPermit, row);
  });
});
