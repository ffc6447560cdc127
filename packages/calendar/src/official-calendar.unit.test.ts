import { describe, expect, it } from 'vitest';
import { officialCalendar } from './official-calendar.ts';
import { dayNumberOf, formatDayNumber, weekdayOf } from './local-date.ts';

// The facts below are copied from the State Council's notices, not from chinese-days:
// 2025: 国办发明电〔2024〕12号 (2024-11-12); 2026: 国办发明电〔2025〕7号 (2025-11-04).
const calendar = officialCalendar();

function daysOfYear(year: number): string[] {
  const days: string[] = [];
  for (let day = dayNumberOf(`${year}-01-01`); day <= dayNumberOf(`${year}-12-31`); day++) days.push(formatDayNumber(day));
  return days;
}
const isWeekend = (date: string) => weekdayOf(dayNumberOf(date)) % 6 === 0;
const range = (from: string, to: string) => daysOfYear(Number(from.slice(0, 4))).filter((d) => d >= from && d <= to);

const published = {
  2025: {
    holidays: [
      ...range('2025-01-01', '2025-01-01'), // 元旦
      ...range('2025-01-28', '2025-02-04'), // 春节
      ...range('2025-04-04', '2025-04-06'), // 清明节
      ...range('2025-05-01', '2025-05-05'), // 劳动节
      ...range('2025-05-31', '2025-06-02'), // 端午节
      ...range('2025-10-01', '2025-10-08'), // 国庆节、中秋节
    ],
    makeUpDays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    holidays: [
      ...range('2026-01-01', '2026-01-03'), // 元旦
      ...range('2026-02-15', '2026-02-23'), // 春节
      ...range('2026-04-04', '2026-04-06'), // 清明节
      ...range('2026-05-01', '2026-05-05'), // 劳动节
      ...range('2026-06-19', '2026-06-21'), // 端午节
      ...range('2026-09-25', '2026-09-27'), // 中秋节
      ...range('2026-10-01', '2026-10-07'), // 国庆节
    ],
    makeUpDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
} as const;

describe.each([2025, 2026] as const)('the official schedule for %i', (year) => {
  const { holidays, makeUpDays } = published[year];

  it('matches the notice day for day: weekdays off are the holidays, weekends worked are the make-up days', () => {
    const days = daysOfYear(year);
    expect(days.filter((d) => !isWeekend(d) && !calendar.isWorkingDay(d))).toEqual(holidays.filter((d) => !isWeekend(d)));
    expect(days.filter((d) => isWeekend(d) && calendar.isWorkingDay(d))).toEqual(makeUpDays);
  });

  it('has 248 working days (261 weekdays, less the weekday holidays, plus the make-up days)', () => {
    expect(calendar.workingDaysUsed(`${year - 1}-12-31`, `${year}-12-31`)).toEqual({ days: 248, provisional: false });
  });

  it('covers the whole year', () => {
    expect(calendar.covers(`${year}-01-01`) && calendar.covers(`${year}-12-31`)).toBe(true);
  });
});

describe('2025 make-up working days (调休上班)', () => {
  it.each([
    ['2025-01-26', 'Sunday'],
    ['2025-02-08', 'Saturday'],
    ['2025-04-27', 'Sunday'],
    ['2025-09-28', 'Sunday'],
    ['2025-10-11', 'Saturday'],
  ])('%s (%s) is a working day', (date) => {
    expect(isWeekend(date)).toBe(true);
    expect(calendar.isWorkingDay(date)).toBe(true);
  });

  it.each([
    ['2025-01-24', 1, '2025-01-26', 'Friday → the Sunday make-up day'],
    ['2025-01-25', 1, '2025-01-26', 'accepted on a Saturday'],
    ['2025-01-27', 1, '2025-02-05', 'across the Spring Festival, Jan 28 to Feb 4'],
    ['2025-01-27', 2, '2025-02-06', ''],
    ['2025-02-07', 1, '2025-02-08', 'Friday → the Saturday make-up day'],
    ['2025-04-25', 1, '2025-04-27', 'Friday → the Sunday make-up day'],
    ['2025-04-30', 1, '2025-05-06', 'across Labour Day, May 1 to 5'],
    ['2025-09-26', 1, '2025-09-28', 'Friday → the Sunday make-up day'],
    ['2025-09-29', 3, '2025-10-10', 'Sep 30, then Oct 9 and 10 after National Day and Mid-Autumn (Oct 1 to 8)'],
    ['2025-10-10', 1, '2025-10-11', 'Friday → the Saturday make-up day'],
  ])('accepted %s, %i day(s): due %s %s', (acceptedOn, days, due) => {
    expect(calendar.dueDate(acceptedOn, days)).toEqual({ dueDate: due, provisional: false });
  });
});

describe('across National Day 2026 (Oct 1-7 off, Sun Sep 20 and Sat Oct 10 worked)', () => {
  it.each([
    ['2026-09-18', 1, '2026-09-20', 'Friday → the Sunday make-up day'],
    ['2026-09-18', 5, '2026-09-24', 'Sep 20, 21, 22, 23, 24'],
    ['2026-09-24', 1, '2026-09-28', 'Mid-Autumn, Sep 25 to 27, in between'],
    ['2026-09-29', 1, '2026-09-30', ''],
    ['2026-09-29', 2, '2026-10-08', 'the holiday is skipped'],
    ['2026-09-30', 1, '2026-10-08', 'accepted the day before the holiday'],
    ['2026-10-03', 1, '2026-10-08', 'accepted during the holiday'],
    ['2026-09-29', 4, '2026-10-10', 'Sep 30, Oct 8, 9 and the Saturday make-up day'],
    ['2026-09-29', 5, '2026-10-12', ''],
    ['2026-09-24', 20, '2026-10-29', 'the default legal limit across both holidays'],
  ])('accepted %s, %i day(s): due %s %s', (acceptedOn, days, due) => {
    expect(calendar.dueDate(acceptedOn, days)).toEqual({ dueDate: due, provisional: false });
  });

  it.each([
    ['2026-10-08', '2026-09-30'],
    ['2026-10-12', '2026-10-10'],
    ['2026-09-21', '2026-09-20'],
  ])('one working day before %s is %s', (date, expected) => {
    expect(calendar.addWorkingDays(date, -1)).toEqual({ date: expected, provisional: false });
  });
});

describe('across the Spring Festival 2026 (Feb 15-23 off, Saturdays Feb 14 and 28 worked)', () => {
  it.each([
    ['2026-02-13', 1, '2026-02-14', 'Friday → the Saturday make-up day'],
    ['2026-02-14', 1, '2026-02-24', 'accepted on the make-up Saturday'],
    ['2026-02-12', 3, '2026-02-24', 'Feb 13, 14, then the first day after the holiday'],
    ['2026-02-20', 1, '2026-02-24', 'accepted during the holiday'],
    ['2026-02-26', 2, '2026-02-28', 'Friday Feb 27, then the make-up Saturday'],
    ['2026-02-13', 10, '2026-03-05', 'Feb 14, 24, 25, 26, 27, 28, Mar 2, 3, 4, 5'],
  ])('accepted %s, %i day(s): due %s %s', (acceptedOn, days, due) => {
    expect(calendar.dueDate(acceptedOn, days)).toEqual({ dueDate: due, provisional: false });
  });

  it('counts the make-up Saturdays as used days', () => {
    expect(calendar.workingDaysUsed('2026-02-13', '2026-03-01')).toEqual({ days: 6, provisional: false });
  });

  it('one working day before Feb 24 is the make-up Saturday Feb 14', () => {
    expect(calendar.addWorkingDays('2026-02-24', -1)).toEqual({ date: '2026-02-14', provisional: false });
  });
});

it('is built once and shared', () => {
  expect(officialCalendar()).toBe(calendar);
});
