import { describe, expect, it } from 'vitest';
import { officialCalendar } from './official-calendar.ts';
import type { Suspension } from './working-calendar.ts';

// Day 1 is the first working day after acceptance; a suspension's own day
// counts, the working days after it up to and including the day it resumes do not.
const calendar = officialCalendar();

describe('the due date with suspensions (特殊环节)', () => {
  it.each<[string, string, number, Suspension[], string]>([
    ['no suspension', '2026-03-02', 5, [], '2026-03-09'],
    ['the reference example: suspended Wed, resumed the next Mon', '2026-03-02', 5, [{ from: '2026-03-04', resumedOn: '2026-03-09' }], '2026-03-12'],
    ['resumed the day it started: nothing is lost', '2026-03-02', 5, [{ from: '2026-03-04', resumedOn: '2026-03-04' }], '2026-03-09'],
    ['suspended on the day of acceptance', '2026-03-02', 5, [{ from: '2026-03-02', resumedOn: '2026-03-04' }], '2026-03-11'],
    ['suspended Fri, resumed Mon: only Monday is lost', '2026-03-02', 5, [{ from: '2026-03-06', resumedOn: '2026-03-09' }], '2026-03-10'],
    ['suspended on the due date itself: that day still counts', '2026-03-02', 5, [{ from: '2026-03-09', resumedOn: '2026-03-11' }], '2026-03-09'],
    ['suspended after the due date', '2026-03-02', 5, [{ from: '2026-03-10', resumedOn: '2026-03-20' }], '2026-03-09'],
    [
      'across National Day: suspended Sep 30, resumed Oct 9, the make-up Saturday Oct 10 counts',
      '2026-09-28',
      5,
      [{ from: '2026-09-30', resumedOn: '2026-10-09' }],
      '2026-10-13',
    ],
    [
      'across the Spring Festival: suspended Fri Feb 13, resumed on the make-up Saturday Feb 14',
      '2026-02-12',
      3,
      [{ from: '2026-02-13', resumedOn: '2026-02-14' }],
      '2026-02-25',
    ],
    [
      'two suspensions',
      '2026-03-02',
      5,
      [
        { from: '2026-03-03', resumedOn: '2026-03-04' },
        { from: '2026-03-06', resumedOn: '2026-03-10' },
      ],
      '2026-03-12',
    ],
    [
      'two suspensions given in any order',
      '2026-03-02',
      5,
      [
        { from: '2026-03-06', resumedOn: '2026-03-10' },
        { from: '2026-03-03', resumedOn: '2026-03-04' },
      ],
      '2026-03-12',
    ],
    [
      'overlapping suspensions lose the days once',
      '2026-03-02',
      5,
      [
        { from: '2026-03-04', resumedOn: '2026-03-09' },
        { from: '2026-03-05', resumedOn: '2026-03-06' },
      ],
      '2026-03-12',
    ],
    ['a suspension ending in a holiday loses no more than its working days', '2026-09-24', 3, [{ from: '2026-09-28', resumedOn: '2026-10-04' }], '2026-10-09'],
  ])('%s', (_name, acceptedOn, days, suspensions, due) => {
    expect(calendar.dueDate(acceptedOn, days, suspensions)).toEqual({ dueDate: due, provisional: false });
  });

  it('accepted Mon 2026-03-02 with 5 days is due Mon 03-09; suspended Wed 03-04 and resumed Mon 03-09, Thu 03-12', () => {
    expect(calendar.dueDate('2026-03-02', 5).dueDate).toBe('2026-03-09');
    expect(calendar.dueDate('2026-03-02', 5, [{ from: '2026-03-04', resumedOn: '2026-03-09' }]).dueDate).toBe('2026-03-12');
  });

  it('an open suspension leaves the due date unknown and says since when', () => {
    expect(calendar.dueDate('2026-03-02', 5, [{ from: '2026-03-04' }])).toEqual({
      dueDate: undefined,
      provisional: false,
      suspendedSince: '2026-03-04',
    });
  });

  it('an open suspension after an earlier one', () => {
    const suspensions = [{ from: '2026-03-03', resumedOn: '2026-03-04' }, { from: '2026-03-06' }];
    expect(calendar.dueDate('2026-03-02', 5, suspensions)).toEqual({ dueDate: undefined, provisional: false, suspendedSince: '2026-03-06' });
  });

  it('an open suspension that starts on or after the due date does not hide it', () => {
    expect(calendar.dueDate('2026-03-02', 5, [{ from: '2026-03-09' }])).toEqual({ dueDate: '2026-03-09', provisional: false });
  });

  it('a limit of 0 days (即办) is due on the day of acceptance', () => {
    expect(calendar.dueDate('2026-03-02', 0)).toEqual({ dueDate: '2026-03-02', provisional: false });
  });

  it.each<[string, () => unknown, string]>([
    ['negative days', () => calendar.dueDate('2026-03-02', -1), 'days should be a whole number ≥ 0, got -1'],
    ['fractional days', () => calendar.dueDate('2026-03-02', 1.5), 'days should be a whole number ≥ 0, got 1.5'],
    ['a bad acceptance date', () => calendar.dueDate('2026-02-30', 5), 'acceptedOn should be a real date as YYYY-MM-DD, got "2026-02-30"'],
    ['a bad suspension date', () => calendar.dueDate('2026-03-02', 5, [{ from: '2026/03/04' }]), 'suspensions[0].from should be a real date'],
    [
      'a suspension before acceptance',
      () => calendar.dueDate('2026-03-02', 5, [{ from: '2026-03-01', resumedOn: '2026-03-03' }]),
      'suspensions[0] starts on 2026-03-01, before the case was accepted',
    ],
    [
      'resumed before it started',
      () => calendar.dueDate('2026-03-02', 5, [{ from: '2026-03-05', resumedOn: '2026-03-04' }]),
      'suspensions[0] resumes on 2026-03-04, before it started on 2026-03-05',
    ],
  ])('refuses %s', (_name, call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });
});

