import { type CalendarOverrides, validateOverrides } from './calendar-overrides.ts';
import {
  type DayNumber,
  type LocalDate,
  dayNumberOf,
  firstDayOfYear,
  formatDayNumber,
  isWeekday,
} from './local-date.ts';

/**
 * A pause of a case's clock (特殊环节: 补正, 听证, 专家评审, 公示). Its own day
 * still counts; the working days after it up to and including `resumedOn` do
 * not. Without `resumedOn` the case has not resumed yet.
 */
export interface Suspension {
  readonly from: LocalDate;
  readonly resumedOn?: LocalDate;
}

export interface Deadline {
  /** The N-th counted working day; undefined while an open suspension stops the clock. */
  readonly dueDate: LocalDate | undefined;
  /**
   * Some day counted lies outside the calendar's years and was taken as
   * Monday-to-Friday; a calendar that covers those years answers for sure.
   * False while `dueDate` is undefined.
   */
  readonly provisional: boolean;
  /** Set when an open suspension stops the clock before the due date: the day it started. */
  readonly suspendedSince?: LocalDate;
}

export interface WorkingDaysUsed {
  readonly days: number;
  readonly provisional: boolean;
  /** Set when an open suspension stopped the count before `on`: the day it started. */
  readonly suspendedSince?: LocalDate;
}

export interface ShiftedDate {
  readonly date: LocalDate;
  readonly provisional: boolean;
}

/** 工作日历: which Asia/Shanghai dates are working days (工作日). Immutable. */
export interface WorkingCalendar {
  /** The years the calendar has data for (the horizon), ascending. */
  readonly years: readonly number[];
  isWorkingDay(date: LocalDate): boolean;
  /** Whether the date's year has data; outside it, Monday to Friday are taken as working days. */
  covers(date: LocalDate): boolean;
  /**
   * The due date of a limit of `days` working days: day 1 is the first working
   * day after `acceptedOn`, the due date the `days`-th, suspensions excluded.
   * A limit of 0 (即办) is due on the day of acceptance.
   */
  dueDate(acceptedOn: LocalDate, days: number, suspensions?: readonly Suspension[]): Deadline;
  /** Working days counted from the day after `acceptedOn` up to and including `on`, by the same rule. */
  workingDaysUsed(acceptedOn: LocalDate, on: LocalDate, suspensions?: readonly Suspension[]): WorkingDaysUsed;
  /**
   * The `n`-th working day after `date` (before it when `n` is negative; `date`
   * itself when 0). `addWorkingDays(dueDate, -1)` is the day "one working day left".
   */
  addWorkingDays(date: LocalDate, n: number): ShiftedDate;
}

const UNCOVERED = 0;
const WORKING = 1;
const OFF = 2;

/** A suspension as the half-open range of day numbers (start, end] that does not count. */
interface Pause {
  readonly after: DayNumber;
  /** Last day not counted; Infinity while open. */
  readonly through: DayNumber;
  readonly from: LocalDate;
}

/**
 * The days from 1 January of the first year with data to 31 December of the
 * last, one byte each: UNCOVERED for a gap year, else WORKING or OFF. Every
 * other day follows the Monday-to-Friday rule and is provisional.
 */
class TableCalendar implements WorkingCalendar {
  readonly years: readonly number[];
  private readonly firstDay: DayNumber;
  private readonly table: Uint8Array;

  constructor(years: readonly number[], isWorking: (day: DayNumber) => boolean) {
    this.years = Object.freeze([...years].sort((a, b) => a - b));
    const first = this.years[0];
    const last = this.years[this.years.length - 1];
    if (first === undefined || last === undefined) {
      this.firstDay = 0;
      this.table = new Uint8Array(0);
      return;
    }
    this.firstDay = firstDayOfYear(first);
    this.table = new Uint8Array(firstDayOfYear(last + 1) - this.firstDay);
    for (const year of this.years) {
      const end = firstDayOfYear(year + 1);
      for (let day = firstDayOfYear(year); day < end; day++) {
        this.table[day - this.firstDay] = isWorking(day) ? WORKING : OFF;
      }
    }
  }

  /** WORKING, OFF or UNCOVERED. */
  status(day: DayNumber): number {
    return this.table[day - this.firstDay] ?? UNCOVERED;
  }

  working(day: DayNumber): boolean {
    const status = this.status(day);
    return status === UNCOVERED ? isWeekday(day) : status === WORKING;
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.working(dayNumberOf(date));
  }

