import officialFile from '../data/cn-official.json' with { type: 'json' };
import { type WorkingCalendar, weekdayCalendar, withOverrides } from './working-calendar.ts';

let official: WorkingCalendar | undefined;

/**
 * China's schedule as shipped in data/cn-official.json (State Council notices,
 * through chinese-days): built once, on first use, and shared (it is immutable).
 */
export function officialCalendar(): WorkingCalendar {
  official ??= withOverrides(weekdayCalendar(), officialFile, 'data/cn-official.json');
  return official;
}
