/**
 * A co-approving department's tasks (协办), over every task of the selection:
 * tasks, answered (granted or refused: a request for supplementary material
 * is not the answer), cancelled (closed by another department's refusal),
 * open (still open or awaiting the material), overdue (answered after the
 * task's due date, or still open after it on the day the figures are asked
 * for: `to`, or today), and of answered tasks the median working days taken
 * (the mean of the two middle ones for an even count) and the 95th
 * percentile (nearest rank). The slowest department of a group is the one
 * with the highest median, then the highest 95th percentile, then by code.
 */
export interface CoApprovalFigures {
  tasks: number;
  answered: number;
  cancelled: number;
  open: number;
  overdue: number;
  medianWorkingDays: number | null;
  p95WorkingDays: number | null;
}

/** Answered tasks by the working days they took. */
export type DaysHistogram = Map<number, number>;

export interface TaskTally {
  tasks: number;
  cancelled: number;
  open: number;
  overdue: number;
  days: DaysHistogram;
}

export const emptyTaskTally = (): TaskTally => ({ tasks: 0, cancelled: 0, open: 0, overdue: 0, days: new Map() });

export function coApprovalFigures(tally: TaskTally): CoApprovalFigures {
  const answered = [...tally.days.values()].reduce((n, c) => n + c, 0);
  return {
    tasks: tally.tasks,
    answered,
    cancelled: tally.cancelled,
    open: tally.open,
    overdue: tally.overdue,
    medianWorkingDays: answered === 0 ? null : answered % 2 === 1 ? nth(tally.days, (answered - 1) / 2) : (nth(tally.days, answered / 2 - 1) + nth(tally.days, answered / 2)) / 2,
    p95WorkingDays: answered === 0 ? null : nth(tally.days, Math.ceil(0.95 * answered) - 1),
  };
}

/** The value at 0-based rank `k` of the histogram's values in ascending order. */
export function nth(histogram: DaysHistogram, k: number): number {
  let seen = 0;
  for (const value of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(value)!;
    if (k < seen) return value;
  }
  throw new RangeError(`rank ${k} is beyond the ${seen} values`);
}

/** The slowest of several departments' figures (see above); undefined when none answered a task. */
export function slowest(byDepartment: ReadonlyMap<string, CoApprovalFigures>): { department: string; medianWorkingDays: number; p95WorkingDays: number } | undefined {
  let best: { department: string; medianWorkingDays: number; p95WorkingDays: number } | undefined;
  for (const [department, figures] of [...byDepartment].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (figures.medianWorkingDays === null || figures.p95WorkingDays === null) continue;
    const candidate = { department, medianWorkingDays: figures.medianWorkingDays, p95WorkingDays: figures.p95WorkingDays };
    if (!best || candidate.medianWorkingDays > best.medianWorkingDays || (candidate.medianWorkingDays === best.medianWorkingDays && candidate.p95WorkingDays > best.p95WorkingDays)) best = candidate;
  }
  return best;
}
