import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Count, filterProperties, problemRef } from '../http/schemas.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { alertedCases, alertLevels } from './cases-queries.ts';

const Level = (description: string) => Type.Union(alertLevels.map((l) => Type.Literal(l)), { description });

const AlertedCasesQuery = Type.Object({
  ...filterProperties,
  level: Type.Optional(Level('Only the cases alerted at this level or worse')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Cases listed at most' })),
}, { additionalProperties: false });

const AlertedCase = Type.Object({
  caseId: Type.String(),
  itemCode: Type.String({ description: 'Empty while the case\'s submission is not projected' }),
  itemName: Type.String(),
  centreId: Type.String(),
  divisionCode: Type.String(),
  status: Type.String({ description: 'Where the case stands now' }),
  worstLevel: Level('The worst alert raised on it in the period'),
  lastLevel: Level('The latest alert\'s level'),
  responsibleDepartment: Type.String({ description: 'Of the latest alert (责任部门)' }),
  alerts: Count('Alerts raised on it in the period'),
  warnings: Count('Warnings (预警/黄牌)'),
  overdue: Count('Overdue (超时/红牌)'),
  legalLimitBreaches: Count('The legal limit passed (超法定时限)'),
  deadline: Type.String({ description: 'The latest alert\'s deadline, YYYY-MM-DD' }),
  workingDaysRemaining: Type.Integer({ description: 'At the latest alert; negative once the deadline passed' }),
  firstAlertAt: Type.String({ format: 'date-time' }),
  lastAlertAt: Type.String({ format: 'date-time' }),
}, { additionalProperties: false });

/** GET /api/v1/supervision/cases: the warned and overdue cases, for the dashboard's list and its drill-down to one case. */
export const alertedCaseRoutes: FastifyPluginAsyncTypebox<{ store: AnalyticsStore }> = async (app, { store }) => {
  app.get('/api/v1/supervision/cases', {
    schema: {
      summary: 'The warned and overdue cases (预警、超时办件): worst first, then the most recently alerted',
      description: 'Over the alerts raised on a day of the period (Asia/Shanghai), filtered as the supervision figure is (`department` the responsible department; item, centre and division the case\'s). `total` counts the matching cases before `limit`. Each case\'s full history is GET /api/v1/cases/{caseId}/events.',
      tags: ['cases'],
      querystring: AlertedCasesQuery,
      response: { 200: Type.Object({ total: Count('Cases that match'), rows: Type.Array(AlertedCase) }), 400: problemRef, 503: problemRef },
    },
  }, async (request) => alertedCases(store, request.query));
};
