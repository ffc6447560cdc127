import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { ConstructionPermit } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { constructionPermit } from './construction-permit.ts';
import { housingConnector } from './index.ts';

const good: NativeRecord = {
  SGXKZBH: '450102202503140101',
  GCMC: '兴宁区民生路社区服务中心改造工程',
  JSDW: '广西南宁邕江建设集团有限公司',
  JSDWTYSHXYDM: '91450100198230150Y',
  JSDZ: '南宁市兴宁区民生路90号',
  HTJG: '1,280.00',
  JSGM: '6420.35',
  FZRQ: '20250314',
  JHKGRQ: '20250401',
  JHJGRQ: '',
  GXSJ: '20250314113000',
};

const canonical: Omit<ConstructionPermit, 'eventId'> = {
  occurredAt: new Date('2025-03-14T03:30:00.000Z'),
  sourceDepartment: 'housing',
  permitNo: '450102202503140101',
  projectName: '兴宁区民生路社区服务中心改造工程',
  builderName: '广西南宁邕江建设集团有限公司',
  builderCreditCode: '91450100198230150Y',
  location: '南宁市兴宁区民生路90号',
  contractPrice: '12800000.00',
  floorArea: '6420.35',
  issuedOn: '2025-03-14',
  plannedStart: '2025-04-01',
  plannedCompletion: null,
  divisionCode: '450102',
};

describe('housing.construction-permit: native 施工许可证 → ConstructionPermit', () => {
  it.each<[string, NativeRecord, Omit<ConstructionPermit, 'eventId'>]>([
    ['a renovation without planned completion', good, canonical],
    [
      'a residential project with both planned dates, units written out',
      { ...good, SGXKZBH: '450103202411050203', GCMC: '青秀区凤岭北安置小区二期', HTJG: '23456.78万元', JSGM: '85,600.50㎡', FZRQ: '2024-11-05', JHKGRQ: '2024-12-01', JHJGRQ: '2027-06-30' },
      { ...canonical, permitNo: '450103202411050203', projectName: '青秀区凤岭北安置小区二期', contractPrice: '234567800.00', floorArea: '85600.50', issuedOn: '2024-11-05', plannedStart: '2024-12-01', plannedCompletion: '2027-06-30', divisionCode: '450103' },
    ],
    [
      'no planned dates at all, full-width number',
      { ...good, SGXKZBH: '４５０１０２２０２５０３１４０１０２', JHKGRQ: null },
      { ...canonical, permitNo: '450102202503140102', plannedStart: null },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(constructionPermit, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['a builder code with a wrong check character', { ...good, JSDWTYSHXYDM: '91450100198230150X' }, [['JSDWTYSHXYDM', /check character should be Y, got X/]]],
    ['an issue date that does not exist', { ...good, FZRQ: '20250230', SGXKZBH: '450102202502300101' }, [['SGXKZBH', /digits 7-14/], ['FZRQ', /not a real calendar date/]]],
    ['a permit number in an unknown division', { ...good, SGXKZBH: '450199202503140101' }, [['SGXKZBH', /not a known division/]]],
    ['a permit number of another date', { ...good, SGXKZBH: '450102202503150101' }, [['SGXKZBH', /carries the issue date 2025-03-15/]]],
    ['a missing project name', { ...good, GCMC: '' }, [['GCMC', /required but missing/]]],
    ['a bad price', { ...good, HTJG: '1280万' }, [['HTJG', /not a decimal number/]]],
    ['an area with too many decimals', { ...good, JSGM: '6420.355' }, [['JSGM', /3 decimal places/]]],
    ['completion before start', { ...good, JHJGRQ: '20250301' }, [['JHJGRQ', /before the planned start/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(constructionPermit, native), expected);
  });

  it('keys records by the permit number', () => {
    expect(constructionPermit.naturalKey({ SGXKZBH: ' 450102202503140101' })).toBe('450102202503140101');
    expect(housingConnector.resources).toHaveLength(1);
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/construction-permit.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'construction-permit', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(constructionPermit, row);
  });
});
