/**
 * The pure part of database polling: the SQL of one page after a watermark,
 * and native values from PostgreSQL's text forms.
 */
import type { Watermark } from '../../ledger/entry.ts';
export interface TableSource {
  /** Table name, optionally schema-qualified (`rk.jbxx`). */
  table: string;
  /** Database column → native column name, e.g. `{ "gmsfhm": "GMSFHM" }`. */
  columns: Record<string, string>;
  /** The record's key column: ties on updated-at are ordered by it. */
  keyColumn: string;
  /** The column the department's system sets on every insert and update. */
  updatedAtColumn: string;
}

export function quoteIdentifier(name: string): string {
  return name.split('.').map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
}

/**
 * `SELECT … WHERE (updated_at, key) > ($1, $2) [AND updated_at <= now() - delay]
 * ORDER BY updated_at, key LIMIT n`. The watermark travels as text in full
 * precision (microseconds); PostgreSQL infers the parameters' types from the
 * columns they are compared with. With a delay, only rows whose updated-at is
 * at least that old (by the database's clock, in the session's time zone) are
 * read, so a transaction that set an older updated-at but committed after a
 * newer row was read is still seen, as Kafka Connect's JDBC source does with
 * `timestamp.delay.interval.ms`.
 */
/**
 * The watermark's key when a page ends on a row whose key is NULL, or longer
 * than `MAX_WATERMARK_KEY_CHARS` (both found by fuzzing: a NULL failed every
 * poll after it, and a key of 900,000 characters made the ledger entry larger
 * than Kafka takes, so did every poll after it). NULLs and long keys are no
 * record's key: such rows are rejected records. The next page starts after
 * that updated-at; other rows of the very same instant beyond the page are
 * passed (NULLs sort last among them).
 */
export const MAX_WATERMARK_KEY_CHARS = 1_024;
export const PAST_INSTANT_KEY = '\u0001past-instant';

export function pageQuery(source: TableSource, page: { after?: Pick<Watermark, 'updatedAt' | 'key'>; delayMs: number; limit: number }): { text: string; values: unknown[] } {
  const updatedAt = quoteIdentifier(source.updatedAtColumn);
  const key = quoteIdentifier(source.keyColumn);
  const columns = Object.keys(source.columns).map((column) => `${quoteIdentifier(column)} AS ${quoteIdentifier(`c:${column}`)}`);
  const select = [...columns, `${updatedAt}::text AS "w:updated_at"`, `${key}::text AS "w:key"`].join(', ');
  const values: unknown[] = [];
  const parameter = (value: unknown): string => `$${values.push(value)}`;
  const conditions: string[] = [];
  if (page.after?.key === PAST_INSTANT_KEY) conditions.push(`${updatedAt} > ${parameter(page.after.updatedAt)}`);
  else if (page.after) conditions.push(`(${updatedAt}, ${key}) > (${parameter(page.after.updatedAt)}, ${parameter(page.after.key)})`);
  if (page.delayMs > 0) conditions.push(`${updatedAt} <= now() - ${parameter(page.delayMs)}::integer * interval '1 millisecond'`);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const text = `SELECT ${select} FROM ${quoteIdentifier(source.table)} ${where} ORDER BY ${updatedAt}, ${key} LIMIT ${parameter(page.limit)}`;
  return { text: text.replace(/\s+/g, ' '), values };
}

/**
 * A PostgreSQL value as a native value. Times arrive as PostgreSQL's text in the
 * session's time zone (the department's, Beijing by default); the offset is
 * dropped and the fraction cut to milliseconds (trailing zeros dropped), giving `yyyy-MM-dd HH:mm:ss[.SSS]`
 * as departmental systems write local times.
 */
export function nativeValue(value: unknown, typeName: 'time' | 'other'): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeName === 'time' && typeof value === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}:\d{2})(?:\.(\d{1,3})\d*)?)?(?:[+-]\d{2}(?::\d{2})?)?$/.exec(value);
    if (!m) return value;
    if (m[2] === undefined) return m[1]!;
    // One text per millisecond value, whatever the microseconds: .120 and .120456 both give .12
    const fraction = (m[3] ?? '').replace(/0+$/, '');
    return `${m[1]} ${m[2]}${fraction ? `.${fraction}` : ''}`;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return JSON.stringify(value);
}
