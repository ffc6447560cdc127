import { describe, expect, it } from 'vitest';
import { coApprovalFigures, slowest, type TaskTally } from './figures.ts';

const tally = (days: number[], extra: Partial<TaskTally> = {}): TaskTally => {
  const histogram = new Map<number, number>();
  for (const d of days) histogram.set(d, (histogram.get(d) ?? 0) + 1);
  return { tasks: days.length, cancelled: 0, open: 0, overdue: 0, days: histogram, ...extra };
};

describe('co-approval figures', () => {
  it('take the median as the middle value, or the mean of the two middle ones, and the 95th percentile by nearest rank', () => {
    expect(coApprovalFigures(tally([3, 1, 2]))).toMatchObject({ answered: 3, medianWorkingDays: 2, p95WorkingDays: 3 });
    expect(coApprovalFigures(tally([1, 2, 3, 4]))).toMatchObject({ medianWorkingDays: 2.5, p95WorkingDays: 4 });
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(coApprovalFigures(tally(twenty))).toMatchObject({ p95WorkingDays: 19 });
  });

  it('have no median while no task was answered', () => {
    expect(coApprovalFigures(tally([], { tasks: 2, open: 2 }))).toEqual({ tasks: 2, answered: 0, cancelled: 0, open: 2, overdue: 0, medianWorkingDays: null, p95WorkingDays: null });
  });

  it('name the slowest department: the highest median, then the highest 95th percentile', () => {
    const figures = new Map([
      ['tax', coApprovalFigures(tally([1, 2, 3]))],
      ['ps', coApprovalFigures(tally([2, 2, 9]))],
      ['land', coApprovalFigures(tally([1, 1]))],
      ['civil', coApprovalFigures(tally([], { tasks: 1, open: 1 }))],
    ]);
    expect(slowest(figures)).toEqual({ department: 'ps', medianWorkingDays: 2, p95WorkingDays: 9 });
  });
});
