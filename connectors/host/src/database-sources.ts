import { existsSync, readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '@hub/runtime';

/** One department table polled by its (updated-at, key) watermark. */
export const DatabaseSourceSchema = Type.Object(
  {
    department: Type.String({ minLength: 1 }),
    resource: Type.String({ minLength: 1 }),
    connectionString: Type.String({ pattern: '^postgres(ql)?://' }),
    table: Type.String({ minLength: 1 }),
    keyColumn: Type.String({ minLength: 1 }),
    updatedAtColumn: Type.String({ minLength: 1 }),
    columns: Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1 }), { minProperties: 1 }),
    timeZone: Type.Optional(Type.String({ minLength: 1 })),
    pollIntervalMs: Type.Optional(Type.Integer({ minimum: 100 })),
    /** Read only rows whose updated-at is at least this old: longer than the department's longest write transaction. */
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
  },
  { additionalProperties: false },
);
export type DatabaseSource = Static<typeof DatabaseSourceSchema>;

const DatabaseSources = Type.Array(DatabaseSourceSchema);

/** CONNECTORS_DB_SOURCES: inline JSON, or the path of a JSON file; every problem is named. */
export function parseDatabaseSources(setting: string): DatabaseSource[] {
  const text = setting.trim();
  if (text === '') return [];
  let json = text;
  if (!text.startsWith('[')) {
    if (!existsSync(text)) throw new ConfigError([`CONNECTORS_DB_SOURCES: neither a JSON array nor an existing file: ${JSON.stringify(text)}`]);
    json = readFileSync(text, 'utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ConfigError([`CONNECTORS_DB_SOURCES: not valid JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
  const problems = [...Value.Errors(DatabaseSources, value)].map((e) => `CONNECTORS_DB_SOURCES${e.path.replace(/\//g, '.')}: ${e.message}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return value as DatabaseSource[];
}
