import type { FigureQuery } from '../http/schemas.ts';
import { selection } from '../http/selection.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { alertColumns } from './queries.ts';

/** Alert levels from the mildest: a warning (预警/黄牌), overdue (超时/红牌), the legal limit passed (超法定时限). */
export const alertLevels = ['WARNING', 'OVERDUE', 'LEGAL_LIMIT_BREACHED'] as const;
export type AlertLevel = (typeof alertLevels)[number];

export interface AlertedCasesQuery extends Omit<FigureQuery, 'groupBy'> {
  /** Only the cases alerted at this level or worse. */
  level?: AlertLevel;
  limit?: number;
}

/** One case that supervision flagged in the period: its worst and latest alert, and where it stands now. */
export interface AlertedCase {
  caseId: string;
  itemCode: string;
  itemName: string;
  centreId: string;
  divisionCode: string;
  status: string;
  worstLevel: AlertLevel;
  lastLevel: AlertLevel;
  responsibleDepartment: string;
  alerts: number;
  warnings: number;
  overdue: number;
  legalLimitBreaches: number;
  deadline: string;
  workingDaysRemaining: number;
  firstAlertAt: string;
  lastAlertAt: string;
}

/**
 * The warned and overdue cases (预警、超时办件) of the period, worst first and
 * then the most recently alerted, for the supervision list and its
 * drill-down; `total` is how many cases match before the limit. Data
 * requests (alerts without a case) are counted by the supervision figure,
 * not listed here.
 */
export async function alertedCases(store: AnalyticsStore, query: AlertedCasesQuery): Promise<{ total: number; rows: AlertedCase[] }> {
  const { level, limit = 50, ...filters } = query;
  const { where, params } = selection(filters, alertColumns);
  const severity = `multiIf(alertLevel = 'LEGAL_LIMIT_BREACHED', 3, alertLevel = 'OVERDUE', 2, 1)`;
  const rows = await store.query<Record<string, string | number>>(
    // Output names differ from the source's columns: ClickHouse would read an alias in WHERE as the aggregate.
    `SELECT caseId,
      any(itemCode) AS anyItemCode, any(itemName) AS anyItemName, any(centreId) AS anyCentreId, any(divisionCode) AS anyDivisionCode, any(status) AS anyStatus,
      max(${severity}) AS worst,
      argMax(alertLevel, (occurredAt, eventId)) AS lastLevel,
      argMax(responsibleDepartment, (occurredAt, eventId)) AS lastResponsible,
      count() AS alertCount,
      countIf(alertLevel = 'WARNING') AS warningCount,
      countIf(alertLevel = 'OVERDUE') AS overdueCount,
      countIf(alertLevel = 'LEGAL_LIMIT_BREACHED') AS legalCount,
      toString(argMax(deadline, (occurredAt, eventId))) AS lastDeadline,
      argMax(workingDaysRemaining, (occurredAt, eventId)) AS lastRemaining,
      min(occurredAt) AS firstAlertAt,
      max(occurredAt) AS lastAlertAt,
      count() OVER () AS total
    FROM (
      SELECT a.eventId AS eventId, a.occurredAt AS occurredAt, a.day AS day, a.level AS alertLevel, assumeNotNull(a.caseId) AS caseId, a.responsibleDepartment AS responsibleDepartment,
        a.deadline AS deadline, a.workingDaysRemaining AS workingDaysRemaining,
        k.itemCode AS itemCode, k.itemName AS itemName, k.centreId AS centreId, k.divisionCode AS divisionCode, k.status AS status,
        k.province AS province, k.city AS city, k.county AS county, k.town AS town, k.village AS village, k.divisionLevel AS divisionLevel
      FROM (SELECT * FROM ${store.table('alerts')} FINAL WHERE caseId IS NOT NULL) AS a
      LEFT JOIN (SELECT caseId, itemCode, itemName, centreId, divisionCode, status, province, city, county, town, village, divisionLevel FROM ${store.table('cases')} FINAL) AS k ON assumeNotNull(a.caseId) = k.caseId
    ) AS s
    ${where}
    GROUP BY caseId
    ${level === undefined ? '' : 'HAVING worst >= {minimum:UInt8}'}
    ORDER BY worst DESC, lastAlertAt DESC, caseId
    LIMIT {limit:UInt32}`,
    { ...params, limit, ...(level === undefined ? {} : { minimum: alertLevels.indexOf(level) + 1 }) },
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows.map((row) => ({
      caseId: String(row.caseId),
      itemCode: String(row.anyItemCode),
      itemName: String(row.anyItemName),
      centreId: String(row.anyCentreId),
      divisionCode: String(row.anyDivisionCode),
      status: String(row.anyStatus),
      worstLevel: alertLevels[Number(row.worst) - 1] ?? 'WARNING',
      lastLevel: alertLevels.find((l) => l === row.lastLevel) ?? 'WARNING',
      responsibleDepartment: String(row.lastResponsible),
      alerts: Number(row.alertCount),
      warnings: Number(row.warningCount),
      overdue: Number(row.overdueCount),
      legalLimitBreaches: Number(row.legalCount),
      deadline: String(row.lastDeadline),
      workingDaysRemaining: Number(row.lastRemaining),
      firstAlertAt: String(row.firstAlertAt),
      lastAlertAt: String(row.lastAlertAt),
    })),
  };
}
