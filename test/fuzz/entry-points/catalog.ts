import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, loadCatalogConfig } from '@hub/catalog';
import { readCommitted } from '@hub/connector-core/testing';
import { createKafka, createLogger } from '@hub/runtime';
import { schemaInput, type SchemaInput } from '../arbitraries/schemas.ts';
import { jsonText } from '../arbitraries/values.ts';
import type { EntryPoint } from '../kit/entry-point.ts';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** A URL can carry only well-formed text: a lone surrogate is sent as U+FFFD, as a browser would. */
const pathPart = (text: string) => encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/** The real catalog app (in-process, driven by inject) on its own state topic. */
export async function catalogUnderFuzz(brokers: string): Promise<{ api: EntryPoint<SchemaInput>; app: FastifyInstance; close(): Promise<void> }> {
  const logger = createLogger('fuzz-catalog', process.env.FUZZ_LOG_LEVEL ?? 'silent');
  const topic = `_schemas-fuzz.${randomUUID().slice(0, 8)}`;
  const app = await buildApp(loadCatalogConfig({ KAFKA_BROKERS: brokers, CATALOG_TOPIC: topic, CATALOG_SEED_SCHEMAS: 'false', LOG_LEVEL: 'silent' }), { logger });
  await app.ready();
  const kafka = createKafka({ brokers, clientId: 'fuzz-catalog-reader', logger });
  let n = 0;
  const post = (url: string, body: unknown) => app.inject({ method: 'POST', url, headers: { 'content-type': CONTENT_TYPE }, payload: jsonText(body) });
  const reasonOf = (body: string): string | undefined => {
    try {
      const error = JSON.parse(body) as { error_code?: unknown; message?: unknown };
      return typeof error.message === 'string' && error.message !== '' && typeof error.error_code === 'number' ? `${error.error_code}: ${error.message}` : undefined;
    } catch {
      return undefined;
    }
  };

  const api: EntryPoint<SchemaInput> = {
    name: 'catalog schema registry API',
    arbitrary: schemaInput,
    concurrency: Number(process.env.FUZZ_CONCURRENCY ?? 16),
    async send({ route, atGood, subject, body, version }) {
      n += 1;
      // The good schema beside each hostile request: a record of its own under a subject of its own.
      const good = `fuzz.good-${process.pid}-${n}-value`;
      const goodSchema = { type: 'record', name: `Good${n}`, namespace: 'gov.hub.fuzz', fields: [{ name: 'idNumber', type: 'string' }, { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }] };
      const registered = await post(`/subjects/${encodeURIComponent(good)}/versions`, { schema: JSON.stringify(goodSchema) });
      const target = pathPart(atGood ? good : subject);
      const url = route === 'register' ? `/subjects/${target}/versions`
        : route === 'lookup' ? `/subjects/${target}`
          : `/compatibility/subjects/${target}/versions/${pathPart(version)}?verbose=true`;
      const hostile = await post(url, body);
      const worst = registered.statusCode >= 500 ? registered : hostile;
      const refusedGood = registered.statusCode === 200 ? 0 : 1;
      return {
        status: worst.statusCode,
        reason: worst.statusCode >= 400 ? reasonOf(worst.body) : undefined,
        expected: registered.statusCode === 200 ? [good] : [],
        refusedGood,
      };
    },
    async missing(expected) {
      // The registry's state is its topic: every subject answered 200 has its version there.
      const subjects = new Set((await readCommitted(kafka, topic, 120_000)).map((m) => {
        try {
          return (JSON.parse(m.key ?? '') as { subject?: string }).subject;
        } catch {
          return undefined;
        }
      }));
      return [...expected].filter((s) => !subjects.has(s));
    },
  };
  return { api, app, close: () => app.close() };
}
