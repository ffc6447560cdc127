import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { unwrap } from '../../catalog.ts';
import { compatibilityOf } from '../../registry/queries.ts';
import { CompatibilityLevelAnswer, CompatibilityUpdate, errors, Flags, SubjectParams } from '../api-schemas.ts';
import type { RouteOptions } from './route-options.ts';

/** Compatibility levels (兼容性级别): global, and per subject. */
export const configRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { operatorOnly }) => {
  const { catalog } = app;

  app.get('/config', {
    schema: { summary: 'Global compatibility level', response: { 200: CompatibilityLevelAnswer, ...errors } },
  }, async () => ({ compatibilityLevel: unwrap(compatibilityOf(catalog.state, null)) }));

  app.put('/config', {
    onRequest: operatorOnly,
    schema: { summary: 'Set the global compatibility level', body: CompatibilityUpdate, response: { 200: CompatibilityUpdate, ...errors } },
  }, async (request) => catalog.execute({ type: 'SetCompatibility', data: { subject: null, compatibility: request.body.compatibility } }));

  app.delete('/config', {
    onRequest: operatorOnly,
    schema: { summary: 'Reset the global level to BACKWARD; answers the previous one', response: { 200: CompatibilityLevelAnswer, ...errors } },
  }, async () => catalog.execute({ type: 'ClearCompatibility', data: { subject: null } }));

  app.get('/config/:subject', {
    schema: {
      summary: "A subject's compatibility level",
      params: SubjectParams,
      querystring: Type.Object({ defaultToGlobal: Flags.defaultToGlobal }),
      response: { 200: CompatibilityLevelAnswer, ...errors },
    },
  }, async (request) => ({ compatibilityLevel: unwrap(compatibilityOf(catalog.state, request.params.subject, request.query.defaultToGlobal)) }));

  app.put('/config/:subject', {
    onRequest: operatorOnly,
    schema: { summary: "Set a subject's compatibility level", params: SubjectParams, body: CompatibilityUpdate, response: { 200: CompatibilityUpdate, ...errors } },
  }, async (request) => catalog.execute({ type: 'SetCompatibility', data: { subject: request.params.subject, compatibility: request.body.compatibility } }));

  app.delete('/config/:subject', {
    onRequest: operatorOnly,
    schema: { summary: "Remove a subject's own level; answers the level it had", params: SubjectParams, response: { 200: CompatibilityLevelAnswer, ...errors } },
  }, async (request) => catalog.execute({ type: 'ClearCompatibility', data: { subject: request.params.subject } }));
};
