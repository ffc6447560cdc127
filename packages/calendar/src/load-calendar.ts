import { readFileSync } from 'node:fs';
import { CalendarFileError, type CalendarOverrides, parseCalendarOverrides } from './calendar-overrides.ts';
import { officialCalendar } from './official-calendar.ts';
import { type WorkingCalendar, withOverrides } from './working-calendar.ts';

/** Reads and validates a calendar file; throws CalendarFileError naming the file and each bad entry. */
export function readCalendarOverrides(file: string): CalendarOverrides {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CalendarFileError(file, [{ entry: '(file)', reason: `cannot be read: ${(error as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CalendarFileError(file, [{ entry: '(file)', reason: `is not JSON: ${(error as Error).message}` }]);
  }
  return parseCalendarOverrides(json, file);
}

/**
 * The calendar a service runs with: the official one, with the region's file
 * (the service passes HUB_CALENDAR_FILE) on top when one is given. Reads the
 * file synchronously, once, at start-up.
 */
export function loadCalendar(options: { readonly file?: string | undefined } = {}): WorkingCalendar {
  if (options.file === undefined || options.file === '') return officialCalendar();
  return withOverrides(officialCalendar(), readCalendarOverrides(options.file), options.file);
}
