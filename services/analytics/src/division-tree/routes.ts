import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { caseFigureRows } from '../cases/queries.ts';
import { divisionLevels, levelOfPrefix } from '../divisions.ts';
import { Count, filterProperties, problemRef, Rate } from '../http/schemas.ts';
import type { AnalyticsStore } from '../store/store.ts';
import { divisionAncestry, nameOfDivision } from './names.ts';

const Level = Type.Union(divisionLevels.map((l) => Type.Literal(l)));
const NamedDivision = Type.Object({ division: Type.String({ description: 'The division prefix: 2 digits a province, 4 a city, 6 a county, 9 a town, 12 a village' }), level: Level, name: Type.String({ description: 'Its name in the statistics bureau\'s 2023 catalogue (the code when unknown)' }) });

const DivisionChild = Type.Object({
  ...NamedDivision.properties,
  submitted: Count('Cases submitted (申请)'),
  accepted: Count('Accepted (受理)'),
  completed: Count('Completed (办结)'),
  inProgress: Count('Accepted, not completed'),
  onTimeRate: Rate('on time / completed (按时办结率)'),
  handlingSpeedUp: Rate('Mean of 1 − working days used / legal days (办理提速率)'),
  promisedSpeedUp: Rate('Mean of 1 − promised days / legal days (承诺提速率)'),
  satisfaction: Rate('satisfied / reviews (满意率)'),
}, { additionalProperties: false });

/**
 * GET /api/v1/figures/division-tree: one step of the map-free drill-down from
 * the region to a village — the named children of a division with their case
 * figures, and the path from the province down to it.
 */
export const divisionTreeRoutes: FastifyPluginAsyncTypebox<{ store: AnalyticsStore }> = async (app, { store }) => {
  app.get('/api/v1/figures/division-tree', {
    schema: {
      summary: 'The division tree (行政区划): the children of a division with their names and case figures, for a drill-down from the region to a village',
      description: 'The case figures grouped by division (as GET /api/v1/figures/cases?groupBy=division), each child named from the statistics bureau\'s catalogue, and `path`, the divisions from the province down to `division`. Without `division` the children are the provinces. The other filters narrow the cases as for the case figures.',
      tags: ['figures'],
      querystring: Type.Object(filterProperties, { additionalProperties: false }),
      response: { 200: Type.Object({ path: Type.Array(NamedDivision), rows: Type.Array(DivisionChild) }), 400: problemRef, 503: problemRef },
    },
  }, async (request) => {
    const { rows } = await caseFigureRows(store, { ...request.query, groupBy: 'division' });
    return {
      path: request.query.division === undefined ? [] : divisionAncestry(request.query.division),
      rows: rows.map((row) => {
        const division = String(row.division);
        return {
          division,
          level: levelOfPrefix(division),
          name: nameOfDivision(division),
          submitted: row.submitted,
          accepted: row.accepted,
          completed: row.completed,
          inProgress: row.inProgress,
          onTimeRate: row.onTimeRate,
          handlingSpeedUp: row.handlingSpeedUp,
          promisedSpeedUp: row.promisedSpeedUp,
          satisfaction: row.satisfaction,
        };
      }),
    };
  });
};
