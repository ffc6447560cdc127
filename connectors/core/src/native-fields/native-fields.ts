import { calendarDateAt } from '@hub/identifiers';
import type { FieldError, MapResult, MappingContext, NativeRecord } from '../mapping.ts';
import { nativeText } from './native-value.ts';
import { type FieldParser, type ParseContext, timestamp } from './parsers.ts';

/** Native column names of one resource with their Chinese meaning, in export order: GMSFHM → 公民身份号码. */
export type NativeColumns = Readonly<Record<string, string>>;

/** A value that was read; `undefined` only when its column had a problem (already recorded). */
type Read<T> = T | undefined;

/** `complete` turns every value's "had a problem" (undefined) away once there are no problems. */
export type Completed<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/**
 * Reads one native record column by column and collects every problem, so that
 * a bad record reports all its bad fields at once and a good one is built only
 * when nothing failed: never a partial record.
 *
 *   const fields = new NativeFields(native, context, columns);
 *   const id = fields.required('GMSFHM', residentId);
 *   …
 *   return fields.complete({ idNumber: id?.number, … });
 */
export class NativeFields {
  readonly #errors: FieldError[] = [];
  readonly #parseContext: ParseContext;

  constructor(
    private readonly native: NativeRecord,
    private readonly context: MappingContext,
    private readonly columns: NativeColumns,
  ) {
    this.#parseContext = { today: calendarDateAt(context.now.getTime()) };
  }

  /** Today in Beijing, 'YYYY-MM-DD'. */
  get today(): string {
    return this.#parseContext.today;
  }

  /** Records a problem of one column (or `(record)`); returns undefined so a read can end with it. */
  problem(column: string, reason: string): undefined {
    this.#errors.push({ field: column, reason });
    return undefined;
  }

  hasProblem(column: string): boolean {
    return this.#errors.some((error) => error.field === column);
  }

  /** A column that must hold a value. */
  required<T>(column: string, parser: FieldParser<T>): Read<T> {
    const raw = nativeText(this.native, column);
    if (raw === undefined) return this.problem(column, `${this.#label(column)} is required but missing`);
    return this.#parse(column, raw, parser);
  }

  /** A column that may be blank: null when blank, undefined when it holds a bad value. */
  optional<T>(column: string, parser: FieldParser<T>): Read<T | null> {
    const raw = nativeText(this.native, column);
    return raw === undefined ? null : this.#parse(column, raw, parser);
  }

  /**
   * When the record changed in the department's system (变更时间): the update-time
   * column when the system writes one, so a re-sent record maps to the same
   * canonical record; otherwise the time of receipt.
   */
  updateTime(column: string): Read<Date> {
    const written = this.optional(column, timestamp);
    return written === null ? this.context.now : written;
  }

  /** The canonical record when no column had a problem, otherwise every problem. */
  complete<T extends object>(values: T): MapResult<Completed<T>> {
    if (this.#errors.length > 0) return { ok: false, errors: [...this.#errors] };
    return { ok: true, record: values as Completed<T> };
  }

  #parse<T>(column: string, raw: string, parser: FieldParser<T>): Read<T> {
    const parsed = parser(raw, this.#parseContext);
    return parsed.ok ? parsed.value : this.problem(column, parsed.reason);
  }

  #label(column: string): string {
    const meaning = this.columns[column];
    return meaning === undefined ? column : `${column} (${meaning})`;
  }
}
