import { Type, type Static } from '@sinclair/typebox';
import { commonConfig, loadConfig, refuseDevelopmentSecrets, secretProblem } from '@hub/runtime';

/** The router's configuration, from the environment; defaults work on one machine. */
export const configSchema = Type.Object({
  ...commonConfig,
  ROUTER_HOST: Type.String({ default: '127.0.0.1', description: 'Interface /health and /metrics listen on' }),
  ROUTER_PORT: Type.Integer({ default: 8085, minimum: 0, maximum: 65535, description: 'Port of /health and /metrics' }),
  ROUTER_INSTANCE_ID: Type.String({ default: 'router-1', pattern: '^[A-Za-z0-9._-]+$', description: 'Name of this instance in logs and its Kafka client id; the instances share one consumer group' }),
  ROUTER_TICK_INTERVAL_MS: Type.Integer({
    default: 10_000,
    minimum: 0,
    description: 'Live ticks of the supervision clock, per assigned partition; 0: the clock moves with event times only (a hub started for a history run)',
  }),
  ROUTER_WARNING_DAYS: Type.Integer({ default: 1, minimum: 0, maximum: 30, description: 'Working days left when supervision warns (预警)' }),
  ROUTER_CATALOGUE_REFRESH_MS: Type.Integer({
    default: 60_000,
    minimum: 100,
    maximum: 3_600_000,
    description: 'How often the catalogue is read again: a sharing condition the operator changed stops (or resumes) deliveries from then, and its agreements are suspended (or reinstated) with the reason',
  }),
  ROUTER_SESSION_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 6_000, maximum: 300_000, description: 'Consumer-group session: how long a killed instance holds its partitions' }),
  ROUTER_AUDIT_TOPIC: Type.String({
    default: 'audit.exchange',
    pattern: '^[A-Za-z0-9._-]+$',
    description: 'Topic of the exchange audit trail (留痕) the router chains every exchange.monitoring record into; as many partitions as exchange.monitoring',
  }),
  ROUTER_REQUEST_DEADLINE_MS: Type.Integer({
    default: 30_000,
    minimum: 100,
    maximum: 600_000,
    description: 'How long the owner\'s system has to answer a data request forwarded to it (a resource not streamed into the hub); then the request times out',
  }),
  ROUTER_REQUEST_LINGER_MS: Type.Integer({
    default: 5,
    minimum: 0,
    maximum: 100,
    description: 'Under load (a write round carried more than one question), how long the next round waits for more questions before it is written: fewer, larger produce requests, as Kafka 4.0\'s producer lingers 5 ms by default (KIP-1030); a question alone is written at once; 0: never wait',
  }),
  ROUTER_REQUESTS_KEPT_DAYS: Type.Integer({ default: 7, minimum: 1, maximum: 3_650, description: 'How long the router keeps a data request and its answer for GET (in its file under HUB_DATA_DIR; exchange.requests keeps them as long, so a file read anew has them all)' }),
  HUB_CALENDAR_FILE: Type.String({ default: '', description: 'Regional calendar overrides (JSON, see packages/calendar) on top of the official schedule; empty: the official one' }),
  ROUTER_INTERNAL_TOKEN: Type.String({ default: '', description: 'Bearer token the internal API (/internal/v1/...) requires, the gateway\'s GATEWAY_ROUTER_TOKEN; empty: none, allowed on loopback only' }),
});

export type RouterConfig = Static<typeof configSchema>;

/** The configuration; beyond loopback, the internal API needs a token. */
export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const config = loadConfig(configSchema, env);
  refuseDevelopmentSecrets('ROUTER_HOST', config.ROUTER_HOST, [['ROUTER_INTERNAL_TOKEN', secretProblem(config.ROUTER_INTERNAL_TOKEN)]]);
  return config;
}