describe('working days used', () => {
  const example = [{ from: '2026-03-04', resumedOn: '2026-03-09' }];
  it.each<[string, Suspension[], { days: number; provisional: boolean; suspendedSince?: string }]>([
    ['2026-03-01', [], { days: 0, provisional: false }],
    ['2026-03-02', [], { days: 0, provisional: false }],
    ['2026-03-03', [], { days: 1, provisional: false }],
    ['2026-03-08', [], { days: 4, provisional: false }],
    ['2026-03-09', [], { days: 5, provisional: false }],
    ['2026-03-04', example, { days: 2, provisional: false }],
    ['2026-03-09', example, { days: 2, provisional: false }],
    ['2026-03-10', example, { days: 3, provisional: false }],
    ['2026-03-12', example, { days: 5, provisional: false }],
    ['2026-03-20', [{ from: '2026-03-04' }], { days: 2, provisional: false, suspendedSince: '2026-03-04' }],
    ['2026-03-04', [{ from: '2026-03-04' }], { days: 2, provisional: false }],
  ])('accepted 2026-03-02, on %s with %j', (on, suspensions, expected) => {
    expect(calendar.workingDaysUsed('2026-03-02', on, suspensions)).toEqual(expected);
  });

  it.each<[string, Suspension[]]>([
    ['2026-09-24', []],
    ['2026-02-10', [{ from: '2026-02-13', resumedOn: '2026-02-24' }]],
    ['2026-03-02', [{ from: '2026-03-03', resumedOn: '2026-03-04' }, { from: '2026-03-06', resumedOn: '2026-03-10' }]],
  ])('agrees with dueDate: N days after %s are used up on the due date', (acceptedOn, suspensions) => {
    for (let days = 1; days <= 45; days++) {
      const { dueDate } = calendar.dueDate(acceptedOn, days, suspensions);
      if (dueDate === undefined) throw new Error('no due date');
      expect(calendar.workingDaysUsed(acceptedOn, dueDate, suspensions).days).toBe(days);
      expect(calendar.workingDaysUsed(acceptedOn, calendar.addWorkingDays(dueDate, -1).date, suspensions).days).toBeLessThan(days);
    }
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2026-03-02', 0, '2026-03-02'],
    ['2026-03-07', 0, '2026-03-07'],
    ['2026-03-02', 5, '2026-03-09'],
    ['2026-03-09', -5, '2026-03-02'],
    ['2026-03-07', 1, '2026-03-09'],
    ['2026-03-07', -1, '2026-03-06'],
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-10-08', -2, '2026-09-29'],
  ])('%s %+i working days is %s', (date, n, expected) => {
    expect(calendar.addWorkingDays(date, n)).toEqual({ date: expected, provisional: false });
  });

  it('refuses a fractional count', () => {
    expect(() => calendar.addWorkingDays('2026-03-02', 0.5)).toThrow(RangeError);
  });
});
