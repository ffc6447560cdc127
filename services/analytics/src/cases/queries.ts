import type { AnalyticsStore } from '../store/store.ts';
import type { FigureQuery } from '../http/schemas.ts';
import { groupKey, selection, type SelectionColumns } from '../http/selection.ts';
import { addToTally, caseFigures, emptyTally, type CaseFigures, type CaseTally } from './figures.ts';

/** The columns of `caseSource` that answer the filters and groupings. */
export const caseColumns: SelectionColumns = {
  day: 'day',
  item: 'itemCode',
  itemName: 'itemName',
  department: 'lead',
  centre: 'centreId',
  division: (level) => level,
  divisionLevel: 'divisionLevel',
};

/**
 * Every case as it stands (the latest version of its facts), its lead
 * department taken from the item table while neither an acceptance nor a
 * refusal has named it.
 */
export function caseSource(store: AnalyticsStore, query?: Pick<FigureQuery, 'department' | 'groupBy'>): string {
  // Only a figure by lead department needs the item table (the lead of a case not yet accepted); the others count the cases alone.
  if (query && query.department === undefined && query.groupBy !== 'department') return `(SELECT * FROM ${store.table('cases')} FINAL)`;
  return `(
    SELECT *, if(leadDepartment = '', leadOfItem, leadDepartment) AS lead
    FROM (SELECT * FROM ${store.table('cases')} FINAL) AS c
    LEFT JOIN (SELECT itemCode, argMax(leadDepartment, version) AS leadOfItem FROM ${store.table('items')} GROUP BY itemCode) AS i USING (itemCode)
  )`;
}

export type CaseFigureRow = Record<string, string> & CaseFigures;

/**
 * The case figures of the selection, one row per group: ClickHouse tallies
 * (integers only) by group and legal days, and the figures are made of the
 * tallies by `caseFigures`, so that they are the same definitions the unit
 * tests hold to.
 */
export async function caseFigureRows(store: AnalyticsStore, query: FigureQuery): Promise<{ keys: string[]; rows: CaseFigureRow[] }> {
  const { where, params } = selection(query, caseColumns);
  const key = groupKey(query.groupBy, query, caseColumns);
  const parts = await store.query<Record<string, string | number | null>>(
    `SELECT ${[...key.expressions, 'legalDays'].join(', ')},
      count() AS submitted,
      countIf(acceptedOn IS NOT NULL) AS accepted,
      toUInt64(sum(refusedAtIntake)) AS refusedAtIntake,
      countIf(decidedOn IS NOT NULL) AS completed,
      countIf(onTime = 1) AS onTime,
      countIf(sameDay = 1) AS sameDay,
      countIf(grade IS NOT NULL) AS reviews,
      countIf(grade >= 3) AS satisfied,
      toInt64(ifNull(sumIf(toInt64(legalDays) - toInt64(workingDaysUsed), decidedOn IS NOT NULL), 0)) AS handlingNumerator,
      toInt64(ifNull(sumIf(toInt64(legalDays) - toInt64(promisedDays), acceptedOn IS NOT NULL), 0)) AS promisedNumerator
    FROM (SELECT * FROM ${caseSource(store, query)} AS s ${where}) AS k
    GROUP BY ${[...key.groupBy, 'legalDays'].join(', ')}`,
    params,
  );
  const groups = new Map<string, { keys: Record<string, string>; tally: CaseTally }>();
  for (const part of parts) {
    const keys = Object.fromEntries(key.names.map((name) => [name, String(part[name] ?? '')]));
    const id = key.groupBy.map((name) => keys[name]).join('\u0000');
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { keys, tally: emptyTally() }));
    addToTally(group.tally, {
      submitted: Number(part.submitted),
      accepted: Number(part.accepted),
      refusedAtIntake: Number(part.refusedAtIntake),
      completed: Number(part.completed),
      onTime: Number(part.onTime),
      sameDay: Number(part.sameDay),
      reviews: Number(part.reviews),
      satisfied: Number(part.satisfied),
      legalDays: part.legalDays === null ? null : Number(part.legalDays),
      handlingNumerator: Number(part.handlingNumerator),
      promisedNumerator: Number(part.promisedNumerator),
    });
  }
  if (groups.size === 0 && key.names.length === 0) groups.set('', { keys: {}, tally: emptyTally() });
  const rows = [...groups.values()]
    .sort((a, b) => compareKeys(key.groupBy.map((n) => a.keys[n]!), key.groupBy.map((n) => b.keys[n]!)))
    .map(({ keys, tally }) => ({ ...keys, ...caseFigures(tally) }) as CaseFigureRow);
  return { keys: key.names, rows };
}

export function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

export interface CaseEventView {
  eventId: string;
  version: number;
  type: string;
  occurredAt: string;
  source: string;
  data: unknown;
}

/** The projected events of one case in order, and the supervision alerts raised on it. */
export async function caseEvents(store: AnalyticsStore, caseId: string) {
  const events = await store.query<{ eventId: string; version: number; type: string; occurredAt: string; source: string; data: string }>(
    `SELECT eventId, version, type, occurredAt, source, data FROM ${store.table('case_events')} FINAL WHERE caseId = {caseId:String} ORDER BY version`,
    { caseId },
  );
  const alerts = await store.query<{ eventId: string; occurredAt: string; level: string; responsibleDepartment: string; deadline: string; limitDays: number; workingDaysUsed: number; workingDaysRemaining: number }>(
    `SELECT eventId, occurredAt, level, responsibleDepartment, toString(deadline) AS deadline, limitDays, workingDaysUsed, workingDaysRemaining FROM ${store.table('alerts')} FINAL WHERE caseId = {caseId:String} ORDER BY occurredAt, eventId`,
    { caseId },
  );
  const [facts] = await store.query<Record<string, unknown>>(
    `SELECT caseId, itemCode, itemName, centreId, divisionCode, lead AS leadDepartment, status, submittedAt, toString(day) AS day, acceptedOn, promisedDueDate, legalDueDate, decidedOn, workingDaysUsed, onTime, grade, suspendedSince
     FROM ${caseSource(store)} AS k WHERE caseId = {caseId:String}`,
    { caseId },
  );
  return {
    facts,
    events: events.map((e): CaseEventView => ({ eventId: e.eventId, version: Number(e.version), type: e.type, occurredAt: e.occurredAt, source: e.source, data: JSON.parse(e.data) as unknown })),
    alerts,
  };
}
