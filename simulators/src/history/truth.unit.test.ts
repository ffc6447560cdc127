import { officialCalendar } from '@hub/calendar';
import { describe, expect, it } from 'vitest';
import type { CaseStep } from '../cases/steps.ts';
import type { CaseSubmissionBody } from '../cases/submission.ts';
import { catalogueItem } from '../cases/testing/items.ts';
import type { CaseKind, HistoryPlan, PlannedCase } from './plan.ts';
import { groundTruth, truthFileText } from './truth.ts';

const calendar = officialCalendar();
/** An instant given as Beijing time, e.g. `bj('2026-03-02 09:00')`. */
const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/** land leads, tax co-approves in one stage (2 days); promised 5, legal 30; a fee and a certificate. */
const transfer = catalogueItem('不动产转移登记');
/** civil decides alone, on the spot: promised 0, legal 1; a certificate. */
const marriage = catalogueItem('内地居民结婚登记');
/** market leads, tax and ps co-approve in one stage (1 day); promised 1, legal 3; a certificate. */
const company = catalogueItem('企业设立登记');

const submission = { applicant: { type: 'person', name: '韦建国', idNumber: '450102199001011234' }, documents: [] } as unknown as CaseSubmissionBody;

function planned(index: number, kind: CaseKind, item: typeof transfer, steps: [string, CaseStep][]): PlannedCase {
  const key = `k-${index}`;
  return {
    index,
    key,
    item,
    kind,
    steps: [[steps[0]![0], { type: 'submit', key, submission }] as [string, CaseStep], ...steps.slice(1)].map(([at, step]) => ({ at: bj(at), step })),
  };
}

const grant = (department: 'tax' | 'ps'): CaseStep => ({ type: 'answer', department, answer: 'grant', stage: 1 });

// The first two weeks of March 2026 have no holiday: Mondays are 03-02 and 03-09.
const cases: PlannedCase[] = [
  // Tax asks for material on Tue 03-03, it comes on Thu 03-05: 03-04 and 03-05 do not count. Promised due Wed 03-11.
  planned(0, 'suspended', transfer, [
    ['2026-03-02 09:10', { type: 'submit' } as CaseStep],
    ['2026-03-02 09:30', { type: 'accept' }],
    ['2026-03-03 10:00', { type: 'answer', department: 'tax', answer: 'supplement', stage: 1, materials: ['完税证明原件'] }],
    ['2026-03-05 10:00', { type: 'bring-supplement' }],
    ['2026-03-06 09:30', grant('tax')],
    ['2026-03-09 10:00', { type: 'decide', department: 'land', approved: true }],
    ['2026-03-09 10:30', { type: 'assess-fee' }],
    ['2026-03-09 11:00', { type: 'pay-fee' }],
    ['2026-03-10 09:30', { type: 'issue-certificate' }],
    ['2026-03-10 10:00', { type: 'deliver' }],
    ['2026-03-10 10:30', { type: 'review', grade: 5 }],
  ]),
  // Registered on the spot (即办), reviewed 不满意.
  planned(1, 'on-time', marriage, [
    ['2026-03-03 09:00', { type: 'submit' } as CaseStep],
    ['2026-03-03 09:05', { type: 'accept' }],
    ['2026-03-03 09:20', { type: 'decide', department: 'civil', approved: true }],
    ['2026-03-03 09:40', { type: 'issue-certificate' }],
    ['2026-03-03 09:50', { type: 'deliver' }],
    ['2026-03-03 10:00', { type: 'review', grade: 2 }],
  ]),
  // Tax refuses on Thu 03-05, which cancels ps's task; market refuses on Fri 03-06, past the promised Thu 03-05.
  planned(2, 'refused-by-co-approver', company, [
    ['2026-03-04 14:00', { type: 'submit' } as CaseStep],
    ['2026-03-04 14:10', { type: 'accept' }],
    ['2026-03-05 11:00', { type: 'answer', department: 'tax', answer: 'refuse', stage: 1, reason: '欠税' }],
    ['2026-03-06 10:00', { type: 'decide', department: 'market', approved: false, reason: '协办部门不同意' }],
    ['2026-03-06 10:30', { type: 'deliver' }],
  ]),
  planned(3, 'refused-at-intake', transfer, [
    ['2026-03-05 09:00', { type: 'submit' } as CaseStep],
    ['2026-03-05 09:10', { type: 'refuse-at-intake', reason: '材料不齐' }],
  ]),
  // Tax grants on Tue 03-10; ps never answers: its task was due 03-10, so it is overdue at the end (Fri 03-13).
  planned(4, 'on-time', company, [
    ['2026-03-09 09:00', { type: 'submit' } as CaseStep],
    ['2026-03-09 09:10', { type: 'accept' }],
    ['2026-03-10 15:00', grant('tax')],
  ]),
  // Tax's task is due Thu 03-12; it grants on Fri 03-13, three working days after the request.
  planned(5, 'late-co-approver', transfer, [
    ['2026-03-10 09:00', { type: 'submit' } as CaseStep],
    ['2026-03-10 09:20', { type: 'accept' }],
    ['2026-03-13 09:30', grant('tax')],
  ]),
];

