import { Type, type Static } from '@sinclair/typebox';
import { type ValueError, Value, ValueErrorType } from '@sinclair/typebox/value';
import { type DayNumber, type LocalDate, tryDayNumber, yearOf } from './local-date.ts';

/**
 * The calendar file (HUB_CALENDAR_FILE, and the shipped official table): the
 * years it speaks for, and the days in those years that differ from the
 * calendar underneath. A declared year that the calendar underneath has no
 * data for starts from Monday-to-Friday and joins the horizon.
 */
export const CalendarFileSchema = Type.Object(
  {
    years: Type.Array(Type.Integer({ minimum: 1900, maximum: 2100 }), {
      minItems: 1,
      description: 'Years this file speaks for; every date below must fall in one of them.',
    }),
    holidays: Type.Optional(Type.Array(Type.String(), { description: 'Days off (放假), YYYY-MM-DD.' })),
    workdays: Type.Optional(
      Type.Array(Type.String(), { description: 'Working days, usually weekend make-up days (调休上班), YYYY-MM-DD.' }),
    ),
    notes: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Free text: sources, who decided.' })),
  },
  { additionalProperties: false },
);

export type CalendarOverrides = Static<typeof CalendarFileSchema>;

export interface CalendarFileIssue {
  /** Where in the file: 'holidays[3]', 'years', '(file)'. */
  readonly entry: string;
  readonly reason: string;
}

export class CalendarFileError extends Error {
  override name = 'CalendarFileError';
  constructor(
    /** The file's path, or a label for overrides that came from code. */
    readonly source: string,
    readonly issues: readonly CalendarFileIssue[],
  ) {
    super(`${source}: invalid calendar file:\n${issues.map((i) => `  - ${i.entry}: ${i.reason}`).join('\n')}`);
  }
}

/** Overrides after validation, as day numbers; internal to the package. */
export interface CheckedOverrides {
  readonly years: ReadonlySet<number>;
  /** Day number → working (true) or day off (false). */
  readonly days: ReadonlyMap<DayNumber, boolean>;
}

/**
 * Validates a parsed calendar file. Throws CalendarFileError listing every bad
 * entry: shape errors, a date that is not real, a date outside the declared
 * years, a date listed twice, or one listed both as holiday and workday.
 */
export function parseCalendarOverrides(json: unknown, source = 'calendar overrides'): CalendarOverrides {
  return validateOverrides(json, source).file;
}

export function validateOverrides(json: unknown, source: string): { file: CalendarOverrides; checked: CheckedOverrides } {
  if (!Value.Check(CalendarFileSchema, json)) {
    // TypeBox may report one entry several times (missing, then not an array): keep the first.
    const issues = new Map<string, CalendarFileIssue>();
    for (const error of Value.Errors(CalendarFileSchema, json)) {
      const entry = entryName(error.path);
      if (!issues.has(entry)) issues.set(entry, { entry, reason: shapeReason(error) });
    }
    throw new CalendarFileError(source, [...issues.values()]);
  }
  const issues: CalendarFileIssue[] = [];
  const years = new Set<number>();
  json.years.forEach((year, index) => {
    if (years.has(year)) issues.push({ entry: `years[${index}]`, reason: `${year} is listed twice` });
    years.add(year);
  });
  const declared = [...years].sort((a, b) => a - b).join(', ');
  const days = new Map<DayNumber, boolean>();
  const firstSeen = new Map<DayNumber, string>();
  const lists = [
    ['holidays', json.holidays ?? [], false],
    ['workdays', json.workdays ?? [], true],
  ] as const;
  for (const [list, dates, working] of lists) {
    dates.forEach((text: LocalDate, index) => {
      const entry = `${list}[${index}]`;
      const day = tryDayNumber(text);
      if (day === undefined) {
        issues.push({ entry, reason: `${JSON.stringify(text)} is not a real date as YYYY-MM-DD` });
        return;
      }
      if (!years.has(yearOf(day))) {
        issues.push({ entry, reason: `${text} is outside the declared years (${declared})` });
        return;
      }
      const earlier = firstSeen.get(day);
      if (earlier !== undefined) {
        const reason = earlier.startsWith(list)
          ? `${text} is listed twice (also ${earlier})`
          : `${text} is both a holiday and a workday (also ${earlier})`;
        issues.push({ entry, reason });
        return;
      }
      firstSeen.set(day, entry);
      days.set(day, working);
    });
  }
  if (issues.length > 0) throw new CalendarFileError(source, issues);
  return { file: json, checked: { years, days } };
}

const FIELDS = Object.keys(CalendarFileSchema.properties).join(', ');

function shapeReason(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return `is not a field of a calendar file (${FIELDS})`;
    case ValueErrorType.Union:
      return `should be a string or a list of strings, got ${JSON.stringify(error.value)}`;
    default:
      return error.path === '' ? `${error.message}: a calendar file is a JSON object` : `${error.message}, got ${JSON.stringify(error.value)}`;
  }
}

// TypeBox paths are JSON pointers: '/holidays/3' reads better as 'holidays[3]'.
function entryName(path: string): string {
  if (path === '') return '(file)';
  return path
    .slice(1)
    .split('/')
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : `${i === 0 ? '' : '.'}${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('');
}
