import { type LocalDate, type WorkingCalendar, shanghaiDate } from '@hub/calendar';
import type { Random } from '../random.ts';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const MS_PER_DAY = 86_400_000;

/** Office hours of the service centres (办公时间), Asia/Shanghai, in seconds of the day: [opens, closes). */
export const OFFICE_HOURS = { opens: 9 * 3600, closes: 17 * 3600 + 30 * 60 } as const;

/** The instant `second` seconds into the Asia/Shanghai day `date`. */
export function instantOn(date: LocalDate, second: number): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS + second * 1000);
}

/** Seconds since Asia/Shanghai midnight, whole. */
export function secondOfDay(at: Date): number {
  return Math.floor((((at.getTime() + SHANGHAI_OFFSET_MS) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY / 1000);
}

/** Whether `at` is on a working day within office hours, Asia/Shanghai. */
export function inOfficeHours(at: Date, calendar: WorkingCalendar): boolean {
  const second = secondOfDay(at);
  return calendar.isWorkingDay(shanghaiDate(at)) && second >= OFFICE_HOURS.opens && second < OFFICE_HOURS.closes;
}

export interface OfficeTimeOptions {
  /** The least time after `after`, s; 60 by default, so steps of a case never share a second. */
  readonly gapSeconds?: number;
  /** How much later than the earliest possible time it may fall, s; three hours by default. */
  readonly spreadSeconds?: number;
}

/**
 * A time within office hours on `date`, at least `gapSeconds` after `after`
 * and at most `spreadSeconds` after the earliest such time; on the next
 * working day when `date` is not one or the day has no room left after
 * `after` (a date before `after`'s is taken as `after`'s).
 */
export function officeTimeOn(random: Random, calendar: WorkingCalendar, date: LocalDate, after: Date, options: OfficeTimeOptions = {}): Date {
  const { gapSeconds = 60, spreadSeconds = 3 * 3600 } = options;
  const afterDay = shanghaiDate(after);
  let day = date < afterDay ? afterDay : date;
  for (;;) {
    if (calendar.isWorkingDay(day)) {
      const earliest = day === afterDay ? Math.max(OFFICE_HOURS.opens, secondOfDay(after) + gapSeconds) : OFFICE_HOURS.opens;
      const latest = Math.min(OFFICE_HOURS.closes - 1, earliest + spreadSeconds);
      if (earliest <= latest) return instantOn(day, earliest + Math.floor(random() * (latest - earliest + 1)));
    }
    day = calendar.addWorkingDays(day, 1).date;
  }
}

/** The working days from `from` to `to`, both included when they are working days. */
export function workingDaysBetween(calendar: WorkingCalendar, from: LocalDate, to: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  let day = calendar.isWorkingDay(from) ? from : calendar.addWorkingDays(from, 1).date;
  while (day <= to) {
    days.push(day);
    day = calendar.addWorkingDays(day, 1).date;
  }
  return days;
}

/** A working day in [from, to], uniformly; `from`'s next working day when the range holds none. */
export function workingDayBetween(random: Random, calendar: WorkingCalendar, from: LocalDate, to: LocalDate): LocalDate {
  const days = workingDaysBetween(calendar, from, to);
  const day = days[Math.floor(random() * days.length)];
  return day ?? (calendar.isWorkingDay(from) ? from : calendar.addWorkingDays(from, 1).date);
}
