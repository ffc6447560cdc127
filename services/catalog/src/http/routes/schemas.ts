import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RegistryFailure, unwrap } from '../../catalog.ts';
import { listSubjects, schemaById, usesOfId, versionsOf } from '../../registry/queries.ts';
import { errors, Flags, IdParams, SchemaById, SubjectAndVersion, SubjectVersion } from '../api-schemas.ts';
import { schemaByIdBody, subjectVersionBody } from '../responses.ts';
import type { RouteOptions } from './route-options.ts';

/** An id in the path; anything but a positive integer is an unknown schema, as in Confluent (40403). */
function schemaId(text: string): number {
  const id = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new RegistryFailure({ type: 'SchemaNotFound' });
  return id;
}

/** Schemas by their global id (全局标识), what a consumer decoding a message asks for. */
export const schemaRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app) => {
  const { catalog } = app;

  app.get('/schemas', {
    schema: {
      summary: 'List schemas (latest only, or every version)',
      querystring: Type.Object({ subjectPrefix: Type.Optional(Type.String()), deleted: Flags.deleted, latestOnly: Type.Boolean({ default: false }) }),
      response: { 200: Type.Array(SubjectVersion), ...errors },
    },
  }, async (request) => {
    const deleted = request.query.deleted ? 'include' : 'exclude';
    return listSubjects(catalog.state, { prefix: request.query.subjectPrefix ?? '', deleted })
      .flatMap((subject) => {
        const versions = versionsOf(catalog.state, subject, deleted);
        return request.query.latestOnly ? versions.slice(-1) : versions;
      })
      .map(subjectVersionBody);
  });

  app.get('/schemas/types', {
    schema: { summary: 'Schema types this registry stores', response: { 200: Type.Array(Type.String()), ...errors } },
  }, async () => ['AVRO']);

  app.get('/schemas/ids/:id', {
    schema: {
      summary: 'Get a schema by its global id',
      params: IdParams,
      querystring: Type.Object({ subject: Type.Optional(Type.String()), fetchMaxId: Type.Boolean({ default: false }), format: Type.Optional(Type.String()) }),
      response: { 200: SchemaById, ...errors },
    },
  }, async (request) => {
    const stored = unwrap(schemaById(catalog.state, schemaId(request.params.id)));
    return { ...schemaByIdBody(stored), ...(request.query.fetchMaxId ? { maxId: catalog.state.maxId } : {}) };
  });

  app.get('/schemas/ids/:id/schema', {
    schema: { summary: 'Get the schema text of an id, unescaped', params: IdParams, response: { 200: Type.Unknown({ description: 'the schema itself' }), ...errors } },
  }, async (request, reply) => {
    const stored = unwrap(schemaById(catalog.state, schemaId(request.params.id)));
    return reply.serializer((text: string) => text).send(stored.schema);
  });

  app.get('/schemas/ids/:id/subjects', {
    schema: {
      summary: 'Subjects that use an id',
      params: IdParams,
      querystring: Type.Object({ deleted: Flags.deleted }),
      response: { 200: Type.Array(Type.String()), ...errors },
    },
  }, async (request) => {
    const id = schemaId(request.params.id);
    const uses = unwrap(usesOfId(catalog.state, id, request.query.deleted));
    if (uses.length === 0) throw new RegistryFailure({ type: 'SchemaNotFound', id });
    return [...new Set(uses.map((use) => use.subject))];
  });

  app.get('/schemas/ids/:id/versions', {
    schema: {
      summary: 'Subject versions that use an id',
      params: IdParams,
      querystring: Type.Object({ deleted: Flags.deleted }),
      response: { 200: Type.Array(SubjectAndVersion), ...errors },
    },
  }, async (request) => unwrap(usesOfId(catalog.state, schemaId(request.params.id), request.query.deleted)));
};
