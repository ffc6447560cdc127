import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * One validated configuration per service. Each service declares a TypeBox
 * object whose keys are environment variable names, with defaults that work on
 * one machine; `loadConfig` fills defaults, converts strings to numbers and
 * booleans, and stops the start with a message naming every bad variable.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig<T extends TObject>(schema: T, env: NodeJS.ProcessEnv = process.env): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const candidate = Value.Convert(schema, Value.Default(schema, raw));
  const problems = [...Value.Errors(schema, candidate)].map((e) => {
    const variable = e.path.replace(/^\//, '') || '(root)';
    return `${variable}=${JSON.stringify(raw[variable] ?? null)}: ${e.message}`;
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return candidate as Static<T>;
}

/** Variables every service shares, spread into each service's own schema. */
export const commonConfig = {
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092', pattern: '^[^,\\s]+(,[^,\\s]+)*$', description: 'Comma-separated Kafka bootstrap servers' }),
  SCHEMA_REGISTRY_URL: Type.String({ default: 'http://127.0.0.1:8081', pattern: '^https?://[^\\s]+$', description: 'Confluent-compatible schema registry (the catalog by default)' }),
  HUB_DATA_DIR: Type.String({ default: '.hub', description: 'Folder for runtime data (drop folders, ledgers, embedded stores)' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
};

export function brokerList(brokers: string): string[] {
  return brokers.split(',').map((b) => b.trim()).filter(Boolean);
}
