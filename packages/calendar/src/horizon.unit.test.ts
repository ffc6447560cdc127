import { describe, expect, it } from 'vitest';
import { officialCalendar } from './official-calendar.ts';
import { weekdayCalendar, withOverrides } from './working-calendar.ts';

// Past the last year with data, Monday to Friday are taken as working days and
// every answer that looked at such a day is marked provisional.
const official = officialCalendar();

// 2027 has not been published yet: this file is made up for the test.
const with2027 = withOverrides(official, {
  years: [2027],
  holidays: ['2027-01-01'],
  workdays: [],
  notes: 'test data, not the real 2027 schedule',
});

describe('the horizon', () => {
  it('ends with 2026 as shipped', () => {
    expect(official.years.at(-1)).toBe(2026);
    expect(official.years).toContain(2025);
    expect(official.covers('2026-12-31')).toBe(true);
    expect(official.covers('2027-01-01')).toBe(false);
  });

  it('takes a weekday past the horizon as a working day', () => {
    expect(official.isWorkingDay('2027-01-01')).toBe(true);
    expect(official.isWorkingDay('2027-01-02')).toBe(false);
  });

  it.each([
    ['2026-12-24', 5, '2026-12-31', false],
    ['2026-12-24', 6, '2027-01-01', true],
    ['2026-12-31', 1, '2027-01-01', true],
  ])('accepted %s, %i day(s): due %s, provisional %s', (acceptedOn, days, due, provisional) => {
    expect(official.dueDate(acceptedOn, days)).toEqual({ dueDate: due, provisional });
  });

  it('is extended by an override that adds the year, and the answer is no longer provisional', () => {
    expect(with2027.years.at(-1)).toBe(2027);
    expect(with2027.covers('2027-01-01')).toBe(true);
    expect(with2027.dueDate('2026-12-24', 6)).toEqual({ dueDate: '2027-01-04', provisional: false });
    expect(with2027.dueDate('2026-12-31', 1)).toEqual({ dueDate: '2027-01-04', provisional: false });
  });

  it('marks working days used and added provisional too', () => {
    expect(official.workingDaysUsed('2026-12-24', '2027-01-04')).toEqual({ days: 7, provisional: true });
    expect(with2027.workingDaysUsed('2026-12-24', '2027-01-04')).toEqual({ days: 6, provisional: false });
    expect(official.addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-01', provisional: true });
    expect(official.addWorkingDays('2027-01-04', -1)).toEqual({ date: '2027-01-01', provisional: true });
  });

  it('is provisional when the count resumes past the horizon', () => {
    expect(official.dueDate('2026-12-21', 3, [{ from: '2026-12-22', resumedOn: '2026-12-23' }])).toEqual({
      dueDate: '2026-12-25',
      provisional: false,
    });
    expect(official.dueDate('2026-12-21', 3, [{ from: '2026-12-22', resumedOn: '2027-01-05' }])).toEqual({
      dueDate: '2027-01-07',
      provisional: true,
    });
  });

  it('is provisional before the first year with data', () => {
    expect(official.covers('2005-12-31')).toBe(false);
    expect(official.dueDate('2005-12-30', 1)).toEqual({ dueDate: '2006-01-04', provisional: true });
  });

  it('leaves a gap when an override adds a later year but not the one between', () => {
    const with2028 = withOverrides(official, { years: [2028], holidays: ['2028-01-03'] });
    expect(with2028.years.slice(-2)).toEqual([2026, 2028]);
    expect(with2028.covers('2027-06-01')).toBe(false);
    expect(with2028.dueDate('2027-12-30', 1)).toEqual({ dueDate: '2027-12-31', provisional: true });
    // Only the days counted matter: the day of acceptance, and the days a suspension skips, are not looked at.
    expect(with2028.dueDate('2027-12-31', 1)).toEqual({ dueDate: '2028-01-04', provisional: false });
    expect(with2028.dueDate('2026-12-30', 2, [{ from: '2026-12-31', resumedOn: '2028-01-03' }])).toEqual({
      dueDate: '2028-01-04',
      provisional: false,
    });
  });

  it('a calendar without data counts Monday to Friday, all provisional', () => {
    const weekdays = weekdayCalendar();
    expect(weekdays.years).toEqual([]);
    expect(weekdays.dueDate('2026-09-30', 1)).toEqual({ dueDate: '2026-10-01', provisional: true });
  });
});
