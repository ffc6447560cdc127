import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { rejectedRecordCount } from '@hub/connector-core';
import { isTooLarge } from '@hub/runtime';
import { errors } from '../errors.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { authProblems, problemRef } from '../http/schemas.ts';
import { principalDescription } from '../auth/tokens.ts';
import { readBatch } from './batch.ts';
import { parseNdjson } from './ndjson.ts';
import type { RecordPublisherPort } from './publisher-port.ts';
import type { ResourceDirectory } from './resources.ts';

const Params = Type.Object({
  dept: Type.String({ description: 'Department code (tax, ps, land, market, civil, hrss, housing)', examples: ['ps'] }),
  resource: Type.String({ description: 'Resource of that department, e.g. resident-identity', examples: ['resident-identity'] }),
});

/**
 * The items are not validated by a JSON schema: one odd item must not fail the
 * batch. Each is read as the drop folder reads JSON Lines and judged by the
 * department mapping; what is not a record is rejected on its own.
 */
const Batch = Type.Array(
  Type.Unsafe<unknown>({
    description: 'One native record as the department system writes it: its own column names (pinyin initials), text, number, boolean or null values',
    examples: [{ GMSFHM: '450102198503121233', XM: '韦建国', XB: '男', MZ: '壮族', CSRQ: '19850312', ZZ: '广西壮族自治区南宁市兴宁区朝阳路12号', HJDZ_XZQHDM: '450102', GXSJ: '20250106101100' }],
  }),
  { description: 'A JSON array of native records (Content-Type application/json), or NDJSON, one record a line (application/x-ndjson)' },
);

const PushResult = Type.Object({
  accepted: Type.Integer({ description: 'Records published now (in Kafka, committed)' }),
  duplicates: Type.Integer({ description: 'Records already published by an earlier push (same event id); not published again' }),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'Position of the record in the pushed batch, from 0' }),
      field: Type.String({ description: 'Native column at fault, or (record)' }),
      reason: Type.String(),
    }),
    { description: 'Records that failed validation; each is on dlq.connectors with its field and reason' },
  ),
});

export interface RecordRoutesOptions {
  directory: ResourceDirectory;
  publisher: RecordPublisherPort;
  maxBatch: number;
  /** Deepest nesting of one NDJSON line (a JSON array's is the body parser's). */
  maxJsonDepth: number;
  now: () => Date;
  metrics: GatewayMetrics;
}

/** POST /v1/records/{dept}/{resource}: a department system pushes its records. */
export const recordRoutes: FastifyPluginAsyncTypebox<RecordRoutesOptions> = async (app, { directory, publisher, maxBatch, maxJsonDepth, now, metrics }) => {
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_request, body, done) => {
    const parsed = parseNdjson(String(body), maxBatch, maxJsonDepth);
    if (parsed.ok) done(null, parsed.items);
    else done(parsed.error);
  });

  // Also called for requests whose parameters were never validated (a 401 comes first), so it reads them defensively.
  const subject = (request: FastifyRequest) => {
    const params = request.params;
    const part = (name: 'dept' | 'resource') => {
      const value: unknown = typeof params === 'object' && params !== null ? Reflect.get(params, name) : undefined;
      return typeof value === 'string' ? value : '?';
    };
    return { action: 'records.push' as const, target: `${part('dept')}.${part('resource')}` };
  };

  app.post('/v1/records/:dept/:resource', {
    schema: {
      summary: 'Push a batch of native records',
      description: [
        'Maps and validates each record with the department mapping, sends the bad ones to dlq.connectors and publishes the rest to',
        '`records.<dept>.<resource>` (Avro, acks=all, one Kafka transaction). Answers 202 after the commit. A retried push publishes',
        `nothing twice: records already published count as duplicates. At most GATEWAY_MAX_BATCH (${maxBatch}) records.`,
      ].join(' '),
      tags: ['records'],
      security: [{ bearer: [] }],
      params: Params,
      body: Batch,
      response: { 202: PushResult, 400: problemRef, 404: problemRef, 413: problemRef, 415: problemRef, ...authProblems },
    },
    // Who may push where is settled before the body is read.
    onRequest: async (request) => {
      const principal = app.authenticate(request);
      const { dept, resource } = request.params;
      const found = directory.find(dept, resource);
      if (found.kind === 'unknown-department') throw new errors.UNKNOWN_DEPARTMENT(dept);
      if (found.kind === 'unknown-resource') throw new errors.UNKNOWN_RESOURCE(dept, resource);
      if (principal.kind !== 'department' || principal.department !== dept) {
        throw new errors.FORBIDDEN_RESOURCE(principalDescription(principal), `${dept}.${resource}`);
      }
    },
    preValidation: async (request) => {
      const body: unknown = request.body;
      if (!Array.isArray(body)) throw new errors.NOT_A_BATCH();
      if (body.length > maxBatch) throw new errors.BATCH_TOO_LARGE(maxBatch, body.length);
    },
    onError: app.auditErrors(subject),
  }, async (request, reply) => {
    const what = subject(request);
    const found = directory.find(request.params.dept, request.params.resource);
    if (found.kind !== 'found') throw new errors.UNKNOWN_RESOURCE(request.params.dept, request.params.resource);
    const { natives, readErrors } = readBatch(request.body);
    let result;
    try {
      result = await publisher.publish(found.mapping, natives, { kind: 'http', name: `gateway/${String(request.id)}` }, now(), readErrors.size > 0 ? { readErrors } : {});
    } catch (error) {
      // Only a hub that cannot publish now is a 503; a push Kafka refuses as too large fails the same way every time.
      if (isTooLarge(error)) throw Object.assign(new errors.TOO_LARGE_FOR_KAFKA(), { cause: error });
      throw Object.assign(new errors.UNAVAILABLE(), { cause: error });
    }
    const { department, resource } = found.mapping;
    const rejectedRecords = rejectedRecordCount(result);
    metrics.records.inc({ department, resource, outcome: 'accepted' }, result.accepted);
    metrics.records.inc({ department, resource, outcome: 'duplicate' }, result.duplicates);
    metrics.records.inc({ department, resource, outcome: 'rejected' }, rejectedRecords);
    await app.auditAccepted(request, what, {
      status: 202,
      records: { received: request.body.length, accepted: result.accepted, duplicates: result.duplicates, rejected: rejectedRecords },
    });
    return reply.code(202).send(result);
  });
};
