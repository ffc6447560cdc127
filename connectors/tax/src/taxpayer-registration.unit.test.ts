import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, TEST_NOW, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { TaxpayerRegistration } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { taxConnector } from './index.ts';
import { taxpayerRegistration } from './taxpayer-registration.ts';

const good: NativeRecord = {
  NSRSBH: '92450102MA5N3C8E1R',
  NSRMC: '南宁市兴宁区味道餐馆',
  NSRLX: '小规模纳税人',
  NSRZT: '正常',
  FDDBRXM: '韦建国',
  ZGSWJG: '国家税务总局南宁市兴宁区税务局',
  ZGSWJGDM: '14501020000',
  DJRQ: '20241105',
  ZCDZ: '广西壮族自治区南宁市兴宁区民生路88号',
  GXSJ: '20250220110000',
};

const canonical: Omit<TaxpayerRegistration, 'eventId'> = {
  occurredAt: new Date('2025-02-20T03:00:00.000Z'),
  sourceDepartment: 'tax',
  taxpayerNumber: '92450102MA5N3C8E1R',
  taxpayerName: '南宁市兴宁区味道餐馆',
  taxpayerKind: 'SMALL_SCALE',
  status: 'NORMAL',
  legalRepresentative: '韦建国',
  taxAuthority: '国家税务总局南宁市兴宁区税务局',
  registeredOn: '2024-11-05',
  address: '广西壮族自治区南宁市兴宁区民生路88号',
  divisionCode: '450102',
};

describe('tax.taxpayer-registration: native 税务登记 → TaxpayerRegistration', () => {
  it.each<[string, NativeRecord, Omit<TaxpayerRegistration, 'eventId'>]>([
    ['an individual business with a credit code', good, canonical],
    [
      'a general taxpayer at the city office, full-width code, yyyy-MM-dd',
      {
        ...good,
        NSRSBH: '９１４５０１００１９８２３０１５０Ｙ',
        NSRMC: '广西南宁邕江建设集团有限公司',
        NSRLX: '增值税一般纳税人',
        ZGSWJG: '国家税务总局南宁市税务局',
        ZGSWJGDM: '14501000000',
        DJRQ: '1998-04-20',
      },
      {
        ...canonical,
        taxpayerNumber: '91450100198230150Y',
        taxpayerName: '广西南宁邕江建设集团有限公司',
        taxpayerKind: 'GENERAL',
        taxAuthority: '国家税务总局南宁市税务局',
        registeredOn: '1998-04-20',
        divisionCode: '450100',
      },
    ],
    [
      'a legacy 15-character number, cancelled, no representative or address, no update time',
      { ...good, NSRSBH: '450102MA5N3C8E1', NSRZT: '注销', FDDBRXM: '', ZCDZ: null, GXSJ: undefined },
      { ...canonical, taxpayerNumber: '450102MA5N3C8E1', status: 'CANCELLED', legalRepresentative: null, address: null, occurredAt: TEST_NOW },
    ],
    [
      'an individual business keyed by ID number and sequence, abnormal, not a VAT payer',
      { ...good, NSRSBH: '45010219850312123301', NSRZT: '非正常户', NSRLX: '不适用' },
      { ...canonical, taxpayerNumber: '45010219850312123301', status: 'ABNORMAL', taxpayerKind: 'NOT_APPLICABLE' },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(taxpayerRegistration, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['a credit code with a wrong check character', { ...good, NSRSBH: '92450102MA5N3C8E1T' }, [['NSRSBH', /check character should be R, got T/]]],
    ['an ID-number taxpayer number with a wrong check digit', { ...good, NSRSBH: '45010219850312123401' }, [['NSRSBH', /check character should be 3, got 4/]]],
    ['a registration date that does not exist', { ...good, DJRQ: '20230230' }, [['DJRQ', /not a real calendar date/]]],
    ['a tax office in an unknown division', { ...good, ZGSWJGDM: '14501990000' }, [['ZGSWJGDM', /450199 is not a known division/]]],
    ['a malformed tax office code', { ...good, ZGSWJGDM: '4501020000' }, [['ZGSWJGDM', /11-digit tax office code/]]],
    ['an unknown taxpayer kind', { ...good, NSRLX: '大规模纳税人' }, [['NSRLX', /not a known VAT taxpayer kind/]]],
    ['an unknown status', { ...good, NSRZT: '停业' }, [['NSRZT', /not a known taxpayer status/]]],
    ['a missing name', { ...good, NSRMC: undefined }, [['NSRMC', /required but missing/]]],
    ['a registration in the future', { ...good, DJRQ: '20250602' }, [['DJRQ', /after today/]]],
    ['a number of the wrong length', { ...good, NSRSBH: '92450102MA5N3C8E' }, [['NSRSBH', /15, 18 or 20 characters/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(taxpayerRegistration, native), expected);
  });

  it('keys records by the normalised taxpayer number', () => {
    expect(taxpayerRegistration.naturalKey({ NSRSBH: ' ９２４５０１０２ma5n3c8e1r ' })).toBe('92450102MA5N3C8E1R');
    expect(taxpayerRegistration.naturalKey({ NSRSBH: '' })).toBeUndefined();
  });

  it('is one of the tax connector resources', () => {
    expect(taxConnector.resources.map((r) => r.resource)).toEqual(['taxpayer-registration', 'tax-clearance']);
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/taxpayer-registration.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'taxpayer-registration', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(taxpayerRegistration, row);
  });
});
