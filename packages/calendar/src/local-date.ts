/**
 * Calendar dates in China Standard Time (Asia/Shanghai: UTC+8 all year, no
 * summer time since 1991) as 'YYYY-MM-DD' text, and the day numbers the
 * calendar counts with. The arithmetic is on plain integers, so neither the
 * host's time zone nor a Date object per day is involved.
 */

/** A calendar date in Asia/Shanghai, 'YYYY-MM-DD'. */
export type LocalDate = string;

/** Days since 1970-01-01 (negative before it). */
export type DayNumber = number;

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Howard Hinnant's days_from_civil / civil_from_days, on a year that starts in March.
function daysFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The day number of a strict 'YYYY-MM-DD' real date, or undefined. */
export function tryDayNumber(text: string): DayNumber | undefined {
  const match = DATE_TEXT.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

export function isLocalDate(text: unknown): text is LocalDate {
  return typeof text === 'string' && tryDayNumber(text) !== undefined;
}

/** Throws RangeError naming `what` when `text` is not a real 'YYYY-MM-DD' date. */
export function dayNumberOf(text: LocalDate, what = 'date'): DayNumber {
  const days = tryDayNumber(text);
  if (days === undefined) throw new RangeError(`${what} should be a real date as YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return days;
}

export function yearOf(days: DayNumber): number {
  return civilFromDays(days)[0];
}

function civilFromDays(days: DayNumber): [year: number, month: number, day: number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

export function formatDayNumber(days: DayNumber): LocalDate {
  const [year, month, day] = civilFromDays(days);
  if (year < 1 || year > 9999) throw new RangeError(`day ${days} is outside the years 0001-9999`);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

export function firstDayOfYear(year: number): DayNumber {
  return daysFromCivil(year, 1, 1);
}

/** 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekdayOf(days: DayNumber): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** Monday to Friday: the rule for days the calendar has no data for. */
export function isWeekday(days: DayNumber): boolean {
  const weekday = weekdayOf(days);
  return weekday !== 0 && weekday !== 6;
}

/**
 * The Asia/Shanghai calendar date of an instant: 2026-03-01T16:30Z is
 * 2026-03-02 (00:30 in Beijing).
 */
export function shanghaiDate(instant: Date | number): LocalDate {
  const epochMs = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(epochMs)) throw new RangeError(`shanghaiDate needs a valid instant, got ${String(instant)}`);
  return formatDayNumber(Math.floor((epochMs + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}
