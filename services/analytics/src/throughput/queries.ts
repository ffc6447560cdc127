import { Type, type Static } from '@sinclair/typebox';
import { errors } from '../errors.ts';
import { filterProperties } from '../http/schemas.ts';
import { selection } from '../http/selection.ts';
import type { AnalyticsStore } from '../store/store.ts';

export const throughputGroupings = ['second', 'minute', 'day', 'month'] as const;

export const ThroughputQuery = Type.Object({
  ...filterProperties,
  seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'Without from and to: the live window, the last so many seconds (60 by default)' })),
  groupBy: Type.Optional(Type.Union(throughputGroupings.map((g) => Type.Literal(g)), { description: 'A row per topic and second, minute, day or month; one row per topic without it' })),
}, { additionalProperties: false });
export type ThroughputQuery = Static<typeof ThroughputQuery>;

export interface ThroughputRow {
  topic: string;
  at?: string;
  events: number;
  eventsPerSecond: number;
}

const bucket: Record<(typeof throughputGroupings)[number], { expression: string; seconds: number | undefined }> = {
  second: { expression: `formatDateTime(toStartOfSecond(loggedAt), '%Y-%m-%dT%H:%i:%SZ', 'UTC')`, seconds: 1 },
  minute: { expression: `formatDateTime(toStartOfMinute(loggedAt), '%Y-%m-%dT%H:%i:00Z', 'UTC')`, seconds: 60 },
  day: { expression: `toString(toDate(loggedAt, 'Asia/Shanghai'))`, seconds: 86_400 },
  month: { expression: `formatDateTime(loggedAt, '%Y-%m', 'Asia/Shanghai')`, seconds: undefined },
};

/**
 * Events per second on each topic, by when the hub wrote them (the records'
 * Kafka timestamps): live, over the last `seconds`, or over the days of a
 * period (Asia/Shanghai); an event counts once however often it was
 * projected: each record (topic, partition, offset) once, from the events
 * table for seconds, minutes and the live window, from the rollup by topic
 * and day (`events_by_day`, a bitmap of the records) over days and
 * months. `department` selects its own topics (records.<dept>.*,
 * deliveries.<dept>).
 */
export async function throughputRows(store: AnalyticsStore, query: ThroughputQuery, now: Date): Promise<{ keys: string[]; rows: ThroughputRow[] }> {
  for (const filter of ['item', 'centre', 'division'] as const) if (query[filter] !== undefined) throw new errors.BAD_FILTER(filter, 'throughput is counted by topic, which has none');
  const live = query.from === undefined && query.to === undefined;
  const rollup = !live && (query.groupBy === undefined || query.groupBy === 'day' || query.groupBy === 'month');
  const { where, params } = selection({ ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) }, { day: rollup ? 'day' : `toDate(loggedAt, 'Asia/Shanghai')` });
  const conditions = where === '' ? [] : [where.slice('WHERE '.length)];
  const windowSeconds = query.seconds ?? 60;
  if (live) {
    conditions.push('loggedAt > {since:DateTime64(3)}', 'loggedAt <= {until:DateTime64(3)}');
    params.since = (now.getTime() - windowSeconds * 1000) / 1000;
    params.until = now.getTime() / 1000;
  }
  if (query.department !== undefined) {
    conditions.push(`(startsWith(topic, concat('records.', {department:String}, '.')) OR topic = concat('deliveries.', {department:String}))`);
    params.department = query.department;
  }
  const by = query.groupBy === undefined ? undefined : bucket[query.groupBy];
  // Over days and months the rollup by topic and day answers (each record once, as below); seconds, minutes and the live window read the events.
  const dayBucket = query.groupBy === 'day' ? 'toString(day)' : query.groupBy === 'month' ? `formatDateTime(day, '%Y-%m')` : undefined;
  const rows = await store.query<{ topic: string; at?: string; events: number; first: string; last: string }>(
    rollup
      ? `SELECT topic, ${dayBucket ? `${dayBucket} AS at,` : ''} groupBitmapMerge(records) AS events, min(first) AS first, max(last) AS last
    FROM ${store.table('events_by_day')}
    ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
    GROUP BY topic${dayBucket ? ', at' : ''}
    ORDER BY topic${dayBucket ? ', at' : ''}`
      : `SELECT topic, ${by ? `${by.expression} AS at,` : ''} uniqExact(partition, offset) AS events, min(loggedAt) AS first, max(loggedAt) AS last
    FROM ${store.table('events')}
    ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
    GROUP BY topic${by ? ', at' : ''}
    ORDER BY topic${by ? ', at' : ''}`,
    params,
  );
  const spanOf = (row: { at?: string; first: string; last: string }): number => {
    if (by?.seconds !== undefined) return by.seconds;
    if (by) {
      // A month: its days.
      const [year, month] = row.at!.split('-').map(Number);
      return new Date(Date.UTC(year!, month!, 0)).getUTCDate() * 86_400;
    }
    if (live) return windowSeconds;
    const days = (Date.parse(`${query.to ?? row.last.slice(0, 10)}T00:00:00Z`) - Date.parse(`${query.from ?? row.first.slice(0, 10)}T00:00:00Z`)) / 86_400_000 + 1;
    return Math.max(1, days) * 86_400;
  };
  return {
    keys: ['topic', ...(by ? ['at'] : [])],
    rows: rows.map((row) => ({ topic: row.topic, ...(by ? { at: String(row.at) } : {}), events: Number(row.events), eventsPerSecond: Math.round((Number(row.events) / spanOf(row)) * 1000) / 1000 })),
  };
}
