import { Type, type Static } from '@sinclair/typebox';
import { commonConfig, loadConfig } from '@hub/runtime';

/** The analytics service's configuration, from the environment; defaults work on one machine. */
export const configSchema = Type.Object({
  ...commonConfig,
  ANALYTICS_HOST: Type.String({ default: '127.0.0.1', description: 'Interface the figures API, /docs, /health and /metrics listen on' }),
  ANALYTICS_PORT: Type.Integer({ default: 8088, minimum: 0, maximum: 65535, description: 'Port of the figures API' }),
  ANALYTICS_INSTANCE_ID: Type.String({ default: 'analytics-1', pattern: '^[A-Za-z0-9._-]+$', description: 'Name of this instance in logs and its Kafka client id; the instances share one consumer group' }),
  ANALYTICS_GROUP_ID: Type.String({ default: 'hub-analytics', pattern: '^[A-Za-z0-9._-]+$', description: 'Consumer group of the projection; a rebuild reads the topics again under a new one' }),
  ANALYTICS_BATCH_ROWS: Type.Integer({ default: 50_000, minimum: 1, maximum: 1_000_000, description: 'Records one insert takes at most' }),
  ANALYTICS_BATCH_MS: Type.Integer({ default: 1_000, minimum: 10, maximum: 60_000, description: 'Longest a record waits for its insert' }),
  ANALYTICS_SESSION_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 6_000, maximum: 300_000, description: 'Consumer-group session: how long a killed instance holds its partitions' }),
  ANALYTICS_PROJECTION: Type.Boolean({ default: true, description: 'Run the projection (false: serve the figures of the store only, e.g. a read replica)' }),
  CLICKHOUSE_URL: Type.String({ default: '', pattern: '^(https?://[^\\s]+)?$', description: 'A ClickHouse server (http://user:password@host:8123); empty: embedded ClickHouse (chDB) under HUB_DATA_DIR/analytics/clickhouse' }),
  CLICKHOUSE_DATABASE: Type.String({ default: 'hub', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Database of the projection' }),
  HUB_CALENDAR_FILE: Type.String({ default: '', description: 'Regional calendar overrides (JSON, see packages/calendar), as the router takes them; empty: the official schedule' }),
});

export type AnalyticsConfig = Static<typeof configSchema>;

export function loadAnalyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  return loadConfig(configSchema, env);
}
