import { shanghaiDate } from '@hub/calendar';
import { compareKeys } from '../cases/queries.ts';
import type { FigureQuery } from '../http/schemas.ts';
import { groupKey, selection, type SelectionColumns } from '../http/selection.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { coApprovalFigures, emptyTaskTally, slowest, type CoApprovalFigures, type TaskTally } from './figures.ts';

/** Tasks are selected by their case: its day, item, centre and division; `department` is the co-approving department. */
export const taskColumns: SelectionColumns = {
  day: 'day',
  item: 'itemCode',
  itemName: 'itemName',
  department: 'department',
  centre: 'centreId',
  division: (level) => level,
  divisionLevel: 'divisionLevel',
};

export type CoApprovalRow = Record<string, string | number | null> & CoApprovalFigures & { slowestDepartment: string | null; slowestMedianWorkingDays: number | null };

/** The co-approval figures of the selection, one row per group, each with its slowest department. `asOf`: the day an open task is overdue against. */
export async function coApprovalRows(store: AnalyticsStore, query: FigureQuery, today: Date): Promise<{ keys: string[]; rows: CoApprovalRow[] }> {
  const { where, params } = selection(query, taskColumns);
  const key = groupKey(query.groupBy, query, taskColumns);
  const asOf = query.to ?? shanghaiDate(today);
  const open = `status IN ('open', 'awaiting-supplement')`;
  // Named apart from the grouping's own `department` column (groupBy=department).
  const parts = await store.query<Record<string, string | number | null>>(
    `SELECT ${[...key.expressions, 'department AS coApprover', 'workingDays'].join(', ')},
      count() AS tasks,
      countIf(status = 'cancelled') AS cancelled,
      countIf(${open}) AS open,
      countIf(dueDate IS NOT NULL AND ((answeredOn IS NOT NULL AND answeredOn > dueDate) OR (${open} AND {asOf:Date} > dueDate))) AS overdue
    FROM (SELECT * FROM (SELECT * FROM ${store.table('coapproval_tasks')} FINAL) AS f ${where}) AS t
    GROUP BY ${[...key.groupBy, 'coApprover', 'workingDays'].join(', ')}`,
    { ...params, asOf },
  );
  const groups = new Map<string, { keys: Record<string, string>; tally: TaskTally; byDepartment: Map<string, TaskTally> }>();
  const add = (tally: TaskTally, part: Record<string, string | number | null>) => {
    tally.tasks += Number(part.tasks);
    tally.cancelled += Number(part.cancelled);
    tally.open += Number(part.open);
    tally.overdue += Number(part.overdue);
    if (part.workingDays !== null) {
      const days = Number(part.workingDays);
      // Only answered tasks have working days; each of them is one of `tasks`.
      tally.days.set(days, (tally.days.get(days) ?? 0) + Number(part.tasks));
    }
  };
  for (const part of parts) {
    const keys = Object.fromEntries(key.names.map((name) => [name, String(part[name] ?? '')]));
    const id = key.groupBy.map((name) => keys[name]).join('\u0000');
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { keys, tally: emptyTaskTally(), byDepartment: new Map() }));
    add(group.tally, part);
    const department = String(part.coApprover);
    let own = group.byDepartment.get(department);
    if (!own) group.byDepartment.set(department, (own = emptyTaskTally()));
    add(own, part);
  }
  if (groups.size === 0 && key.names.length === 0) groups.set('', { keys: {}, tally: emptyTaskTally(), byDepartment: new Map() });
  const rows = [...groups.values()]
    .sort((a, b) => compareKeys(key.groupBy.map((n) => a.keys[n]!), key.groupBy.map((n) => b.keys[n]!)))
    .map(({ keys, tally, byDepartment }) => {
      const worst = slowest(new Map([...byDepartment].map(([d, t]) => [d, coApprovalFigures(t)])));
      return { ...keys, ...coApprovalFigures(tally), slowestDepartment: worst?.department ?? null, slowestMedianWorkingDays: worst?.medianWorkingDays ?? null } as CoApprovalRow;
    });
  return { keys: key.names, rows };
}
