import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendRows } from '../http/csv.ts';
import { Count, csvNote, FigureQuery, groupColumns, problemRef } from '../http/schemas.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { coApprovalRows } from './queries.ts';

const Days = (description: string) => Type.Union([Type.Number(), Type.Null()], { description: `${description}; null when no task was answered` });
const figureColumns = {
  tasks: Count('Co-approval tasks (协办任务), one per department and stage asked'),
  answered: Count('Granted or refused (a request for supplementary material is not the answer)'),
  cancelled: Count('Closed unanswered by another department\'s refusal'),
  open: Count('Still open, or awaiting the supplementary material'),
  overdue: Count('Answered after the task\'s due date, or still open after it on `to` (today without it)'),
  medianWorkingDays: Days('Median working days an answered task took (the mean of the two middle ones for an even count)'),
  p95WorkingDays: Days('95th percentile (nearest rank) of the working days an answered task took'),
  slowestDepartment: Type.Union([Type.String(), Type.Null()], { description: 'The department with the highest median, then the highest 95th percentile' }),
  slowestMedianWorkingDays: Days('Its median'),
};
const figureNames = Object.keys(figureColumns);

export const coApprovalRoutes: FastifyPluginAsyncTypebox<{ store: AnalyticsStore; now: () => Date }> = async (app, { store, now }) => {
  app.get('/api/v1/figures/co-approval', {
    schema: {
      summary: 'Co-approval: tasks, median and 95th-percentile working days taken, overdue tasks, the slowest department',
      description: `Over the co-approval tasks of the cases whose day lies in the period (filters as for the case figures; \`department\` is the co-approving department). groupBy=department gives each co-approver; groupBy=item each item with its slowest department. Working days count from the day after the request, suspensions while the task was open excluded. ${csvNote}`,
      tags: ['figures'],
      querystring: FigureQuery,
      produces: ['application/json', 'text/csv'],
      response: { 200: Type.Object({ rows: Type.Array(Type.Object({ ...groupColumns, ...figureColumns }, { additionalProperties: false })) }), 400: problemRef, 503: problemRef },
    },
  }, async (request, reply) => {
    const { keys, rows } = await coApprovalRows(store, request.query, now());
    return sendRows(request, reply, [...keys, ...figureNames], rows);
  });
};