  covers(date: LocalDate): boolean {
    return this.status(dayNumberOf(date)) !== UNCOVERED;
  }

  dueDate(acceptedOn: LocalDate, days: number, suspensions: readonly Suspension[] = []): Deadline {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`days should be a whole number ≥ 0, got ${days}`);
    const accepted = dayNumberOf(acceptedOn, 'acceptedOn');
    const pauses = pausesOf(accepted, suspensions);
    if (days === 0) return { dueDate: acceptedOn, provisional: false };
    let counted = 0;
    let provisional = false;
    for (let day = accepted + 1; ; day++) {
      const pause = pauseAt(pauses, day);
      if (pause !== undefined) {
        if (pause.through === Infinity) return { dueDate: undefined, provisional: false, suspendedSince: pause.from };
        day = pause.through;
        continue;
      }
      const status = this.status(day);
      if (status === UNCOVERED) provisional = true;
      if (status === WORKING || (status === UNCOVERED && isWeekday(day))) {
        counted++;
        if (counted === days) return { dueDate: formatDayNumber(day), provisional };
      }
    }
  }

  workingDaysUsed(acceptedOn: LocalDate, on: LocalDate, suspensions: readonly Suspension[] = []): WorkingDaysUsed {
    const accepted = dayNumberOf(acceptedOn, 'acceptedOn');
    const end = dayNumberOf(on, 'on');
    const pauses = pausesOf(accepted, suspensions);
    let counted = 0;
    let provisional = false;
    for (let day = accepted + 1; day <= end; day++) {
      const pause = pauseAt(pauses, day);
      if (pause !== undefined) {
        if (pause.through >= end) {
          return pause.through === Infinity
            ? { days: counted, provisional, suspendedSince: pause.from }
            : { days: counted, provisional };
        }
        day = pause.through;
        continue;
      }
      const status = this.status(day);
      if (status === UNCOVERED) provisional = true;
      if (status === WORKING || (status === UNCOVERED && isWeekday(day))) counted++;
    }
    return { days: counted, provisional };
  }

  addWorkingDays(date: LocalDate, n: number): ShiftedDate {
    if (!Number.isInteger(n)) throw new RangeError(`n should be a whole number, got ${n}`);
    let day = dayNumberOf(date);
    const step = n < 0 ? -1 : 1;
    let provisional = false;
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      const status = this.status(day);
      if (status === UNCOVERED) provisional = true;
      if (status === WORKING || (status === UNCOVERED && isWeekday(day))) left--;
    }
    return { date: n === 0 ? date : formatDayNumber(day), provisional };
  }
}

function pausesOf(accepted: DayNumber, suspensions: readonly Suspension[]): Pause[] {
  return suspensions.map((suspension, index) => {
    const what = `suspensions[${index}]`;
    const from = dayNumberOf(suspension.from, `${what}.from`);
    if (from < accepted) throw new RangeError(`${what} starts on ${suspension.from}, before the case was accepted`);
    if (suspension.resumedOn === undefined) return { after: from, through: Infinity, from: suspension.from };
    const through = dayNumberOf(suspension.resumedOn, `${what}.resumedOn`);
    if (through < from) throw new RangeError(`${what} resumes on ${suspension.resumedOn}, before it started on ${suspension.from}`);
    return { after: from, through, from: suspension.from };
  });
}

/** The pause covering `day` that reaches furthest, so overlapping pauses are skipped in one step. */
function pauseAt(pauses: readonly Pause[], day: DayNumber): Pause | undefined {
  let found: Pause | undefined;
  for (const pause of pauses) {
    if (day > pause.after && day <= pause.through && (found === undefined || pause.through > found.through)) found = pause;
  }
  return found;
}

/** A calendar without data: Monday to Friday work, every answer provisional. */
export function weekdayCalendar(): WorkingCalendar {
  return new TableCalendar([], isWeekday);
}

/**
 * `base` with the days of `overrides` changed and its years added to the
 * horizon. Overrides are validated as a calendar file would be.
 */
export function withOverrides(base: WorkingCalendar, overrides: CalendarOverrides, source = 'calendar overrides'): WorkingCalendar {
  const { checked } = validateOverrides(overrides, source);
  const years = new Set([...base.years, ...checked.years]);
  const baseWorking =
    base instanceof TableCalendar ? (day: DayNumber) => base.working(day) : (day: DayNumber) => base.isWorkingDay(formatDayNumber(day));
  return new TableCalendar([...years], (day) => checked.days.get(day) ?? baseWorking(day));
}
