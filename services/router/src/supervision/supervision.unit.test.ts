import { withOverrides } from '@hub/calendar';
import { deciderSpecification } from '@hub/decider/testing';
import type { AlertLevel } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { caseView } from '../cases/view.ts';
import { shippedItems } from '../items/catalogue.ts';
import { supervisionDecider } from './decide.ts';
import { alertId, OPERATOR } from './events.ts';
import {
  bj,
  calendar,
  CASE,
  caseAfter,
  caseSubject,
  constructionPermit,
  horizon,
  hukouTransfer,
  raised,
  supervision,
  suspend,
  task,
  tick,
  when,
} from './fixtures.ts';

const spec = deciderSpecification(supervision);

// 户口迁移 (ps decides alone, promised 5 working days, legal 20), accepted Monday 2 March 2026:
// day 1 is Tue 03-03, promised due Mon 03-09 (across the weekend), legal due Mon 03-30.
const accepted = bj('2026-03-02 10:00');
const hukou = (...later: Parameters<typeof caseAfter>) => caseAfter(when.submit(hukouTransfer, bj('2026-03-02 09:00')), when.accept(accepted), ...later);

const hukouWarning = raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-06 00:00'), to: 'ps', deadline: '2026-03-09', limitDays: 5, used: 4 });
const hukouOverdue = raised({ level: 'OVERDUE', subject: caseSubject, at: bj('2026-03-10 00:00'), to: 'ps', deadline: '2026-03-09', limitDays: 5, used: 6 });
const hukouBreach = raised({ level: 'LEGAL_LIMIT_BREACHED', subject: caseSubject, at: bj('2026-03-31 00:00'), to: 'ps', deadline: '2026-03-30', limitDays: 20, used: 21 });