const plan: HistoryPlan = { from: '2026-03-02', to: '2026-03-13', seed: 1, perDay: 1, workingDays: ['2026-03-02'], cases };

describe('the ground truth of a plan (groundTruth)', () => {
  it('given a small plan, when every step is answered, then the figures are the ones counted by hand', () => {
    const truth = groundTruth(plan, calendar);
    expect(truth.overall).toEqual({
      submitted: 6,
      accepted: 5,
      refusedAtIntake: 1,
      completed: 3,
      inProgress: 2,
      onTime: 2,
      onTimeRate: 0.666666666667,
      // (1 − 3/30) + (1 − 0/1) + (1 − 2/3), over 3
      handlingSpeedUp: 0.744444444444,
      // (5/6 + 1 + 2/3 + 2/3 + 5/6) / 5
      promisedSpeedUp: 0.8,
      sameDay: 1,
      sameDayRate: 0.2,
      reviews: 2,
      satisfied: 1,
      satisfaction: 0.5,
    });
    expect(truth.byItem[transfer.itemCode]).toEqual({
      name: '不动产转移登记',
      submitted: 3,
      accepted: 2,
      refusedAtIntake: 1,
      completed: 1,
      inProgress: 1,
      onTime: 1,
      onTimeRate: 1,
      handlingSpeedUp: 0.9,
      promisedSpeedUp: 0.833333333333,
      sameDay: 0,
      sameDayRate: 0,
      reviews: 1,
      satisfied: 1,
      satisfaction: 1,
    });
    expect(truth.byLeadDepartment.market).toMatchObject({ submitted: 2, accepted: 2, completed: 1, inProgress: 1, onTime: 0, onTimeRate: 0, handlingSpeedUp: 0.333333333333, reviews: 0, satisfaction: null });
    expect(truth.byLeadDepartment.civil).toMatchObject({ submitted: 1, completed: 1, sameDay: 1, sameDayRate: 1, handlingSpeedUp: 1, promisedSpeedUp: 1, satisfied: 0, satisfaction: 0 });
    expect(Object.keys(truth.byDay)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-09', '2026-03-10']);
    expect(truth.byDay['2026-03-05']).toMatchObject({ submitted: 1, accepted: 0, refusedAtIntake: 1, onTimeRate: null, promisedSpeedUp: null });
    expect(truth.coApprovers).toEqual({
      // 2 (suspension excluded), 1, 1 and 3 working days: median 1.5, 95th percentile 3.
      tax: { tasks: 4, answered: 4, cancelled: 0, open: 0, overdue: 1, medianWorkingDays: 1.5, p95WorkingDays: 3 },
      ps: { tasks: 2, answered: 0, cancelled: 1, open: 1, overdue: 1, medianWorkingDays: null, p95WorkingDays: null },
    });
    expect(truth.cases[0]).toMatchObject({ key: 'k-0', status: 'reviewed', acceptedOn: '2026-03-02', decidedOn: '2026-03-09', promisedDueDate: '2026-03-11', workingDaysUsed: 3, onTime: true, grade: 5 });
    expect(truth.cases.map((c) => c.status)).toEqual(['reviewed', 'reviewed', 'delivered', 'refused-at-intake', 'co-approval', 'awaiting-decision']);
    expect(truth.sent).toEqual({ cases: 6, steps: 30, stepsAnswered: 30, failures: 0 });
  });

  it('given a case refused half-way and one whose submission failed, then each counts as far as the gateway took it', () => {
    const outcomes = cases.map((c) => ({ caseId: `GW-${c.index}`, stepsAnswered: c.steps.length }));
    outcomes[5] = { caseId: 'GW-5', stepsAnswered: 2, failure: { step: 'answer-grant', status: 409, detail: 'stage 1 is not open' } } as never;
    outcomes[3] = { caseId: null, stepsAnswered: 0, failure: { step: 'submit', status: 400, detail: 'bad ID number' } } as never;
    const truth = groundTruth(plan, calendar, outcomes);
    expect(truth.overall).toMatchObject({ submitted: 5, accepted: 5, refusedAtIntake: 0, completed: 3, inProgress: 2 });
    // Case 5's tax task is still open at the end, past its due date (Thu 03-12).
    expect(truth.coApprovers.tax).toEqual({ tasks: 4, answered: 3, cancelled: 0, open: 1, overdue: 1, medianWorkingDays: 1, p95WorkingDays: 2 });
    expect(truth.cases[5]).toMatchObject({ caseId: 'GW-5', status: 'co-approval', stepsAnswered: 2, failure: { step: 'answer-grant', status: 409 } });
    expect(truth.cases[3]).toMatchObject({ caseId: null, status: null, stepsAnswered: 0 });
    expect(truth.sent).toMatchObject({ stepsAnswered: 30 - 1 - 2, failures: 2 });
  });

  it('writes a file that reads back as the same truth, one line per case', () => {
    const truth = groundTruth(plan, calendar);
    const text = truthFileText(truth);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(truth)));
    expect(text.split('\n').filter((line) => line.startsWith('    {"key"'))).toHaveLength(6);
  });
});
