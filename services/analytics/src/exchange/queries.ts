import { compareKeys } from '../cases/queries.ts';
import { errors } from '../errors.ts';
import type { FigureQuery } from '../http/schemas.ts';
import { groupKey, selection, type SelectionColumns } from '../http/selection.ts';
import type { AnalyticsStore } from '../store/store.ts';

/** Exchanges are selected by their own day and by a department on either side; they have no item, centre or division. */
export const exchangeColumns: SelectionColumns = {
  day: 'day',
  departmentCondition: '(provider = {department:String} OR requester = {department:String})',
};

/**
 * The interconnection matrix (互联互通): from the department that owns the
 * resource to the department that received or asked for it, by resource —
 * exchanges, bytes (request and answer), latency (request in to answer out,
 * exact 50th and 95th percentiles), failures, refusals — and whether it is
 * horizontal (between departments) or vertical (one department across
 * levels: with one hub, a department receiving its own resource).
 */
export interface ExchangeFigures {
  exchanges: number;
  bytes: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  failures: number;
  refusals: number;
}

const latencyAt = (latency: unknown, index: number): number | null => {
  const value = Array.isArray(latency) ? (latency[index] as unknown) : undefined;
  return value === null || value === undefined ? null : Number(value);
};

export async function exchangeRows(store: AnalyticsStore, query: FigureQuery) {
  if (query.groupBy === 'item' || query.groupBy === 'division' || query.groupBy === 'level') throw new errors.BAD_FILTER('groupBy', `the exchange matrix cannot be grouped by ${query.groupBy}`);
  const { where, params } = selection(query, exchangeColumns);
  // The matrix's cells are always from × to; by resource too unless grouped by department (then a cell sums its resources).
  const period = query.groupBy === 'day' || query.groupBy === 'month' ? groupKey(query.groupBy, query, exchangeColumns) : { expressions: [], names: [], groupBy: [] };
  const cell = ['provider AS fromDepartment', 'requester AS toDepartment', ...(query.groupBy === 'department' ? [] : ['resourceCode AS resource'])];
  const cellNames = ['fromDepartment', 'toDepartment', ...(query.groupBy === 'department' ? [] : ['resource'])];
  const names = [...period.names, ...cellNames];
  const rows = await store.query<Record<string, string | number | null | number[]>>(
    `SELECT ${[...period.expressions, ...cell,
      `if(provider = requester, 'vertical', 'horizontal') AS direction`,
      'count() AS exchanges',
      'toUInt64(sum(requestSize) + sum(responseSize)) AS bytes',
      // Both percentiles from one sorted copy of the group's latencies (quantileExact twice sorts it twice).
      'quantilesExact(0.5, 0.95)(latencyMs) AS latency',
      'countIf(succeeded = 0) AS failures',
      `countIf(kind = 'REFUSAL') AS refusals`].join(', ')}
    FROM (SELECT * FROM (SELECT * FROM ${store.table('exchanges')} FINAL) AS f ${where}) AS x
    GROUP BY ${[...period.groupBy, ...cellNames, 'direction'].join(', ')}`,
    params,
  );
  const shaped = rows.map((row) => ({
    ...Object.fromEntries(names.map((name) => [name, String(row[name] ?? '')])),
    direction: String(row.direction),
    exchanges: Number(row.exchanges), bytes: Number(row.bytes),
    latencyP50Ms: latencyAt(row.latency, 0),
    latencyP95Ms: latencyAt(row.latency, 1),
    failures: Number(row.failures), refusals: Number(row.refusals),
  }));
  shaped.sort((a, b) => compareKeys(names.map((n) => (a as Record<string, unknown>)[n] as string), names.map((n) => (b as Record<string, unknown>)[n] as string)));
  return { keys: [...names, 'direction'], rows: shaped };
}
