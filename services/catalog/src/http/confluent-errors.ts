import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryFailure } from '../catalog.ts';
import type { RegistryError } from '../registry/errors.ts';
import { RecordTooLarge, StoreTimeout, StoreUnavailable } from '../store/schema-store.ts';
import { responseContentType } from './content-types.ts';

/** Confluent's error body: part of the API contract every registry client parses. */
export interface ConfluentErrorBody {
  error_code: number;
  message: string;
}

type Entry<E> = readonly [status: number, errorCode: number, message: (error: E) => string];

/**
 * The catalog's one error catalogue: every refusal of the registry with the
 * HTTP status, Confluent error code and message Confluent Schema Registry uses.
 */
export const registryErrors: { [K in RegistryError['type']]: Entry<Extract<RegistryError, { type: K }>> } = {
  SubjectNotFound: [404, 40401, (e) => `Subject '${e.subject}' not found.`],
  VersionNotFound: [404, 40402, (e) => `Version ${e.version} not found.`],
  SchemaNotFound: [404, 40403, (e) => (e.id === undefined ? 'Schema not found' : `Schema ${e.id} not found`)],
  SubjectSoftDeleted: [404, 40404, (e) => `Subject '${e.subject}' was soft deleted.Set permanent=true to delete permanently`],
  SubjectNotSoftDeleted: [404, 40405, (e) => `Subject '${e.subject}' was not deleted first before being permanently deleted`],
  VersionSoftDeleted: [404, 40406, (e) => `Subject '${e.subject}' Version ${e.version} was soft deleted.Set permanent=true to delete permanently`],
  VersionNotSoftDeleted: [404, 40407, (e) => `Subject '${e.subject}' Version ${e.version} was not deleted first before being permanently deleted`],
  SubjectCompatibilityNotConfigured: [404, 40408, (e) => `Subject '${e.subject}' does not have subject-level compatibility configured`],
  SubjectModeNotConfigured: [404, 40409, (e) => `Subject '${e.subject}' does not have subject-level mode configured`],
  IncompatibleSchema: [409, 409, (e) => `Schema being registered is incompatible with an earlier schema for subject "${e.subject}", details: [${e.messages.join(', ')}]`],
  InvalidSchema: [422, 42201, (e) => `Invalid schema: ${e.reason}`],
  InvalidVersion: [422, 42202, (e) => `The specified version '${e.version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`],
  InvalidCompatibilityLevel: [422, 42203, () => 'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive'],
  InvalidMode: [422, 42204, () => 'Invalid mode. Valid values are READWRITE, READONLY, IMPORT'],
  OperationNotPermitted: [422, 42205, (e) => e.reason],
  ReferenceExists: [422, 42206, (e) => `One or more references exist to the schema {subject=${e.subject},version=${e.version}}: schema ids ${e.referencedBy.join(', ')}`],
  IdDoesNotMatch: [422, 42207, (e) => `Overwrite new schema with id ${e.id} is not permitted.`],
  InvalidSubject: [422, 42208, () => 'The specified subject is not valid.'],
};

/** Refusals outside the registry's own rules: the request itself, the operator token, the store. */
export class ConfluentError extends Error {
  override name = 'ConfluentError';
  constructor(readonly status: number, readonly errorCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const httpErrors = {
  notFound: () => new ConfluentError(404, 404, 'HTTP 404 Not Found'),
  unauthorized: () => new ConfluentError(401, 40101, 'Unauthorized: this write needs the operator token as "Authorization: Bearer <token>"'),
  forbiddenRemote: () => new ConfluentError(403, 40301, 'Forbidden: without CATALOG_OPERATOR_TOKEN configured, writes are accepted from this host only'),
  malformedJson: (detail: string) => new ConfluentError(400, 400, `Malformed JSON in the request body: ${detail}`),
  badRequest: (detail: string) => new ConfluentError(400, 400, detail),
  bodyTooLarge: (limit: number) => new ConfluentError(413, 41301, `Request body is larger than ${limit} bytes (CATALOG_MAX_BODY_BYTES)`),
  unsupportedMediaType: (type: string | undefined) => new ConfluentError(415, 415, `HTTP 415 Unsupported Media Type: ${type ?? 'no content type'}; send application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json or application/json`),
};

/** Any error → Confluent's `{error_code, message}`; 5xx internals are logged with the request and not shown. */
export function toConfluentError(error: FastifyError | Error, bodyLimit: number): { status: number; body: ConfluentErrorBody } {
  if (error instanceof RegistryFailure) {
    const [status, errorCode, message] = registryErrors[error.error.type] as Entry<RegistryError>;
    return { status, body: { error_code: errorCode, message: message(error.error) } };
  }
  if (error instanceof ConfluentError) return { status: error.status, body: { error_code: error.errorCode, message: error.message } };
  if (error instanceof RecordTooLarge) return { status: 422, body: { error_code: 42209, message: 'Register operation failed because schema is too large' } };
  if (error instanceof StoreTimeout) return { status: 500, body: { error_code: 50002, message: `Operation timed out: ${error.message}` } };
  if (error instanceof StoreUnavailable) return { status: 500, body: { error_code: 50001, message: `Error in the backend data store: ${error.message}` } };
  const fastify = error as FastifyError;
  if (fastify.validation) {
    return { status: 400, body: { error_code: 400, message: `Bad request: ${fastify.message}` } };
  }
  switch (fastify.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return toConfluentError(httpErrors.bodyTooLarge(bodyLimit), bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return toConfluentError(httpErrors.unsupportedMediaType(undefined), bodyLimit);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return toConfluentError(httpErrors.malformedJson(fastify.message), bodyLimit);
    default: break;
  }
  const status = typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500 ? fastify.statusCode : 500;
  if (status < 500) return { status, body: { error_code: status, message: fastify.message } };
  return { status: 500, body: { error_code: 500, message: 'Internal Server Error' } };
}

export function confluentErrorHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const { status, body } = toConfluentError(error, bodyLimit);
    if (status >= 500) request.log.error({ err: error, errorCode: body.error_code }, 'request failed');
    else request.log.info({ errorCode: body.error_code, reason: body.message }, 'request refused');
    if (body.error_code === 40101) reply.header('www-authenticate', 'Bearer realm="catalog"');
    return reply.status(status).type(responseContentType(request.headers.accept)).send(body);
  };
}
