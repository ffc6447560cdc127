import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CalendarFileError } from './calendar-overrides.ts';
import { loadCalendar, readCalendarOverrides } from './load-calendar.ts';
import { officialCalendar } from './official-calendar.ts';

const folder = mkdtempSync(join(tmpdir(), 'hub-calendar-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe('loadCalendar', () => {
  it('is the official calendar without a file', () => {
    expect(loadCalendar({})).toBe(officialCalendar());
    expect(loadCalendar({ file: '' })).toBe(officialCalendar());
    expect(loadCalendar()).toBe(officialCalendar());
  });

  it('puts the file on top of the official calendar', () => {
    const path = file('2027.json', JSON.stringify({ years: [2027], holidays: ['2027-01-01'], notes: 'test data' }));
    const calendar = loadCalendar({ file: path });
    expect(calendar.years.slice(-2)).toEqual([2026, 2027]);
    expect(calendar.dueDate('2026-12-31', 1)).toEqual({ dueDate: '2027-01-04', provisional: false });
  });

  it.each([
    ['missing.json', undefined, /missing\.json: invalid calendar file:\n {2}- \(file\): cannot be read: ENOENT/],
    ['broken.json', '{ "years": [2027], }', /broken\.json: invalid calendar file:\n {2}- \(file\): is not JSON: /],
    ['wrong.json', '{ "years": [2027], "holidays": ["2027-02-30"] }', /wrong\.json: invalid calendar file:\n {2}- holidays\[0\]: "2027-02-30" is not a real date/],
  ])('refuses %s, naming it', (name, text, message) => {
    const path = text === undefined ? join(folder, name) : file(name, text);
    expect(() => loadCalendar({ file: path })).toThrow(CalendarFileError);
    expect(() => readCalendarOverrides(path)).toThrow(message);
  });
});
