import type { Random } from './random.ts';

const MS_PER_DAY = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/** The Beijing calendar day of an instant, 'YYYY-MM-DD'. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addYears(isoDate: string, years: number): string {
  const year = Number(isoDate.slice(0, 4)) + years;
  const rest = isoDate.slice(4) === '-02-29' ? '-02-28' : isoDate.slice(4);
  return `${String(year).padStart(4, '0')}${rest}`;
}

/** A day in [from, to], both 'YYYY-MM-DD'. */
export function dayBetween(random: Random, from: string, to: string): string {
  const start = Date.parse(`${from}T00:00:00Z`);
  const span = Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - start) / MS_PER_DAY));
  return new Date(start + Math.floor(random() * (span + 1)) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** yyyyMMdd */
export function compact(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** An update time (更新时间) as the systems write it, yyyyMMddHHmmss Beijing time, within `days` before `now`. */
export function recentUpdateTime(random: Random, now: Date, days = 30): string {
  const at = new Date(now.getTime() - Math.floor(random() * days * MS_PER_DAY) + BEIJING_MS);
  return at.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** A date written the way one of the department systems writes it: yyyyMMdd mostly, yyyy-MM-dd sometimes. */
export function writtenDate(random: Random, isoDate: string): string {
  return random() < 0.75 ? compact(isoDate) : isoDate;
}
