import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RegistryFailure, unwrap } from '../../catalog.ts';
import { testCompatibility } from '../../registry/queries.ts';
import { CompatibilityAnswer, errors, Flags, LookupRequest, SubjectParams, SubjectVersionParams } from '../api-schemas.ts';
import type { RouteOptions } from './route-options.ts';

/** Would this schema be accepted? Against one version, or the versions the subject's level names. */
export const compatibilityRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app) => {
  const { catalog } = app;

  const check = (subject: string, version: string | undefined, body: { schema: string; schemaType?: string | null; references?: Array<{ name: string; subject: string; version: number }> | null }, verbose: boolean) => {
    if (body.schemaType != null && body.schemaType.toUpperCase() !== 'AVRO') {
      throw new RegistryFailure({ type: 'InvalidSchema', reason: `schema type ${body.schemaType} is not supported; this catalog stores AVRO schemas only` });
    }
    const verdict = unwrap(testCompatibility(catalog.state, {
      subject, schema: body.schema, references: body.references ?? [], ...(version === undefined ? {} : { version }),
    }));
    return { is_compatible: verdict.compatible, ...(verbose ? { messages: verdict.messages } : {}) };
  };

  app.post('/compatibility/subjects/:subject/versions', {
    schema: {
      summary: 'Test a schema against the versions the compatibility level names',
      params: SubjectParams,
      querystring: Type.Object({ verbose: Flags.verbose, normalize: Flags.normalize }),
      body: LookupRequest,
      response: { 200: CompatibilityAnswer, ...errors },
    },
  }, async (request) => check(request.params.subject, undefined, request.body, request.query.verbose));

  app.post('/compatibility/subjects/:subject/versions/:version', {
    schema: {
      summary: 'Test a schema against one version (a number, latest or -1)',
      params: SubjectVersionParams,
      querystring: Type.Object({ verbose: Flags.verbose, normalize: Flags.normalize }),
      body: LookupRequest,
      response: { 200: CompatibilityAnswer, ...errors },
    },
  }, async (request) => check(request.params.subject, request.params.version, request.body, request.query.verbose));
};
