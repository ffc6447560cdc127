import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendRows } from '../http/csv.ts';
import { csvNote, problemRef } from '../http/schemas.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { ThroughputQuery, throughputRows } from './queries.ts';

const ThroughputRow = Type.Object({
  topic: Type.String(),
  at: Type.Optional(Type.String({ description: 'The second or minute (UTC, ISO 8601), day (YYYY-MM-DD) or month (YYYY-MM) of the row' })),
  events: Type.Integer({ minimum: 0 }),
  eventsPerSecond: Type.Number({ description: 'events / the seconds of the window, bucket or period' }),
}, { additionalProperties: false });

export const throughputRoutes: FastifyPluginAsyncTypebox<{ store: AnalyticsStore; now: () => Date }> = async (app, { store, now }) => {
  app.get('/api/v1/figures/throughput', {
    schema: {
      summary: 'Events per second per topic: live, or over a period',
      description: `By when the hub wrote each event (its Kafka timestamp). Without from and to, the last \`seconds\` (60); \`department\` selects the topics of its records and deliveries. ${csvNote}`,
      tags: ['figures'],
      querystring: ThroughputQuery,
      produces: ['application/json', 'text/csv'],
      response: { 200: Type.Object({ rows: Type.Array(ThroughputRow) }), 400: problemRef, 503: problemRef },
    },
  }, async (request, reply) => {
    const { keys, rows } = await throughputRows(store, request.query, now());
    return sendRows(request, reply, [...keys, 'events', 'eventsPerSecond'], rows);
  });
};
