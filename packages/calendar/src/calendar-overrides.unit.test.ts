import { describe, expect, it } from 'vitest';
import { CalendarFileError, parseCalendarOverrides } from './calendar-overrides.ts';
import { officialCalendar } from './official-calendar.ts';
import { withOverrides } from './working-calendar.ts';

function issuesOf(json: unknown): readonly { entry: string; reason: string }[] {
  try {
    parseCalendarOverrides(json, 'region.json');
  } catch (error) {
    if (error instanceof CalendarFileError) return error.issues;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('parseCalendarOverrides', () => {
  it('accepts a file that adds a year', () => {
    const file = { years: [2027], holidays: ['2027-01-01'], workdays: ['2027-02-07'], notes: ['a late change'] };
    expect(parseCalendarOverrides(file)).toEqual(file);
  });

  it.each<[string, unknown, string, string]>([
    ['not an object', [], '(file)', 'Expected object: a calendar file is a JSON object'],
    ['no years', { holidays: [] }, 'years', 'is required'],
    ['no year listed', { years: [] }, 'years', 'Expected array length to be greater or equal to 1, got []'],
    ['a year that is not whole', { years: [2027.5] }, 'years[0]', 'Expected integer, got 2027.5'],
    ['a year out of range', { years: [20270] }, 'years[0]', 'Expected integer to be less or equal to 2100, got 20270'],
    ['a year listed twice', { years: [2027, 2027] }, 'years[1]', '2027 is listed twice'],
    ['an unknown field', { years: [2027], holiday: ['2027-01-01'] }, 'holiday', 'is not a field of a calendar file (years, holidays, workdays, notes)'],
    ['a date that is not text', { years: [2027], holidays: [20270101] }, 'holidays[0]', 'Expected string, got 20270101'],
    ['notes that are not text', { years: [2027], notes: 3 }, 'notes', 'should be a string or a list of strings, got 3'],
    ['a date that does not exist', { years: [2027], holidays: ['2027-01-01', '2027-02-30'] }, 'holidays[1]', '"2027-02-30" is not a real date as YYYY-MM-DD'],
    ['a date in another format', { years: [2027], workdays: ['2027/02/07'] }, 'workdays[0]', '"2027/02/07" is not a real date as YYYY-MM-DD'],
    ['a date outside the declared years', { years: [2027], holidays: ['2028-01-01'] }, 'holidays[0]', '2028-01-01 is outside the declared years (2027)'],
    ['a date listed twice', { years: [2027], holidays: ['2027-01-01', '2027-01-01'] }, 'holidays[1]', '2027-01-01 is listed twice (also holidays[0])'],
    [
      'a date both holiday and workday',
      { years: [2027], holidays: ['2027-02-07'], workdays: ['2027-02-07'] },
      'workdays[0]',
      '2027-02-07 is both a holiday and a workday (also holidays[0])',
    ],
  ])('refuses %s', (_name, json, entry, reason) => {
    expect(issuesOf(json)).toEqual([{ entry, reason }]);
  });

  it('lists every bad entry and names the file in the message', () => {
    const json = { years: [2027], holidays: ['2027-02-30', '2028-01-01'], workdays: ['2027-13-01'] };
    expect(() => parseCalendarOverrides(json, 'region.json')).toThrow(
      [
        'region.json: invalid calendar file:',
        '  - holidays[0]: "2027-02-30" is not a real date as YYYY-MM-DD',
        '  - holidays[1]: 2028-01-01 is outside the declared years (2027)',
        '  - workdays[0]: "2027-13-01" is not a real date as YYYY-MM-DD',
      ].join('\n'),
    );
  });
});

describe('withOverrides', () => {
  const official = officialCalendar();

  it('adds a regional day off inside an official year', () => {
    // A made-up regional holiday on Monday 2026-04-20.
    const regional = withOverrides(official, { years: [2026], holidays: ['2026-04-20'] });
    expect(official.dueDate('2026-04-17', 1).dueDate).toBe('2026-04-20');
    expect(regional.dueDate('2026-04-17', 1).dueDate).toBe('2026-04-21');
    expect(regional.years).toEqual(official.years);
  });

  it('applies a late change: a make-up day cancelled, a holiday worked', () => {
    // As in 2020, when the Spring Festival was extended and a make-up day dropped; these 2026 changes are made up.
    const changed = withOverrides(official, { years: [2026], holidays: ['2026-02-28'], workdays: ['2026-10-07'] });
    expect(changed.isWorkingDay('2026-02-28')).toBe(false);
    expect(changed.isWorkingDay('2026-10-07')).toBe(true);
    expect(changed.isWorkingDay('2026-02-27')).toBe(true);
    expect(official.isWorkingDay('2026-02-28')).toBe(true);
  });

  it('stacks: a second file changes the first', () => {
    const first = withOverrides(official, { years: [2027], holidays: ['2027-01-01'] });
    const second = withOverrides(first, { years: [2027], workdays: ['2027-01-01'] });
    expect(first.isWorkingDay('2027-01-01')).toBe(false);
    expect(second.isWorkingDay('2027-01-01')).toBe(true);
  });

  it('validates overrides that come from code too', () => {
    expect(() => withOverrides(official, { years: [2027], holidays: ['2026-12-31'] }, 'test overrides')).toThrow(CalendarFileError);
  });
});
