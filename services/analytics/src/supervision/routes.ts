import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendRows } from '../http/csv.ts';
import { Count, csvNote, FigureQuery, groupColumns, problemRef } from '../http/schemas.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { supervisionRows } from './queries.ts';

const figureColumns = {
  alerts: Count('Alerts raised'),
  warnings: Count('Warnings (预警/黄牌): the deadline is near'),
  overdue: Count('Overdue (超时/红牌): the promised limit passed'),
  legalLimitBreaches: Count('The legal limit passed (超法定时限)'),
  cases: Count('Cases alerted'),
  requests: Count('Data requests alerted (the 10-working-day answer)'),
};

export const supervisionRoutes: FastifyPluginAsyncTypebox<{ store: AnalyticsStore }> = async (app, { store }) => {
  app.get('/api/v1/figures/supervision', {
    schema: {
      summary: 'Electronic supervision (电子监察): warnings, overdue, legal-limit breaches, by responsible department',
      description: `Over the alerts raised on a day of the period (Asia/Shanghai); \`department\` is the responsible department, item, centre and division those of the alerted case. ${csvNote}`,
      tags: ['figures'],
      querystring: FigureQuery,
      produces: ['application/json', 'text/csv'],
      response: { 200: Type.Object({ rows: Type.Array(Type.Object({ ...groupColumns, ...figureColumns }, { additionalProperties: false })) }), 400: problemRef, 503: problemRef },
    },
  }, async (request, reply) => {
    const { keys, rows } = await supervisionRows(store, request.query);
    return sendRows(request, reply, [...keys, ...Object.keys(figureColumns)], rows);
  });
};
