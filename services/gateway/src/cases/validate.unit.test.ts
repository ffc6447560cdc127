import { describe, expect, it } from 'vitest';
import { generateResidentId } from '@hub/identifiers';
import type { CaseSubmission } from './submission.ts';
import { validateSubmission } from './validate.ts';

const now = new Date('2025-06-01T04:00:00.000Z');
const base: CaseSubmission = {
  applicant: { type: 'person', name: ' 韦建国 ', idNumber: generateResidentId({ division: '450102', birthDate: '1985-03-12', sequence: 123 }).toLowerCase() },
  itemCode: 'ITEM-1',
  itemName: '个体工商户设立登记',
  centre: 'NN-XN-ZWZX',
  window: 'W07',
  divisionCode: '450102000000',
  documents: [],
};

describe('validating a case submission', () => {
  it('normalises the ID number, the name and the division code into CaseSubmitted terms', () => {
    const result = validateSubmission(base, now);
    expect(result).toMatchObject({ ok: true, content: { applicant: { kind: 'PERSON', name: '韦建国', idNumber: base.applicant.idNumber?.toUpperCase(), creditCode: null, phone: null }, divisionCode: '450102', channel: 'WINDOW', occurredAt: now } });
  });

  it('converts a legacy 15-digit ID number', () => {
    const result = validateSubmission({ ...base, applicant: { type: 'person', name: '韦建国', idNumber: '450102850312123' } }, now);
    expect(result).toMatchObject({ ok: true, content: { applicant: { idNumber: '450102198503121233' } } });
  });

  it('refuses a birth date after the day of submission', () => {
    const future = generateResidentId({ division: '450102', birthDate: '2025-06-02', sequence: 1 });
    const result = validateSubmission({ ...base, applicant: { type: 'person', name: '韦建国', idNumber: future } }, now);
    expect(result).toEqual({ ok: false, problems: [{ field: 'body.applicant.idNumber', reason: 'birth date 2025-06-02 is after today (2025-06-01)' }] });
  });

  it('refuses a bad credit code and a malformed division code', () => {
    const result = validateSubmission({ ...base, applicant: { type: 'organisation', name: '某公司', creditCode: '92450102MA5N3C8E1T' }, divisionCode: '450000001' }, now);
    expect(result).toMatchObject({ ok: false, problems: [
      { field: 'body.applicant.creditCode', reason: expect.stringMatching(/check character/) },
      { field: 'body.divisionCode', reason: expect.stringMatching(/town part/) },
    ] });
  });

  it('takes the submission time the window gives, never one in the future', () => {
    expect(validateSubmission({ ...base, submittedAt: '2025-05-30T17:00:00+08:00' }, now)).toMatchObject({ ok: true, content: { occurredAt: new Date('2025-05-30T09:00:00.000Z') } });
    expect(validateSubmission({ ...base, submittedAt: '2025-06-01T04:00:00.001Z' }, now)).toEqual({
      ok: false,
      problems: [{ field: 'body.submittedAt', reason: 'submittedAt 2025-06-01T04:00:00.001Z is in the future (the gateway\'s clock says 2025-06-01T04:00:00.000Z)' }],
    });
  });
});