describe('supervision (电子监察) of a case against its promised and legal limits', () => {
  it('raises nothing before the warning day', () => {
    spec.given().when(tick(bj('2026-03-05 23:59'), hukou())).then([]);
  });

  it('warning (黄牌) at 00:00 of the working day before the due date, across the weekend, to the lead department', () => {
    const after = spec.given().when(tick(bj('2026-03-06 00:00'), hukou())).then([hukouWarning]);
    expect(hukouWarning.data).toMatchObject({ eventId: `${CASE}:alert:case:WARNING`, workingDaysRemaining: 1 });
    expect(after.raised.get(CASE)).toEqual(new Set([hukouWarning.data.eventId]));
  });

  it('overdue (红牌) the day after the promised due date', () => {
    spec.given(hukouWarning).when(tick(bj('2026-03-09 23:59'), hukou())).then([]);
    spec.given(hukouWarning).when(tick(bj('2026-03-10 00:00'), hukou())).then([hukouOverdue]);
    expect(hukouOverdue.data.workingDaysRemaining).toBe(-1);
  });

  it('legal limit breached (超法定时限) the day after the legal due date', () => {
    spec.given(hukouWarning, hukouOverdue).when(tick(bj('2026-03-30 23:59'), hukou())).then([]);
    spec.given(hukouWarning, hukouOverdue).when(tick(bj('2026-03-31 00:00'), hukou())).then([hukouBreach]);
  });

  it('a late tick raises every alert that came due, each dated at its threshold, not at the tick', () => {
    spec.given().when(tick(bj('2026-04-15 12:00'), hukou())).then([hukouWarning, hukouOverdue, hukouBreach]);
  });

  it('overdue on a Saturday: the due date has passed and no working day is left (remaining 0)', () => {
    // Accepted Fri 03-06: due Fri 03-13, warning Thu 03-12, overdue from Sat 03-14.
    const friday = caseAfter(when.submit(hukouTransfer, bj('2026-03-06 09:00')), when.accept(bj('2026-03-06 09:30')));
    spec.given().when(tick(bj('2026-03-14 08:00'), friday)).then([
      raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-12 00:00'), to: 'ps', deadline: '2026-03-13', limitDays: 5, used: 4 }),
      raised({ level: 'OVERDUE', subject: caseSubject, at: bj('2026-03-14 00:00'), to: 'ps', deadline: '2026-03-13', limitDays: 5, used: 5 }),
    ]);
  });

  it('across National Day 2026: the warning on 09-30, before the holiday, for a case due on 10-08', () => {
    // Accepted Wed 09-23: 09-24, (Mid-Autumn 09-25..27 off), 09-28, 09-29, 09-30, (10-01..07 off), due Thu 10-08.
    const beforeHoliday = caseAfter(when.submit(hukouTransfer, bj('2026-09-23 09:00')), when.accept(bj('2026-09-23 10:00')));
    const warning = raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-09-30 00:00'), to: 'ps', deadline: '2026-10-08', limitDays: 5, used: 4 });
    spec.given().when(tick(bj('2026-09-29 23:59'), beforeHoliday)).then([]);
    spec.given().when(tick(bj('2026-10-08 23:59'), beforeHoliday)).then([warning]);
    spec.given(warning).when(tick(bj('2026-10-09 00:00'), beforeHoliday)).then([
      raised({ level: 'OVERDUE', subject: caseSubject, at: bj('2026-10-09 00:00'), to: 'ps', deadline: '2026-10-08', limitDays: 5, used: 6 }),
    ]);
  });

  it('across National Day 2026: the make-up Saturday 10-10 (调休) is a working day, so the warning falls on it', () => {
    // Accepted Tue 09-29: 09-30, 10-08, 10-09, Sat 10-10, due Mon 10-12.
    const overHoliday = caseAfter(when.submit(hukouTransfer, bj('2026-09-29 09:00')), when.accept(bj('2026-09-29 10:00')));
    spec.given().when(tick(bj('2026-10-09 23:59'), overHoliday)).then([]);
    spec.given().when(tick(bj('2026-10-10 00:00'), overHoliday)).then([
      raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-10-10 00:00'), to: 'ps', deadline: '2026-10-12', limitDays: 5, used: 4 }),
    ]);
  });

  it('no alert when the case is completed (办结) in time', () => {
    spec.given().when(tick(bj('2026-06-30 00:00'), hukou(when.decide('ps', bj('2026-03-05 15:00'), true)))).then([]);
  });

  it('completed on the warning day: the warning it had by 00:00, nothing after', () => {
    spec.given().when(tick(bj('2026-06-30 00:00'), hukou(when.decide('ps', bj('2026-03-06 15:00'), true)))).then([hukouWarning]);
  });

  it('completed late: red card, but no legal breach when the decision came within the legal limit', () => {
    spec.given(hukouWarning).when(tick(bj('2026-06-30 00:00'), hukou(when.decide('ps', bj('2026-03-12 11:00'), true)))).then([hukouOverdue]);
  });

  it('no duplicate after a replay: the alerts raised are remembered by id', () => {
    spec.given(hukouWarning, hukouOverdue, hukouBreach).when(tick(bj('2026-06-30 00:00'), hukou())).then([]);
  });

  it('a case listed twice in one tick raises once', () => {
    spec.given().when(tick(bj('2026-03-06 00:00'), hukou(), hukou())).then([hukouWarning]);
  });

  it('cases not accepted raise nothing: submitted, refused at intake', () => {
    const submitted = caseAfter(when.submit(hukouTransfer, bj('2026-03-02 09:00')));
    const refused = caseAfter(when.submit(hukouTransfer, bj('2026-03-02 09:00')), when.refuseAtIntake(bj('2026-03-02 09:10'), '材料不齐'));
    spec.given().when(tick(bj('2026-06-30 00:00'), submitted, refused)).then([]);
  });

  it('refuses a tick without a valid time', () => {
    spec.given().when(tick(new Date(Number.NaN), hukou())).thenFails({ type: 'InvalidTime' });
  });
});

