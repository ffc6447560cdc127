import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { jsonTooDeep } from '@hub/runtime';
import { confluentErrorHandler, httpErrors } from './confluent-errors.ts';
import { JSON_TYPE, requestContentTypes, responseContentType } from './content-types.ts';
import { operatorOnly } from './operator-auth.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { compatibilityRoutes } from './routes/compatibility.ts';
import { configRoutes } from './routes/config.ts';
import { modeRoutes } from './routes/mode.ts';
import { schemaRoutes } from './routes/schemas.ts';
import { subjectRoutes } from './routes/subjects.ts';

/**
 * The deepest a request body may nest (arrays and objects). A schema travels
 * as a string inside the body, so this bounds only `metadata`, `references`
 * and `ruleSet`: the stable JSON behind a version's identity recurses, and a
 * body 5,000 deep overflowed its stack, a 500 (found by fuzzing, test/fuzz).
 */
const MAX_BODY_DEPTH = 64;

export interface CatalogApiOptions {
  /** CATALOG_OPERATOR_TOKEN: writes need it when set. */
  operatorToken?: string;
  /** CATALOG_MAX_BODY_BYTES, for the message of a 413. */
  bodyLimit: number;
}

/**
 * The Confluent Schema Registry REST API and the catalogue view. Encapsulated
 * on purpose: its error answers are Confluent's `{error_code, message}` (part
 * of the contract every registry client parses), not the hub's problem+json,
 * and its media types are Confluent's.
 */
export const catalogApi: FastifyPluginAsyncTypebox<CatalogApiOptions> = async (app, options) => {
  app.setErrorHandler(confluentErrorHandler(options.bodyLimit));
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = { status: 404, body: { error_code: 404, message: httpErrors.notFound().message } };
    return reply.status(status).type(responseContentType(request.headers.accept)).send(body);
  });

  // JSON in any of Confluent's media types. An empty body is no body (clients send
  // the content type on DELETE too); a body that is not JSON is a 400.
  app.removeContentTypeParser(JSON_TYPE);
  app.addContentTypeParser([JSON_TYPE, ...requestContentTypes], { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    const deep = jsonTooDeep(text, MAX_BODY_DEPTH);
    if (deep !== undefined) return done(httpErrors.badRequest(`Bad request: the body nests deeper than ${MAX_BODY_DEPTH} levels (at character ${deep.offset})`), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(httpErrors.malformedJson(error instanceof Error ? error.message : String(error)), undefined);
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.type(responseContentType(request.headers.accept));
  });

  app.get('/', async () => ({}));
  const routeOptions = { operatorOnly: operatorOnly(options.operatorToken) };
  await app.register(subjectRoutes, routeOptions);
  await app.register(schemaRoutes, routeOptions);
  await app.register(configRoutes, routeOptions);
  await app.register(modeRoutes, routeOptions);
  await app.register(compatibilityRoutes, routeOptions);
  await app.register(catalogueRoutes, routeOptions);
};
