import { Type, type Static } from '@sinclair/typebox';
import { commonConfig, loadConfig } from '@hub/runtime';
import { departments } from '@hub/schemas';

/** Department connector packages the host looks for (`@hub/connector-<dept>`); a missing one is skipped with a warning. */
export const defaultConnectorModules = departments.map((d) => `@hub/connector-${d.code}`).join(',');

/** The connector host's configuration, from the environment; defaults work on one machine. */
export const configSchema = Type.Object({
  ...commonConfig,
  CONNECTORS_HOST: Type.String({ default: '127.0.0.1', description: 'Address /health and /metrics listen on' }),
  CONNECTORS_PORT: Type.Integer({ default: 8083, minimum: 0, maximum: 65535, description: 'Port of /health and /metrics' }),
  CONNECTORS_INSTANCE_ID: Type.String({
    default: '0',
    pattern: '^[A-Za-z0-9._-]{1,64}$',
    description: 'Stable id of this host instance: its transactional ids and ledgers are named after it; each concurrently running instance needs its own',
  }),
  CONNECTORS_MODULES: Type.String({
    default: defaultConnectorModules,
    pattern: '^[^,\\s]+(,[^,\\s]+)*$',
    description: 'Comma-separated modules (package names or file paths) exporting DepartmentConnector values',
  }),
  CONNECTORS_BATCH_SIZE: Type.Integer({ default: 5_000, minimum: 1, maximum: 10_000, description: 'Records per Kafka transaction' }),
  CONNECTORS_DROP_FOLDERS: Type.Boolean({ default: true, description: 'Watch <HUB_DATA_DIR>/drop/<dept>/<resource>/inbox' }),
  CONNECTORS_POLL_INTERVAL_MS: Type.Integer({ default: 1_000, minimum: 20, maximum: 600_000, description: 'How often drop-folder inboxes are listed' }),
  CONNECTORS_DB_SOURCES: Type.String({
    default: '',
    description: 'Database tables to poll: a JSON array (see the README), or the path of a file holding one; empty for none',
  }),
  CONNECTORS_DB_POLL_INTERVAL_MS: Type.Integer({ default: 5_000, minimum: 100, maximum: 3_600_000, description: 'How often each table is polled' }),
  CONNECTORS_MAX_FIELD_CHARS: Type.Integer({ default: 4_096, minimum: 64, maximum: 256 * 1024, description: 'Most characters of one field of a row or record (its mapping may allow fewer); longer: that record is dead-lettered naming the field' }),
  CONNECTORS_MAX_RECORD_BYTES: Type.Integer({ default: 64 * 1024, minimum: 1_024, maximum: 512 * 1024, description: 'Most UTF-8 bytes of one row or record (every name and value); more: that record is dead-lettered' }),
  CONNECTORS_MAX_LINE_BYTES: Type.Integer({ default: 16 * 1024 * 1024, minimum: 64 * 1024, maximum: 256 * 1024 * 1024, description: 'Most bytes of one JSON Lines line (longer: that line is rejected) or CSV record (longer: the file goes to failed/ past it)' }),
  CONNECTORS_MAX_JSON_DEPTH: Type.Integer({ default: 32, minimum: 4, maximum: 1_000, description: 'Deepest nesting of one JSON Lines line; deeper: that line is rejected' }),
  CONNECTORS_MAX_XLSX_INFLATED_BYTES: Type.Integer({ default: 512 * 1024 * 1024, minimum: 1024 * 1024, description: 'Most bytes an XLSX may unpack to; more (a zip bomb): the file goes to failed/' }),
  CONNECTORS_TRANSACTION_TIMEOUT_MS: Type.Integer({
    default: 30_000,
    minimum: 1_000,
    maximum: 900_000,
    description: 'How long the broker keeps a transaction of a crashed host open before aborting it',
  }),
});

export type HostConfig = Static<typeof configSchema>;

export function loadHostConfig(env: NodeJS.ProcessEnv = process.env): HostConfig {
  return loadConfig(configSchema, env);
}