describe('a suspended case (特殊环节): its deadline is not known, so no alert until it resumes', () => {
  // Suspended for a hearing on Wed 03-04 (day 2, which counts), resumed Mon 03-23: due Thu 03-26.
  const suspended = () => hukou(suspend('ps', bj('2026-03-04 11:00')));
  const resumed = () => hukou(suspend('ps', bj('2026-03-04 11:00')), when.resume(bj('2026-03-23 09:00')));

  it('no alert while suspended, however long', () => {
    spec.given().when(tick(bj('2026-04-30 00:00'), suspended())).then([]);
    expect(supervision.nextAlertAt(supervision.initialState(), suspended())).toBeUndefined();
  });

  it('recomputed on resume: the warning the working day before the new due date', () => {
    spec.given().when(tick(bj('2026-03-24 23:59'), resumed())).then([]);
    spec.given().when(tick(bj('2026-03-25 00:00'), resumed())).then([
      // Used: 03-03 and 03-04, then 03-24 and 03-25.
      raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-25 00:00'), to: 'ps', deadline: '2026-03-26', limitDays: 5, used: 4 }),
    ]);
  });

  it('suspended after the warning came due, ticked only afterwards: the warning, at its threshold', () => {
    spec.given().when(tick(bj('2026-03-06 10:00'), hukou(suspend('ps', bj('2026-03-06 09:00'))))).then([hukouWarning]);
  });

  it('suspended on its due date, resumed a week later: overdue at the resume, as the clock restarts past the due date', () => {
    // The 5th day (03-09) is reached on the day of the suspension, so the due date stands.
    const late = hukou(suspend('ps', bj('2026-03-09 11:00')), when.resume(bj('2026-03-16 09:00')));
    spec.given(hukouWarning).when(tick(bj('2026-03-16 09:00'), late)).then([
      raised({ level: 'OVERDUE', subject: caseSubject, at: bj('2026-03-16 09:00'), to: 'ps', deadline: '2026-03-09', limitDays: 5, used: 5 }),
    ]);
  });
});

