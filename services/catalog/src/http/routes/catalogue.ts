import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CatalogueResource } from '@hub/catalogue-client';
import { listResources } from '../../catalogue/resources.ts';
import { errors, ResourceQuery } from '../api-schemas.ts';
import type { RouteOptions } from './route-options.ts';

/** The operators' view of the data resource catalogue (政务信息资源目录). */
export const catalogueRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app) => {
  const { catalog } = app;

  app.get('/catalog/resources', {
    schema: {
      summary: 'Data resources: latest live version of each subject, with owner, sharing condition, update cycle and masked fields',
      querystring: ResourceQuery,
      response: { 200: Type.Array(CatalogueResource), ...errors },
    },
  }, async (request) => {
    const { department, condition } = request.query;
    return listResources(catalog.state, { ...(department ? { department } : {}), ...(condition ? { condition } : {}) });
  });
};
