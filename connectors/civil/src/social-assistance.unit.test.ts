import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { SocialAssistance } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { socialAssistance } from './social-assistance.ts';

const good: NativeRecord = {
  DBZH: 'DB450102001-2023-0456',
  DBLB: '城市低保',
  SQRXM: '梁秀英',
  SQRSFZH: '45010219620817152X',
  BZRS: '2',
  BZJE: '1,640.00',
  BZZT: '正常',
  BZKSRQ: '20230701',
  BZZZRQ: '',
  JTZZ: '南宁市兴宁区民主路21号5栋102室',
  XZQHDM: '450102001',
  GXSJ: '20250102090000',
};

const canonical: Omit<SocialAssistance, 'eventId'> = {
  occurredAt: new Date('2025-01-02T01:00:00.000Z'),
  sourceDepartment: 'civil',
  assistanceNo: 'DB450102001-2023-0456',
  scheme: 'URBAN',
  headName: '梁秀英',
  headIdNumber: '45010219620817152X',
  householdSize: 2,
  monthlyAmount: '1640.00',
  status: 'ACTIVE',
  startDate: '2023-07-01',
  endDate: null,
  address: '南宁市兴宁区民主路21号5栋102室',
  divisionCode: '450102001',
};

describe('civil.social-assistance: native 低保 → SocialAssistance', () => {
  it.each<[string, NativeRecord, Omit<SocialAssistance, 'eventId'>]>([
    ['an open urban allowance', good, canonical],
    [
      'a terminated rural allowance in a village, numbers as JSON numbers',
      { ...good, DBZH: 'DB450102101-2021-0031', DBLB: '2', BZRS: 4, BZJE: 1580, BZZT: '终止', BZKSRQ: '2021-03-01', BZZZRQ: '2024-12-31', XZQHDM: '450102001003' },
      { ...canonical, assistanceNo: 'DB450102101-2021-0031', scheme: 'RURAL', householdSize: 4, monthlyAmount: '1580.00', status: 'TERMINATED', startDate: '2021-03-01', endDate: '2024-12-31', divisionCode: '450102001003' },
    ],
    [
      'a suspended allowance, full-width digits, amount with 元',
      { ...good, BZRS: '１', BZJE: '８２０．５元', BZZT: '暂停保障', XZQHDM: '４５０１０２００１' },
      { ...canonical, householdSize: 1, monthlyAmount: '820.50', status: 'SUSPENDED' },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(socialAssistance, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['a head ID number with a wrong check character', { ...good, SQRSFZH: '450102196208171520' }, [['SQRSFZH', /check character should be X, got 0/]]],
    ['a start date that does not exist', { ...good, BZKSRQ: '20230631' }, [['BZKSRQ', /not a real calendar date/]]],
    ['an unknown division', { ...good, XZQHDM: '450102999' }, [['XZQHDM', /not a known division/]]],
    ['an unknown scheme', { ...good, DBLB: '特困供养' }, [['DBLB', /not a known allowance scheme/]]],
    ['a missing head name', { ...good, SQRXM: '' }, [['SQRXM', /required but missing/]]],
    ['a bad amount', { ...good, BZJE: '1.640,00' }, [['BZJE', /not a decimal number/]]],
    ['an amount above the precision', { ...good, BZJE: '123456789.00' }, [['BZJE', /9 digits before the point, more than the 8 allowed/]]],
    ['a household of none', { ...good, BZRS: '0' }, [['BZRS', /outside 1 to 20/]]],
    ['a termination without end date', { ...good, BZZT: '终止' }, [['BZZZRQ', /needs its end date/]]],
    ['an end before the start', { ...good, BZZZRQ: '20230601' }, [['BZZZRQ', /ends \(2023-06-01\) before it starts/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(socialAssistance, native), expected);
  });

  it('keys records by the allowance certificate number', () => {
    expect(socialAssistance.naturalKey({ DBZH: 'db450102001-2023-0456' })).toBe('DB450102001-2023-0456');
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/social-assistance.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'social-assistance', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(socialAssistance, row);
  });
});
