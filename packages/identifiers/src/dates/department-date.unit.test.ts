import { describe, expect, it } from 'vitest';
import { calendarDateAt, parseDepartmentDate } from './department-date.ts';

describe('parseDepartmentDate', () => {
  it.each([
    ['20230105', '2023-01-05'],
    ['2023-01-05', '2023-01-05'],
    ['2023/01/05', '2023-01-05'],
    ['2023-1-5', '2023-01-05'],
    ['2023年1月5日', '2023-01-05'],
    ['2023年12月31日', '2023-12-31'],
    ['20240229', '2024-02-29'],
    [' 2000-02-29 ', '2000-02-29'],
  ])('%j is the date %s', (text, date) => {
    expect(parseDepartmentDate(text)).toEqual({ ok: true, value: { kind: 'date', date } });
  });

  it.each([
    // Beijing time by default: 08:00 there is midnight UTC
    ['20230105080000', '2023-01-05', Date.UTC(2023, 0, 5, 0, 0, 0)],
    ['2023-01-05 08:00:00', '2023-01-05', Date.UTC(2023, 0, 5, 0, 0, 0)],
    ['2023-01-05T23:59:59', '2023-01-05', Date.UTC(2023, 0, 5, 15, 59, 59)],
    ['2023/01/05 07:30:00.5', '2023-01-05', Date.UTC(2023, 0, 4, 23, 30, 0, 500)],
    ['2023-01-05 00:00:00.123', '2023-01-05', Date.UTC(2023, 0, 4, 16, 0, 0, 123)],
  ])('%j is the instant %s / %d', (text, date, epochMs) => {
    expect(parseDepartmentDate(text)).toEqual({ ok: true, value: { kind: 'timestamp', date, epochMs } });
  });

  it('takes another UTC offset', () => {
    expect(parseDepartmentDate('20230105080000', { utcOffset: 'Z' })).toMatchObject({
      ok: true,
      value: { epochMs: Date.UTC(2023, 0, 5, 8) },
    });
    expect(parseDepartmentDate('20230105080000', { utcOffset: '-05:00' })).toMatchObject({
      ok: true,
      value: { epochMs: Date.UTC(2023, 0, 5, 13) },
    });
    expect(() => parseDepartmentDate('20230105', { utcOffset: 'Asia/Shanghai' })).toThrow(RangeError);
  });

  const formats = 'yyyyMMddHHmmss, yyyyMMdd, yyyy-MM-dd, yyyy/MM/dd, yyyy-MM-dd HH:mm:ss, yyyy年M月d日';
  it.each([
    ['', 'date is empty'],
    ['20230230', '"20230230" is not a real calendar date (2023-02-30)'],
    ['20230229', '"20230229" is not a real calendar date (2023-02-29)'],
    ['19000229', '"19000229" is not a real calendar date (1900-02-29)'],
    ['00000000', '"00000000" is not a real calendar date (0000-00-00)'],
    ['2023-13-01', '"2023-13-01" is not a real calendar date (2023-13-01)'],
    ['2023年2月30日', '"2023年2月30日" is not a real calendar date (2023-02-30)'],
    ['20230105240000', '"20230105240000" has an invalid time of day (24:00:00)'],
    ['2023-01-05 12:60:00', '"2023-01-05 12:60:00" has an invalid time of day (12:60:00)'],
    ['2023-01-05 12:00:60', '"2023-01-05 12:00:60" has an invalid time of day (12:00:60)'],
    ['2023.01.05', `"2023.01.05" is not a date in a recognised format (${formats})`],
    ['2023-01/05', `"2023-01/05" is not a date in a recognised format (${formats})`],
    ['230105', `"230105" is not a date in a recognised format (${formats})`],
    ['2023-01-05 12:00', `"2023-01-05 12:00" is not a date in a recognised format (${formats})`],
    ['yesterday', `"yesterday" is not a date in a recognised format (${formats})`],
  ])('rejects %j: %s', (text, reason) => {
    expect(parseDepartmentDate(text)).toEqual({ ok: false, reason });
  });
});

describe('calendarDateAt', () => {
  it.each([
    [Date.UTC(2023, 0, 4, 15, 59, 59), '+08:00', '2023-01-04'],
    [Date.UTC(2023, 0, 4, 16, 0, 0), '+08:00', '2023-01-05'],
    [Date.UTC(2023, 0, 4, 16, 0, 0), 'Z', '2023-01-04'],
  ])('%d at %s is %s', (epochMs, offset, date) => {
    expect(calendarDateAt(epochMs, offset)).toBe(date);
  });

  it('defaults to Beijing time', () => {
    expect(calendarDateAt(Date.UTC(2024, 11, 31, 16))).toBe('2025-01-01');
  });
});