describe('co-approval tasks (协办任务): alerts to the co-approver', () => {
  // 建筑工程施工许可证核发 accepted Mon 03-02 10:00: land and market (stage 1, 2 days) due Wed 03-04; the case due Mon 03-09.
  const permit = (...later: Parameters<typeof caseAfter>) =>
    caseAfter(when.submit(constructionPermit, bj('2026-03-02 09:00')), when.accept(bj('2026-03-02 10:00')), ...later);
  const taskWarning = (department: string) =>
    raised({ level: 'WARNING', subject: task(department, 1), at: bj('2026-03-03 00:00'), to: department, deadline: '2026-03-04', limitDays: 2, used: 1 });
  const marketOverdue = raised({ level: 'OVERDUE', subject: task('market', 1), at: bj('2026-03-05 00:00'), to: 'market', deadline: '2026-03-04', limitDays: 2, used: 3 });

  it('a warning to each co-approver the working day before its task is due', () => {
    spec.given().when(tick(bj('2026-03-03 00:00'), permit())).then([taskWarning('land'), taskWarning('market')]);
    expect(taskWarning('land').data.eventId).toBe(`${CASE}:alert:land@1:WARNING`);
  });

  it('overdue to the co-approver that has not answered; the one that granted in time hears nothing more', () => {
    const landGranted = permit(when.grant('land', bj('2026-03-03 15:00')));
    spec.given(taskWarning('land'), taskWarning('market')).when(tick(bj('2026-03-05 00:00'), landGranted)).then([marketOverdue]);
  });

  it('the next stage has its own clock, from the day it is asked', () => {
    // market grants late on Thu 03-05: hrss (stage 2, 2 days) is asked then, due Mon 03-09 like the case.
    const stage2 = permit(when.grant('land', bj('2026-03-03 15:00')), when.grant('market', bj('2026-03-05 10:00')));
    spec.given(taskWarning('land'), taskWarning('market'), marketOverdue).when(tick(bj('2026-03-06 00:00'), stage2)).then([
      raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-06 00:00'), to: 'housing', deadline: '2026-03-09', limitDays: 5, used: 4 }),
      raised({ level: 'WARNING', subject: task('hrss', 2), at: bj('2026-03-06 00:00'), to: 'hrss', deadline: '2026-03-09', limitDays: 2, used: 1 }),
    ]);
  });

  it('a refusal cancels the other tasks: no red card for them, while the case itself stays supervised until the decision', () => {
    const refused = permit(when.refuse('land', bj('2026-03-03 15:00'), '用地性质不符'));
    // Legal limit 7: due Wed 03-11.
    spec.given(taskWarning('land'), taskWarning('market')).when(tick(bj('2026-03-20 00:00'), refused)).then([
      raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-06 00:00'), to: 'housing', deadline: '2026-03-09', limitDays: 5, used: 4 }),
      raised({ level: 'OVERDUE', subject: caseSubject, at: bj('2026-03-10 00:00'), to: 'housing', deadline: '2026-03-09', limitDays: 5, used: 6 }),
      raised({ level: 'LEGAL_LIMIT_BREACHED', subject: caseSubject, at: bj('2026-03-12 00:00'), to: 'housing', deadline: '2026-03-11', limitDays: 7, used: 8 }),
    ]);
  });

  it('supplementary material (补正) stops the tasks with the case; their clocks go on after the resume', () => {
    // market asks for material on Mon 03-02 at 11:00, the day both tasks were asked (it does not count); the applicant brings it Tue 03-10 09:00.
    // The resume day does not count either: 03-11, 03-12, so both are due Thu 03-12 and warned Wed 03-11.
    const supplemented = permit(when.supplement('market', bj('2026-03-02 11:00'), ['消防设计审查意见']), when.resume(bj('2026-03-10 09:00')));
    spec.given().when(tick(bj('2026-03-10 23:59'), supplemented)).then([]);
    const warnings = ['land', 'market'].map((department) =>
      raised({ level: 'WARNING', subject: task(department, 1), at: bj('2026-03-11 00:00'), to: department, deadline: '2026-03-12', limitDays: 2, used: 1 }),
    );
    spec.given().when(tick(bj('2026-03-11 00:00'), supplemented)).then(warnings);
  });

  it('material asked for on the warning day: the warning came due at 00:00, before the clock stopped, and is not raised again after the resume', () => {
    const askedLater = permit(when.supplement('market', bj('2026-03-03 11:00'), ['消防设计审查意见']), when.resume(bj('2026-03-10 09:00')));
    spec.given().when(tick(bj('2026-03-03 12:00'), askedLater)).then([taskWarning('land'), taskWarning('market')]);
    // 03-03 counts (the suspension's own day), then 03-11: due Wed 03-11, overdue from Thu 03-12.
    spec.given(taskWarning('land'), taskWarning('market')).when(tick(bj('2026-03-11 23:59'), askedLater)).then([]);
    expect(supervision.nextAlertAt(spec.given(taskWarning('land'), taskWarning('market')).state(), askedLater)).toEqual(bj('2026-03-12 00:00'));
  });
});

describe('the calendar horizon: a provisional deadline warns the operator once', () => {
  // Accepted Thu 2026-12-24: the promised due date (12-31) is firm, the legal one (20 days) lies in 2027, past the official data.
  const accepted = bj('2026-12-24 10:00');
  const yearEnd = caseAfter(when.submit(hukouTransfer, bj('2026-12-24 09:00')), when.accept(accepted));
  const operatorWarning = raised({ level: 'WARNING', subject: horizon, at: accepted, to: OPERATOR, deadline: '2027-01-21', limitDays: 20, used: 0 });

  it('a warning to the operator at acceptance, naming the provisional deadline', () => {
    spec.given().when(tick(accepted, yearEnd)).then([operatorWarning]);
    expect(operatorWarning.data.eventId).toBe(`${CASE}:alert:horizon:WARNING`);
  });

  it('once: a later tick raises only the case alerts as they come due', () => {
    spec.given(operatorWarning).when(tick(bj('2026-12-30 00:00'), yearEnd)).then([
      raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-12-30 00:00'), to: 'ps', deadline: '2026-12-31', limitDays: 5, used: 4 }),
    ]);
  });

  it('no operator warning once the override file brings 2027', () => {
    const with2027 = deciderSpecification(supervisionDecider({ calendar: withOverrides(calendar, { years: [2027], holidays: ['2027-01-01'] }) }));
    with2027.given().when(tick(accepted, yearEnd)).then([]);
  });
});

