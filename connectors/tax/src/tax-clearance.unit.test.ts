import type { NativeRecord } from '@hub/connector-core';
import { type ExpectedError, expectErrors, mapErrors, mapOk, readSample } from '@hub/connector-core/testing/mapping-tests';
import type { TaxClearanceCertificate } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { taxClearance } from './tax-clearance.ts';

const good: NativeRecord = {
  WSZMHM: '(251)桂证明45010225000318',
  NSRSBH: '91450100198230150Y',
  NSRMC: '广西南宁邕江建设集团有限公司',
  SKSSQQ: '20240101',
  SKSSQZ: '20241231',
  SE: '3,586,420.17',
  JKRQ: '20250315',
  KJRQ: '20250318',
  SWJGDM: '14501000000',
  GXSJ: '20250318143000',
};

const canonical: Omit<TaxClearanceCertificate, 'eventId'> = {
  occurredAt: new Date('2025-03-18T06:30:00.000Z'),
  sourceDepartment: 'tax',
  certificateNo: '(251)桂证明45010225000318',
  taxpayerNumber: '91450100198230150Y',
  taxpayerName: '广西南宁邕江建设集团有限公司',
  periodStart: '2024-01-01',
  periodEnd: '2024-12-31',
  totalPaid: '3586420.17',
  issuedOn: '2025-03-18',
  divisionCode: '450100',
};

describe('tax.tax-clearance: native 完税证明 → TaxClearanceCertificate', () => {
  it.each<[string, NativeRecord, Omit<TaxClearanceCertificate, 'eventId'>]>([
    ['an enterprise certificate with thousands separators', good, canonical],
    [
      'full-width brackets and digits, an amount with 元 and one decimal, no payment date',
      { ...good, WSZMHM: '（２５１）桂证明45010225000319', SE: '12345.6元', JKRQ: '' },
      { ...canonical, certificateNo: '(251)桂证明45010225000319', totalPaid: '12345.60' },
    ],
    [
      'an individual income tax certificate keyed by ID number, amount as a JSON number, county office',
      {
        ...good,
        WSZMHM: '(251)桂证明45010225000320',
        NSRSBH: '450102198503121233',
        NSRMC: '韦建国',
        SKSSQQ: '2024-01-01',
        SKSSQZ: '2024-03-31',
        SE: 1680,
        SWJGDM: '14501020000',
      },
      {
        ...canonical,
        certificateNo: '(251)桂证明45010225000320',
        taxpayerNumber: '450102198503121233',
        taxpayerName: '韦建国',
        periodEnd: '2024-03-31',
        totalPaid: '1680.00',
        divisionCode: '450102',
      },
    ],
  ])('maps %s', (_case, native, expected) => {
    expect(mapOk(taxClearance, native)).toStrictEqual(expected);
  });

  it.each<[string, NativeRecord, ExpectedError[]]>([
    ['a taxpayer number with a wrong check character', { ...good, NSRSBH: '91450100198230150X' }, [['NSRSBH', /check character should be Y, got X/]]],
    ['an amount with badly grouped separators', { ...good, SE: '12,34.60' }, [['SE', /not a decimal number/]]],
    ['an amount with fractions of a fen', { ...good, SE: '100.005' }, [['SE', /3 decimal places/]]],
    ['a negative amount', { ...good, SE: '-10.00' }, [['SE', /negative/]]],
    ['a period end that does not exist', { ...good, SKSSQZ: '20240230' }, [['SKSSQZ', /not a real calendar date/]]],
    ['a period that ends before it starts', { ...good, SKSSQQ: '20250101' }, [['SKSSQZ', /ends \(2024-12-31\) before it starts/]]],
    ['a payment after the issue date', { ...good, JKRQ: '20250320' }, [['JKRQ', /after the issue date/]]],
    ['an issuing office in an unknown division', { ...good, SWJGDM: '14599000000' }, [['SWJGDM', /not a known division/]]],
    ['a missing certificate number', { ...good, WSZMHM: '' }, [['WSZMHM', /required but missing/]]],
    ['a certificate number with odd characters', { ...good, WSZMHM: '(251)桂证明#4501' }, [['WSZMHM', /not a certificate number/]]],
  ])('rejects %s', (_case, native, expected) => {
    expectErrors(mapErrors(taxClearance, native), expected);
  });

  it('keys records by the certificate number, brackets folded', () => {
    expect(taxClearance.naturalKey({ WSZMHM: ' （２５１）桂证明45010225000318' })).toBe('(251)桂证明45010225000318');
  });

  it.each(['csv', 'jsonl'] as const)('maps every row of samples/tax-clearance.%s', (format) => {
    const rows = readSample(new URL('../samples/', import.meta.url), 'tax-clearance', format);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) mapOk(taxClearance, row);
  });
});
