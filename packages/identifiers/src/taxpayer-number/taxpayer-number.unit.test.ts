import { describe, expect, it } from 'vitest';
import { residentIdCheckCharacter } from '../resident-id/resident-id.ts';
import { checkTaxpayerNumber } from './taxpayer-number.ts';

const today = '2024-05-01';

describe('checkTaxpayerNumber', () => {
  it.each([
    ['91350100M000100Y43', 'credit-code'],
    ['9144030071526726xg', 'credit-code'],
    ['440301192203821', 'legacy'],
    ['350100M000100Y4', 'legacy'],
    ['11010519491231002X', 'resident-id'],
    ['11010519491231002X01', 'resident-id-with-sequence'],
  ])('%s is a %s', (text, kind) => {
    expect(checkTaxpayerNumber(text, { today })).toMatchObject({ ok: true, value: { kind, number: text.toUpperCase() } });
  });

  it('gives the parts of each kind', () => {
    expect(checkTaxpayerNumber('350100M000100Y4', { today })).toEqual({
      ok: true,
      value: { kind: 'legacy', number: '350100M000100Y4', division: '350100', organisationCode: 'M000100Y4' },
    });
    expect(checkTaxpayerNumber('11010519491231002X07', { today })).toMatchObject({
      ok: true,
      value: { kind: 'resident-id-with-sequence', sequence: '07', residentId: { number: '11010519491231002X', sex: '2' } },
    });
    expect(checkTaxpayerNumber('91350100M000100Y43', { today })).toMatchObject({
      ok: true,
      value: { kind: 'credit-code', creditCode: { division: '350100', organisationCode: 'M000100Y4' } },
    });
  });

  it.each([
    ['', 'taxpayer number is empty'],
    ['4403011922038', 'taxpayer number must have 15, 18 or 20 characters, got 13'],
    ['440301192203822', '15-character legacy taxpayer number: organisation code check character at position 15 should be 1, got 2'],
    ['990301192203821', '15-character legacy taxpayer number: division code 990301 has no known province (99)'],
    ['91350100M000100Y44', '18-character taxpayer number is not a valid credit code: check character should be 3, got 4'],
    [
      '110105194912310021',
      '18-character taxpayer number is neither a valid credit code (check character should be B, got 1) nor a valid resident ID number (check character should be X, got 1)',
    ],
    ['11010519491231002XA1', '20-character taxpayer number must end in a 2-digit sequence, got "A1"'],
    ['11010519491231002101', '20-character taxpayer number (ID number + sequence): check character should be X, got 1'],
    [
      `${'45030520250101001'}${residentIdCheckCharacter('45030520250101001')}01`,
      '20-character taxpayer number (ID number + sequence): birth date 2025-01-01 is after today (2024-05-01)',
    ],
  ])('rejects %j: %s', (text, reason) => {
    expect(checkTaxpayerNumber(text, { today })).toEqual({ ok: false, reason });
  });
});