describe('configuration and scheduling', () => {
  it('warningDays: 2 warns two working days before the due date', () => {
    const early = deciderSpecification(supervisionDecider({ calendar, warningDays: 2 }));
    early.given().when(tick(bj('2026-03-05 00:00'), hukou())).then([
      raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-05 00:00'), to: 'ps', deadline: '2026-03-09', limitDays: 5, used: 3 }),
    ]);
  });

  it('refuses a warningDays that is not a whole number ≥ 0 at start', () => {
    expect(() => supervisionDecider({ calendar, warningDays: -1 })).toThrow(/warningDays/);
    expect(() => supervisionDecider({ calendar, warningDays: 1.5 })).toThrow(RangeError);
  });

  it('即办 (a limit of 0) is due on the day of acceptance: warned at acceptance, overdue the next day', () => {
    const marriage = shippedItems.find((item) => item.promisedDays === 0);
    if (!marriage) throw new Error('the catalogue has no 即办 item');
    const onTheSpot = caseAfter(when.submit(marriage, bj('2026-03-02 09:00')), when.accept(bj('2026-03-02 09:05')));
    spec.given().when(tick(bj('2026-03-03 00:00'), onTheSpot)).then([
      raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-02 09:05'), to: 'civil', deadline: '2026-03-02', limitDays: 0, used: 0 }),
      raised({ level: 'OVERDUE', subject: caseSubject, at: bj('2026-03-03 00:00'), to: 'civil', deadline: '2026-03-02', limitDays: 0, used: 1 }),
    ]);
  });

  it('the deadlines alerts carry are the ones the case view (GET /v1/cases/{caseId}) shows', () => {
    const states = [
      hukou(),
      hukou(suspend('ps', bj('2026-03-04 11:00')), when.resume(bj('2026-03-23 09:00'))),
      caseAfter(when.submit(constructionPermit, bj('2026-03-02 09:00')), when.accept(bj('2026-03-02 10:00')), when.grant('land', bj('2026-03-03 15:00')), when.grant('market', bj('2026-03-05 10:00'))),
    ];
    for (const state of states) {
      const view = caseView(state, calendar, '2026-03-02');
      const shown = new Map<string, string | null>([
        [alertId(CASE, caseSubject, 'OVERDUE'), view.promisedDueDate],
        [alertId(CASE, caseSubject, 'LEGAL_LIMIT_BREACHED'), view.legalDueDate],
        // A task answered in time has no red card coming; the open ones do.
        ...view.tasks.filter((t) => t.status === 'open').map((t): [string, string | null] => [alertId(CASE, task(t.department, t.stage), 'OVERDUE'), t.dueDate]),
      ]);
      const scheduled = supervision.schedule(state).filter((alert) => shown.has(alert.eventId));
      expect(scheduled.length).toBe(shown.size);
      for (const alert of scheduled) expect(alert.deadline).toBe(shown.get(alert.eventId));
    }
  });

  it('nextAlertAt: the first alert not raised yet, or none once the case is completed', () => {
    const state = spec.given(hukouWarning).state();
    expect(supervision.nextAlertAt(supervision.initialState(), hukou())).toEqual(bj('2026-03-06 00:00'));
    expect(supervision.nextAlertAt(state, hukou())).toEqual(bj('2026-03-10 00:00'));
    expect(supervision.nextAlertAt(state, hukou(when.decide('ps', bj('2026-03-06 15:00'), true)))).toBeUndefined();
    const levels: AlertLevel[] = ['WARNING', 'OVERDUE', 'LEGAL_LIMIT_BREACHED'];
    expect(supervision.schedule(hukou()).map((alert) => alert.eventId)).toEqual(levels.map((level) => alertId(CASE, caseSubject, level)));
  });
});
