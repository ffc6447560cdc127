import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { ResourceDirectory } from './resources.ts';

const ResourceList = Type.Array(Type.Object({
  department: Type.String(),
  resource: Type.String(),
  eventType: Type.String({ description: 'Canonical event type in @hub/schemas' }),
  topic: Type.String(),
  nativeColumns: Type.Array(Type.String(), { description: 'Native column names, in the order the department exports them' }),
}));

/** GET /v1/resources: what can be pushed where, and in which native columns. Public: it is the catalogue's own data. */
export const resourceRoutes: FastifyPluginAsyncTypebox<{ directory: ResourceDirectory }> = async (app, { directory }) => {
  app.get('/v1/resources', {
    schema: { summary: 'List the resources departments push', tags: ['records'], response: { 200: ResourceList } },
  }, async () => directory.list());
};
