import { readdirSync, readFileSync } from 'node:fs';
import avro from 'avsc';
import type { Type } from 'avsc';
import type { EventName } from '../generated/types.ts';
import { logicalTypes } from './logical/index.ts';
import { eventType } from './manifest.ts';
import type { AvroTypeJson, RecordSchemaJson } from './schema-json.ts';

/** The package folder; .avsc paths in the manifest are relative to it. */
export const packageRoot = new URL('../', import.meta.url);

const schemas = new Map<EventName, RecordSchemaJson>();
const types = new Map<EventName, Type>();

/** The current schema of an event type, as parsed JSON (frozen, shared). */
export function loadSchema(name: EventName): RecordSchemaJson {
  let schema = schemas.get(name);
  if (!schema) {
    schema = readSchemaFile(new URL(eventType(name).file, packageRoot));
    schemas.set(name, schema);
  }
  return schema;
}

/**
 * Parses any Avro schema with the hub's logical types (time → Date, date → 'YYYY-MM-DD',
 * decimal → string). A malformed logical type (a decimal without precision) throws instead
 * of quietly falling back to its underlying type, so a schema mistake cannot reach a topic.
 */
export function createAvroType(schema: AvroSchema): Type {
  return avro.Type.forSchema(schema as never, { logicalTypes, assertLogicalTypes: true });
}

/** The avsc type of an event type's current schema (cached). */
export function avroType(name: EventName): Type {
  let type = types.get(name);
  if (!type) {
    type = createAvroType(loadSchema(name));
    types.set(name, type);
  }
  return type;
}

export interface SchemaVersion {
  version: number;
  schema: RecordSchemaJson;
}

/** Released versions from history/ in order, then the current one; register them in this order. */
export function schemaHistory(name: EventName): SchemaVersion[] {
  const pattern = new RegExp(`^${name}\\.v(\\d+)\\.avsc$`);
  const previous = readdirSync(new URL('history/', packageRoot))
    .map((file) => ({ file, version: Number(pattern.exec(file)?.[1] ?? Number.NaN) }))
    .filter(({ version }) => Number.isInteger(version))
    .sort((a, b) => a.version - b.version)
    .map(({ file, version }) => ({ version, schema: readSchemaFile(new URL(`history/${file}`, packageRoot)) }));
  const last = previous.at(-1)?.version ?? 0;
  return [...previous, { version: last + 1, schema: loadSchema(name) }];
}

/** Schema JSON (a parsed .avsc or a registry's schema string, parsed) or an avsc type. */
export type AvroSchema = AvroTypeJson | Type;

function readSchemaFile(url: URL): RecordSchemaJson {
  return deepFreeze(JSON.parse(readFileSync(url, 'utf8')) as RecordSchemaJson);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
