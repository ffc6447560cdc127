import { type CheckResult, fail, ok, quote } from '../check-result.ts';
import { formatIsoDate, isRealDate, pad } from './calendar.ts';

/**
 * A date read from a departmental system: a calendar date when the text had no
 * time of day, otherwise an instant.
 */
export type DepartmentDate =
  | { readonly kind: 'date'; readonly date: string }
  | {
      readonly kind: 'timestamp';
      /** Milliseconds since 1970-01-01T00:00:00Z. */
      readonly epochMs: number;
      /** The calendar date as written, 'YYYY-MM-DD' (local to the writing system). */
      readonly date: string;
    };

export interface DepartmentDateOptions {
  /**
   * The UTC offset in which the department wrote local times, '+08:00' by
   * default: departmental systems in China write Beijing time. A fixed offset,
   * not a zone name, keeps parsing pure; China has kept +08:00 without
   * daylight saving since 1992 (the 1986-1991 summers are not corrected for).
   */
  readonly utcOffset?: string;
}

export const BEIJING_UTC_OFFSET = '+08:00';

const FORMATS = 'yyyyMMddHHmmss, yyyyMMdd, yyyy-MM-dd, yyyy/MM/dd, yyyy-MM-dd HH:mm:ss, yyyy年M月d日';

interface Clock {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly ms: number;
}

interface Fields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly time?: Clock;
}

const PATTERNS: readonly ((text: string) => Fields | undefined)[] = [
  digitsOnly,
  (text) => {
    const m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(text);
    return m ? date(m[1], m[3], m[4]) : undefined;
  },
  (text) => {
    const m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text);
    return m ? { ...date(m[1], m[3], m[4]), time: time(m[5], m[6], m[7], m[8]) } : undefined;
  },
  (text) => {
    const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(text);
    return m ? date(m[1], m[2], m[3]) : undefined;
  },
];

/** yyyyMMddHHmmss and yyyyMMdd, the formats of most department systems: read without a regular expression. */
function digitsOnly(text: string): Fields | undefined {
  if (text.length !== 14 && text.length !== 8) return undefined;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 4, 6);
  const day = digitsAt(text, 6, 8);
  if (text.length === 8) return { year, month, day };
  return { year, month, day, time: { hour: digitsAt(text, 8, 10), minute: digitsAt(text, 10, 12), second: digitsAt(text, 12, 14), ms: 0 } };
}

/** The number the ASCII digits from `from` to `to` spell (checked to be digits by the caller). */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i += 1) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

function date(year?: string, month?: string, day?: string): Fields {
  return { year: Number(year), month: Number(month), day: Number(day) };
}

function time(hour?: string, minute?: string, second?: string, fraction?: string): Clock {
  return { hour: Number(hour), minute: Number(minute), second: Number(second), ms: Number((fraction ?? '').padEnd(3, '0')) };
}

/** Minutes east of UTC for '+08:00', '-0530' or 'Z'; throws RangeError otherwise. */
export function utcOffsetMinutes(utcOffset: string): number {
  if (utcOffset === BEIJING_UTC_OFFSET) return 8 * 60; // nearly every call: no pattern to match
  if (utcOffset === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(utcOffset);
  if (m === null || Number(m[2]) > 14 || Number(m[3]) > 59) {
    throw new RangeError(`UTC offset must look like +08:00, got ${quote(utcOffset)}`);
  }
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * Reads a departmental date strictly: one of the formats above, a real calendar
 * date (20230230 is rejected, not rolled over) and a real time of day.
 */
export function parseDepartmentDate(text: string, options: DepartmentDateOptions = {}): CheckResult<DepartmentDate> {
  const offset = utcOffsetMinutes(options.utcOffset ?? BEIJING_UTC_OFFSET);
  const trimmed = text.trim();
  if (trimmed.length === 0) return fail('date is empty');
  let fields: Fields | undefined;
  for (const pattern of PATTERNS) {
    fields = pattern(trimmed);
    if (fields !== undefined) break;
  }
  if (fields === undefined) return fail(`${quote(trimmed)} is not a date in a recognised format (${FORMATS})`);
  const { year, month, day, time: clock } = fields;
  if (!isRealDate(year, month, day)) {
    return fail(`${quote(trimmed)} is not a real calendar date (${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)})`);
  }
  const isoDate = formatIsoDate({ year, month, day });
  if (clock === undefined) return ok({ kind: 'date', date: isoDate });
  if (clock.hour > 23 || clock.minute > 59 || clock.second > 59) {
    return fail(
      `${quote(trimmed)} has an invalid time of day (${pad(clock.hour, 2)}:${pad(clock.minute, 2)}:${pad(clock.second, 2)})`,
    );
  }
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(clock.hour, clock.minute, clock.second, clock.ms);
  return ok({ kind: 'timestamp', epochMs: utc.getTime() - offset * 60_000, date: isoDate });
}

/** The last instant `calendarDateAt` was asked about: the records of a batch share their time of receipt. */
let lastCalendarDate: { epochMs: number; utcOffset: string; date: string } | undefined;

/** The calendar date 'YYYY-MM-DD' of an instant at a UTC offset: what "today" is for the ID-number checks. */
export function calendarDateAt(epochMs: number, utcOffset: string = BEIJING_UTC_OFFSET): string {
  if (lastCalendarDate?.epochMs === epochMs && lastCalendarDate.utcOffset === utcOffset) return lastCalendarDate.date;
  const shifted = new Date(epochMs + utcOffsetMinutes(utcOffset) * 60_000);
  const date = formatIsoDate({
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  });
  lastCalendarDate = { epochMs, utcOffset, date };
  return date;
}
