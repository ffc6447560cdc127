import { compareKeys } from '../cases/queries.ts';
import type { FigureQuery } from '../http/schemas.ts';
import { groupKey, selection, type SelectionColumns } from '../http/selection.ts';
import type { AnalyticsStore } from '../store/store.ts';

/** Alerts are selected by their own day; item, centre and division are their case's (an alert on a data request has none). */
export const alertColumns: SelectionColumns = {
  day: 'day',
  item: 'itemCode',
  itemName: 'itemName',
  department: 'responsibleDepartment',
  centre: 'centreId',
  division: (level) => level,
  divisionLevel: 'divisionLevel',
};

/**
 * Electronic supervision (电子监察): alerts raised, by level — warnings
 * (预警/黄牌, the deadline near), overdue (超时/红牌, the promised limit passed),
 * legal-limit breaches (超法定时限) — and the cases and data requests they
 * were raised on; `department` is the responsible department (责任部门).
 */
export interface SupervisionFigures {
  alerts: number;
  warnings: number;
  overdue: number;
  legalLimitBreaches: number;
  cases: number;
  requests: number;
}

export async function supervisionRows(store: AnalyticsStore, query: FigureQuery): Promise<{ keys: string[]; rows: Array<Record<string, string> & SupervisionFigures> }> {
  const { where, params } = selection(query, alertColumns);
  const key = groupKey(query.groupBy, query, alertColumns);
  // The alerted case's item, centre and division only when a filter or the grouping asks for them: the join costs more than the alerts.
  const needsCase = query.item !== undefined || query.centre !== undefined || query.division !== undefined || (query.groupBy !== undefined && query.groupBy !== 'department' && query.groupBy !== 'day' && query.groupBy !== 'month');
  const source = !needsCase
    ? `(SELECT eventId, day, level AS alertLevel, caseId, requestId, responsibleDepartment FROM ${store.table('alerts')} FINAL)`
    : `(
    SELECT a.eventId AS eventId, a.day AS day, a.level AS alertLevel, a.caseId AS caseId, a.requestId AS requestId, a.responsibleDepartment AS responsibleDepartment,
      k.itemCode AS itemCode, k.itemName AS itemName, k.centreId AS centreId, k.province AS province, k.city AS city, k.county AS county, k.town AS town, k.village AS village, k.divisionLevel AS divisionLevel
    FROM (SELECT * FROM ${store.table('alerts')} FINAL) AS a
    LEFT JOIN (SELECT caseId, itemCode, itemName, centreId, province, city, county, town, village, divisionLevel FROM ${store.table('cases')} FINAL) AS k ON a.caseId = k.caseId
  )`;
  const rows = await store.query<Record<string, string | number>>(
    `SELECT ${[...key.expressions,
      'count() AS alerts',
      `countIf(alertLevel = 'WARNING') AS warnings`,
      `countIf(alertLevel = 'OVERDUE') AS overdue`,
      `countIf(alertLevel = 'LEGAL_LIMIT_BREACHED') AS legalLimitBreaches`,
      'uniqExactIf(caseId, caseId IS NOT NULL) AS cases',
      'uniqExactIf(requestId, requestId IS NOT NULL) AS requests'].join(', ')}
    FROM (SELECT * FROM ${source} AS f ${where}) AS s
    ${key.groupBy.length > 0 ? `GROUP BY ${key.groupBy.join(', ')}` : ''}`,
    params,
  );
  const shaped = rows.map((row) => ({
    ...Object.fromEntries(key.names.map((name) => [name, String(row[name] ?? '')])),
    alerts: Number(row.alerts), warnings: Number(row.warnings), overdue: Number(row.overdue), legalLimitBreaches: Number(row.legalLimitBreaches), cases: Number(row.cases), requests: Number(row.requests),
  }));
  shaped.sort((a, b) => compareKeys(key.groupBy.map((n) => (a as Record<string, unknown>)[n] as string), key.groupBy.map((n) => (b as Record<string, unknown>)[n] as string)));
  return { keys: key.names, rows: shaped as Array<Record<string, string> & SupervisionFigures> };
}
