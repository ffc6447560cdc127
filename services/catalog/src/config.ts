import { Type, type Static } from '@sinclair/typebox';
import { commonConfig, loadConfig, refuseDevelopmentSecrets, secretProblem } from '@hub/runtime';

/** The catalog's configuration, from the environment; defaults work on one machine. */
export const configSchema = Type.Object({
  ...commonConfig,
  CATALOG_HOST: Type.String({ default: '127.0.0.1', description: 'Interface to listen on' }),
  CATALOG_PORT: Type.Integer({ default: 8081, minimum: 0, maximum: 65535, description: "Port (8081 is the registry's customary port)" }),
  CATALOG_TOPIC: Type.String({ default: '_schemas', pattern: '^[a-zA-Z0-9._-]{1,249}$', description: 'Compacted topic holding the registry state' }),
  CATALOG_OPERATOR_TOKEN: Type.Optional(Type.String({ minLength: 8, description: 'Bearer token writes need; unset: writes from loopback only (required when CATALOG_HOST is beyond loopback)' })),
  CATALOG_MAX_BODY_BYTES: Type.Integer({ default: 1_048_576, minimum: 1_024, maximum: 16_777_216, description: 'Largest request body; larger ones get 413' }),
  CATALOG_SEED_SCHEMAS: Type.Boolean({ default: true, description: "Register the hub's schemas from schemas/ at start" }),
  CATALOG_STORE_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 1_000, description: 'How long a write may wait for Kafka' }),
});

export type CatalogConfig = Static<typeof configSchema>;

/** The configuration; beyond loopback, writes need an operator token of a deployment's own. */
export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env): CatalogConfig {
  const config = loadConfig(configSchema, env);
  refuseDevelopmentSecrets('CATALOG_HOST', config.CATALOG_HOST, [['CATALOG_OPERATOR_TOKEN', secretProblem(config.CATALOG_OPERATOR_TOKEN)]]);
  return config;
}
