import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { SocialInsuranceEnrolment } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { hrssConnector } from './index.ts';
import { socialInsuranceEnrolment } from './social-insurance-enrolment.ts';

const good: NativeRecord = {
  GMSFHM: '450103199001053315',
  XM: '陆志强',
  XZLX: '110',
  DWTYSHXYDM: '91450103MA5L2Q7R2X',
  CBZT: '正常参保',
  CBRQ: '20250301',
  CBDXZQHDM: '450103',
  GXSJ: '20250228150000',
};

const canonical: Omit<SocialInsuranceEnrolment, 'eventId'> = {
  occurredAt: new Date('2025-02-28T07:00:00.000Z'),
  sourceDepartment: 'hrss',
  idNumber: '450103199001053315',
  insuranceType: 'PENSION',
  name: '陆志强',
  employerCreditCode: '91450103MA5L2Q7R2X',
  status: 'ACTIVE',
  enrolledOn: '2025-03-01',
  divisionCode: '450103',
};

describe('hrss.social-insurance-enrolment: native 参保登记 → SocialInsuranceEnrolment', () => {
  it.each<[string, NativeRecord, Omit<SocialInsuranceEnrolment, 'eventId'>]>([
    ['enterprise pension by code', good, canonical],
    ['residents\' medical insurance without employer (flexible employment)', { ...good, XZLX: '390', DWTYSHXYDM: '', CBZT: '参保缴费' }, { ...canonical, insuranceType: 'MEDICAL', employerCreditCode: null }],
    ['unemployment insurance by name, suspended', { ...good, XZLX: '失业保险', CBZT: '暂停缴费', CBRQ: '2019-07-01' }, { ...canonical, insuranceType: 'UNEMPLOYMENT', status: 'SUSPENDED', enrolledOn: '2019-07-01' }],
    ['work injury insurance, terminated', { ...good, XZLX: '410', CBZT: '终止参保' }, { ...canonical, insuranceType: 'WORK_INJURY', status: 'TERMINATED' }],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(socialInsuranceEnrolment, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['an ID number with a wrong check character', { ...good, GMSFHM: '450103199001053316' }, [['GMSFHM', /check character should be 5, got 6/]]],
    ['an employer code with a wrong check character', { ...good, DWTYSHXYDM: '91450103MA5L2Q7R2Y' }, [['DWTYSHXYDM', /check character should be X, got Y/]]],
    ['an enrolment date that does not exist', { ...good, CBRQ: '20250229' }, [['CBRQ', /not a real calendar date/]]],
    ['an unknown division', { ...good, CBDXZQHDM: '450188' }, [['CBDXZQHDM', /not a known division/]]],
    ['an unknown insurance type', { ...good, XZLX: '610' }, [['XZLX', /not a known insurance type/]]],
    ['an unknown status', { ...good, CBZT: '冻结' }, [['CBZT', /not a known enrolment status/]]],
    ['a missing name', { ...good, XM: undefined }, [['XM', /required but missing/]]],
    ['an enrolment before birth', { ...good, CBRQ: '19891231' }, [['CBRQ', /before the insured was born/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(socialInsuranceEnrolment, native), expected);
  });

  it('keys records by ID number and insurance type', () => {
    expect(socialInsuranceEnrolment.naturalKey(good)).toBe('450103199001053315:PENSION');
    expect(socialInsuranceEnrolment.naturalKey({ ...good, XZLX: '610' })).toBe('450103199001053315:610');
    expect(socialInsuranceEnrolment.naturalKey({ GMSFHM: '450103199001053315' })).toBeUndefined();
    expect(hrssConnector.resources).toHaveLength(1);
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/social-insurance-enrolment.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'social-insurance-enrolment', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(socialInsuranceEnrolment, row);
  });
});
