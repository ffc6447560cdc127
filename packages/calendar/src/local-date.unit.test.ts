import { describe, expect, it } from 'vitest';
import { dayNumberOf, formatDayNumber, isLocalDate, shanghaiDate, weekdayOf } from './local-date.ts';

describe('shanghaiDate', () => {
  it.each([
    ['2026-03-01T16:30:00Z', '2026-03-02', '00:30 in Beijing is already the next day'],
    ['2026-03-02T15:30:00Z', '2026-03-02', '23:30 in Beijing is still the same day'],
    ['2026-03-01T15:59:59.999Z', '2026-03-01', 'the last millisecond before midnight'],
    ['2026-03-01T16:00:00Z', '2026-03-02', 'midnight in Beijing'],
    ['2026-12-31T16:00:00Z', '2027-01-01', 'the new year starts at 16:00 UTC'],
    ['2024-02-28T16:00:00Z', '2024-02-29', 'a leap day'],
  ])('%s is %s (%s)', (instant, expected) => {
    expect(shanghaiDate(new Date(instant))).toBe(expected);
    expect(shanghaiDate(Date.parse(instant))).toBe(expected);
  });

  it('does not depend on the host time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const zone of ['America/Los_Angeles', 'UTC', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        expect(shanghaiDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
        expect(shanghaiDate(new Date('2026-03-02T15:30:00Z'))).toBe('2026-03-02');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('refuses an invalid instant', () => {
    expect(() => shanghaiDate(new Date('not a date'))).toThrow(RangeError);
    expect(() => shanghaiDate(Number.NaN)).toThrow(RangeError);
  });
});

describe('LocalDate text', () => {
  it.each([
    ['2026-03-02', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2026-04-31', false],
    ['2026-3-2', false],
    ['2026-03-02T00:00', false],
    [' 2026-03-02', false],
    ['20260302', false],
  ])('%s is a date: %s', (text, expected) => {
    expect(isLocalDate(text)).toBe(expected);
  });

  it('counts day numbers like the proleptic Gregorian calendar from 1900 to 2100', () => {
    const start = Date.UTC(1900, 0, 1) / 86_400_000;
    const end = Date.UTC(2101, 0, 1) / 86_400_000;
    for (let day = start; day < end; day++) {
      const utc = new Date(day * 86_400_000);
      const text = utc.toISOString().slice(0, 10);
      if (formatDayNumber(day) !== text || dayNumberOf(text) !== day || weekdayOf(day) !== utc.getUTCDay()) {
        expect({ day, text: formatDayNumber(day), weekday: weekdayOf(day) }).toEqual({ day, text, weekday: utc.getUTCDay() });
      }
    }
  });

  it('names the argument in the error', () => {
    expect(() => dayNumberOf('2026-02-30', 'acceptedOn')).toThrow('acceptedOn should be a real date as YYYY-MM-DD, got "2026-02-30"');
  });
});
