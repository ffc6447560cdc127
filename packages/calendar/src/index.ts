export { type LocalDate, isLocalDate, shanghaiDate } from './local-date.ts';
export {
  type Deadline,
  type ShiftedDate,
  type Suspension,
  type WorkingCalendar,
  type WorkingDaysUsed,
  weekdayCalendar,
  withOverrides,
} from './working-calendar.ts';
export {
  CalendarFileError,
  type CalendarFileIssue,
  CalendarFileSchema,
  type CalendarOverrides,
  parseCalendarOverrides,
} from './calendar-overrides.ts';
export { officialCalendar } from './official-calendar.ts';
export { loadCalendar, readCalendarOverrides } from './load-calendar.ts';
