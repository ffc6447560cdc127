import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { departments } from '@hub/schemas';

const Department = Type.Object({
  code: Type.String({ description: 'As the figures name it (tax, ps, …)' }),
  name: Type.String({ description: 'Chinese name (部门名称)' }),
  english: Type.String({ description: 'English name' }),
}, { additionalProperties: false });

/** GET /api/v1/departments: the departments' names in Chinese and English, for the labels of the figures' department codes. */
export const departmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/v1/departments', {
    schema: {
      summary: 'The departments (部门) with their Chinese and English names',
      tags: ['figures'],
      response: { 200: Type.Object({ rows: Type.Array(Department) }) },
    },
  }, async () => ({ rows: departments.map(({ code, name, english }) => ({ code, name, english })) }));
};
