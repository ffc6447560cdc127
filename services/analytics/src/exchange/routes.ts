import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendRows } from '../http/csv.ts';
import { Count, csvNote, FigureQuery, problemRef } from '../http/schemas.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { exchangeRows } from './queries.ts';

const Ms = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const ExchangeRow = Type.Object({
  day: Type.Optional(Type.String()),
  month: Type.Optional(Type.String()),
  fromDepartment: Type.String({ description: 'The department that owns the resource (提供部门)' }),
  toDepartment: Type.String({ description: 'The department that received it or asked (接收/请求部门)' }),
  resource: Type.Optional(Type.String({ description: 'Catalogue resource code; absent with groupBy=department' })),
  direction: Type.Union([Type.Literal('horizontal'), Type.Literal('vertical')], { description: 'horizontal: between departments; vertical: one department (across levels)' }),
  exchanges: Count('Exchanges (deliveries, answers, verifications, refusals …)'),
  bytes: Count('Bytes of the requests and answers'),
  latencyP50Ms: Ms('Median of request in → answer out, ms'),
  latencyP95Ms: Ms('95th percentile of request in → answer out, ms'),
  failures: Count('Exchanges that did not succeed'),
  refusals: Count('Refused (no agreement, not shared …)'),
}, { additionalProperties: false });

export const exchangeRoutes: FastifyPluginAsyncTypebox<{ store: AnalyticsStore }> = async (app, { store }) => {
  app.get('/api/v1/figures/exchange-matrix', {
    schema: {
      summary: 'The interconnection matrix: from department × to department × resource, horizontal and vertical',
      description: `Over the exchanges (exchange.monitoring) of the period; \`department\` selects the exchanges it is on either side of; groupBy=day or month adds the period to each cell, groupBy=department sums a cell's resources; item, centre and division do not apply (400). ${csvNote}`,
      tags: ['figures'],
      querystring: FigureQuery,
      produces: ['application/json', 'text/csv'],
      response: { 200: Type.Object({ rows: Type.Array(ExchangeRow) }), 400: problemRef, 503: problemRef },
    },
  }, async (request, reply) => {
    const { keys, rows } = await exchangeRows(store, request.query);
    return sendRows(request, reply, [...keys, 'exchanges', 'bytes', 'latencyP50Ms', 'latencyP95Ms', 'failures', 'refusals'], rows);
  });
};
