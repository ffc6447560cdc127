import { replay } from '@hub/decider';
import { describe, expect, it } from 'vitest';
import { bj, calendar, decider, history, residentIdentity, when } from './fixtures.ts';
import { agreementAlertSchedule } from './schedule.ts';
import { agreementView } from './view.ts';

// The owner's 10 working days (国发〔2016〕51号) around Mid-Autumn and National Day 2026 on the official calendar:
// Mid-Autumn Fri 09-25..Sun 09-27 off; National Day Thu 10-01..Wed 10-07 off; make-up working days Sun 09-20 and Sat 10-10.
// Day 1 is the first working day after the Asia/Shanghai date of the request; the due date is the 10th.
const pendingSince = (requestedAt: Date) => replay(decider, history(when.request(residentIdentity, requestedAt)));

describe('the due date of a conditional request across National Day 2026', () => {
  it.each<[string, string, string]>([
    // requested (Beijing time)   due date      the ten working days
    ['2026-09-15 10:00', '2026-09-29', '16 17 18 20(Sun, make-up) 21 22 23 24 28 29'],
    ['2026-09-17 10:00', '2026-10-08', '18 20 21 22 23 24 28 29 30, 10-08: due the first day back'],
    ['2026-09-18 10:00', '2026-10-09', '20 21 22 23 24 28 29 30 10-08 10-09'],
    ['2026-09-19 10:00', '2026-10-09', 'a Saturday off: counts from Sun 09-20 (make-up) as Friday does'],
    ['2026-09-20 10:00', '2026-10-10', 'on the make-up Sunday: 21 22 23 24 28 29 30 10-08 10-09, due on the make-up Saturday 10-10'],
    ['2026-09-24 10:00', '2026-10-15', 'Mid-Autumn and National Day both skipped: 28 29 30 10-08 09 10 12 13 14 15'],
    ['2026-09-25 10:00', '2026-10-15', 'a request on the Mid-Autumn holiday counts as one on the 24th'],
    ['2026-09-30 10:00', '2026-10-20', '10-08 09 10 12 13 14 15 16 19 20'],
    ['2026-09-30 23:50', '2026-10-20', 'still 09-30 in Beijing'],
    ['2026-10-01 09:00', '2026-10-20', 'during the holiday: as on 09-30'],
    ['2026-10-07 18:00', '2026-10-20', 'the last day of the holiday: as on 09-30'],
    ['2026-10-08 00:30', '2026-10-21', '00:30 in Beijing is 10-07 in UTC, but the day is 10-08: 09 10 12 13 14 15 16 19 20 21'],
    ['2026-10-09 10:00', '2026-10-22', '10 (Sat, make-up) 12 13 14 15 16 19 20 21 22'],
    ['2026-10-10 10:00', '2026-10-23', 'on the make-up Saturday: 12 13 14 15 16 19 20 21 22 23'],
  ])('requested %s: due %s (%s)', (requested, due) => {
    expect(agreementView(pendingSince(bj(requested)), calendar, requested.slice(0, 10)).dueDate).toBe(due);
  });

  it('warns one working day before the due date and flags it overdue the day after, across the holiday', () => {
    const at = (entries: ReturnType<typeof agreementAlertSchedule>) => entries.map((alert) => [alert.level, alert.dueAt.toISOString(), alert.deadline]);
    // Due Thu 10-08, the first day back: warned on Wed 09-30, before the holiday.
    expect(at(agreementAlertSchedule(pendingSince(bj('2026-09-17 10:00')), calendar))).toEqual([
      ['WARNING', bj('2026-09-30 00:00').toISOString(), '2026-10-08'],
      ['OVERDUE', bj('2026-10-09 00:00').toISOString(), '2026-10-08'],
    ]);
    // Due Fri 10-09: warned on Thu 10-08, overdue from the make-up Saturday 10-10.
    expect(at(agreementAlertSchedule(pendingSince(bj('2026-09-18 10:00')), calendar))).toEqual([
      ['WARNING', bj('2026-10-08 00:00').toISOString(), '2026-10-09'],
      ['OVERDUE', bj('2026-10-10 00:00').toISOString(), '2026-10-09'],
    ]);
    // Due on the make-up Saturday 10-10: warned on Fri 10-09, overdue from Sun 10-11.
    expect(at(agreementAlertSchedule(pendingSince(bj('2026-09-20 10:00')), calendar))).toEqual([
      ['WARNING', bj('2026-10-09 00:00').toISOString(), '2026-10-10'],
      ['OVERDUE', bj('2026-10-11 00:00').toISOString(), '2026-10-10'],
    ]);
    // Due Tue 10-20 (asked on 09-30, the eve of the holiday): warned on Mon 10-19, overdue from Wed 10-21.
    expect(at(agreementAlertSchedule(pendingSince(bj('2026-09-30 10:00')), calendar))).toEqual([
      ['WARNING', bj('2026-10-19 00:00').toISOString(), '2026-10-20'],
      ['OVERDUE', bj('2026-10-21 00:00').toISOString(), '2026-10-20'],
    ]);
  });
});
