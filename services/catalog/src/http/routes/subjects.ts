import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { unwrap } from '../../catalog.ts';
import { getVersion, listSubjects, listVersions, lookupSchema, referencedBy, type DeletedFilter } from '../../registry/queries.ts';
import { errors, Flags, LookupRequest, RegisterRequest, RegisterResponse, SubjectParams, SubjectVersion, SubjectVersionParams } from '../api-schemas.ts';
import { subjectVersionBody } from '../responses.ts';
import type { RouteOptions } from './route-options.ts';

const deletedFilter = (q: { deleted: boolean; deletedOnly: boolean }): DeletedFilter => (q.deletedOnly ? 'only' : q.deleted ? 'include' : 'exclude');

/** Subjects (主题) and their versions: list, read, register, look up, delete. */
export const subjectRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { operatorOnly }) => {
  const { catalog } = app;

  app.get('/subjects', {
    schema: {
      summary: 'List subjects',
      querystring: Type.Object({ subjectPrefix: Type.Optional(Type.String()), deleted: Flags.deleted, deletedOnly: Flags.deletedOnly }),
      response: { 200: Type.Array(Type.String()), ...errors },
    },
  }, async (request) => listSubjects(catalog.state, { prefix: request.query.subjectPrefix ?? '', deleted: deletedFilter(request.query) }));

  app.get('/subjects/:subject/versions', {
    schema: {
      summary: 'List the versions of a subject',
      params: SubjectParams,
      querystring: Type.Object({ deleted: Flags.deleted, deletedOnly: Flags.deletedOnly }),
      response: { 200: Type.Array(Type.Integer()), ...errors },
    },
  }, async (request) => unwrap(listVersions(catalog.state, request.params.subject, deletedFilter(request.query))));

  app.get('/subjects/:subject/versions/:version', {
    schema: {
      summary: 'Get a version (a number, latest or -1)',
      params: SubjectVersionParams,
      querystring: Type.Object({ deleted: Flags.deleted }),
      response: { 200: SubjectVersion, ...errors },
    },
  }, async (request) => subjectVersionBody(unwrap(getVersion(catalog.state, request.params.subject, request.params.version, request.query.deleted))));

  app.get('/subjects/:subject/versions/:version/schema', {
    schema: {
      summary: 'Get the schema text of a version, unescaped',
      params: SubjectVersionParams,
      querystring: Type.Object({ deleted: Flags.deleted }),
      response: { 200: Type.Unknown({ description: 'the schema itself' }), ...errors },
    },
  }, async (request, reply) => {
    const version = unwrap(getVersion(catalog.state, request.params.subject, request.params.version, request.query.deleted));
    return reply.serializer((text: string) => text).send(version.schema);
  });

  app.get('/subjects/:subject/versions/:version/referencedby', {
    schema: {
      summary: 'Ids of the schemas that reference a version',
      params: SubjectVersionParams,
      response: { 200: Type.Array(Type.Integer()), ...errors },
    },
  }, async (request) => {
    const version = unwrap(getVersion(catalog.state, request.params.subject, request.params.version, true));
    return referencedBy(catalog.state, version.subject, version.version);
  });

  app.post('/subjects/:subject/versions', {
    onRequest: operatorOnly,
    schema: {
      summary: 'Register a schema (answers the existing id when it is already there)',
      params: SubjectParams,
      querystring: Type.Object({ normalize: Flags.normalize }),
      body: RegisterRequest,
      response: { 200: RegisterResponse, ...errors },
    },
  }, async (request) => {
    const { schema, schemaType, references, metadata, ruleSet, id, version } = request.body;
    const { id: registered } = await catalog.execute({
      type: 'RegisterSchema',
      data: {
        subject: request.params.subject,
        ...(schema === undefined ? {} : { schema }),
        ...(schemaType == null ? {} : { schemaType }),
        ...(references == null ? {} : { references }),
        ...(metadata == null ? {} : { metadata }),
        ...(ruleSet == null ? {} : { ruleSet }),
        ...(id == null ? {} : { id }),
        ...(version == null ? {} : { version }),
        normalize: request.query.normalize,
      },
    });
    return { id: registered };
  });

  app.post('/subjects/:subject', {
    schema: {
      summary: 'Look a schema up under a subject',
      params: SubjectParams,
      querystring: Type.Object({ normalize: Flags.normalize, deleted: Flags.deleted }),
      body: LookupRequest,
      response: { 200: SubjectVersion, ...errors },
    },
  }, async (request) => {
    const { schema, schemaType, references, metadata } = request.body;
    if (schemaType != null && schemaType.toUpperCase() !== 'AVRO') {
      unwrap({ ok: false, error: { type: 'InvalidSchema', reason: `schema type ${schemaType} is not supported; this catalog stores AVRO schemas only` } });
    }
    const found = lookupSchema(catalog.state, request.params.subject, {
      schema, references: references ?? [], ...(metadata == null ? {} : { metadata }),
    }, request.query.deleted);
    return subjectVersionBody(unwrap(found));
  });

  app.delete('/subjects/:subject', {
    onRequest: operatorOnly,
    schema: {
      summary: 'Delete a subject: soft, or permanent after a soft delete',
      params: SubjectParams,
      querystring: Type.Object({ permanent: Flags.permanent }),
      response: { 200: Type.Array(Type.Integer()), ...errors },
    },
  }, async (request) => catalog.execute({ type: 'DeleteSubject', data: { subject: request.params.subject, permanent: request.query.permanent } }));

  app.delete('/subjects/:subject/versions/:version', {
    onRequest: operatorOnly,
    schema: {
      summary: 'Delete a version: soft, or permanent after a soft delete',
      params: SubjectVersionParams,
      querystring: Type.Object({ permanent: Flags.permanent }),
      response: { 200: Type.Integer(), ...errors },
    },
  }, async (request) => catalog.execute({
    type: 'DeleteSubjectVersion',
    data: { subject: request.params.subject, version: request.params.version, permanent: request.query.permanent },
  }));
};
