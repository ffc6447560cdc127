import { Type, type Static } from '@sinclair/typebox';
import { ConfigError, commonConfig, loadConfig, refuseDevelopmentSecrets, secretListProblem } from '@hub/runtime';
import { departments } from '@hub/schemas';

/**
 * Who may hold a gateway token: each department, the service-centre windows
 * (窗口), and the data centre's operator (运维), who keeps the item table.
 */
export const principals = [...departments.map((d) => d.code), 'window', 'operator'] as const;

const developmentTokens = principals.map((p) => `${p}=dev-${p}-token`).join(',');

/**
 * Configuration of the gateway. GATEWAY_TOKENS defaults to development tokens
 * (`dev-<dept>-token`, `dev-window-token`, `dev-operator-token`) that are
 * written here in the open: production must set its own, one long random
 * token per principal.
 */
export const configSchema = Type.Object({
  ...commonConfig,
  GATEWAY_HOST: Type.String({ default: '127.0.0.1', description: 'Address to listen on' }),
  GATEWAY_PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'Port to listen on' }),
  GATEWAY_MAX_BATCH: Type.Integer({ default: 1000, minimum: 1, maximum: 100_000, description: 'Most records one push may hold; more is refused with 413' }),
  GATEWAY_BODY_LIMIT: Type.Integer({ default: 16 * 1024 * 1024, minimum: 1024, description: 'Largest request body in bytes; more is refused with 413' }),
  GATEWAY_API_BODY_LIMIT: Type.Integer({ default: 256 * 1024, minimum: 1024, description: 'Largest body of a call other than a record push (cases, steps, items, agreements), in bytes; more is refused with 413' }),
  GATEWAY_RATE_LIMIT: Type.Integer({ default: 5_000, minimum: 0, description: 'Calls to /v1 one token may make within GATEWAY_RATE_WINDOW_MS (without a known token: one address); more are refused 429 with Retry-After; 0: no limit' }),
  GATEWAY_RATE_WINDOW_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 3_600_000, description: 'The window of GATEWAY_RATE_LIMIT, ms' }),
  GATEWAY_REQUEST_TIMEOUT_MS: Type.Integer({ default: 60_000, minimum: 1_000, maximum: 3_600_000, description: 'Longest time a client may take to send a whole request (headers and body); a slower one is cut off with 408' }),
  GATEWAY_HEADERS_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 1_000, maximum: 600_000, description: 'Longest time a client may take to send the request headers (at most GATEWAY_REQUEST_TIMEOUT_MS)' }),
  GATEWAY_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ default: 72_000, minimum: 1_000, maximum: 600_000, description: 'How long an idle keep-alive connection stays open' }),
  GATEWAY_MAX_JSON_DEPTH: Type.Integer({ default: 32, minimum: 4, maximum: 1_000, description: 'Deepest nesting (arrays and objects) of a JSON body, or of one NDJSON line; deeper is 400 naming the item (a line: that record rejected)' }),
  GATEWAY_MAX_FIELD_CHARS: Type.Integer({ default: 4_096, minimum: 64, maximum: 256 * 1024, description: 'Most characters of one field of a pushed record (its mappings may allow fewer); longer: the record is rejected naming the field' }),
  GATEWAY_MAX_RECORD_BYTES: Type.Integer({ default: 64 * 1024, minimum: 1_024, maximum: 512 * 1024, description: 'Most UTF-8 bytes of one pushed record (every name and value); more: the record is rejected' }),
  GATEWAY_TOKENS: Type.String({
    default: developmentTokens,
    pattern: '^[a-z]+=[^,=\\s]{8,}(,[a-z]+=[^,=\\s]{8,})*$',
    description: 'Bearer token per department, for the windows and for the operator: dept=token,...,window=token,operator=token (development defaults dev-<name>-token; production must set them)',
  }),
  GATEWAY_INSTANCE_ID: Type.String({
    default: 'gateway-1',
    pattern: '^[A-Za-z0-9._-]+$',
    description: 'Stable name of this instance: its Kafka transactional ids derive from it, so a restarted instance fences its previous life. Give each running instance its own.',
  }),
  GATEWAY_ROUTER_TIMEOUT_MS: Type.Integer({
    default: 30_000,
    minimum: 1_000,
    maximum: 600_000,
    description: 'How long a case step, a read or an answer to a data request waits for the router before the caller gets 503 and retries; longer than a router handover (its session timeout) rides one out. A data request waits 5 s more, so that the router\'s deadline of a forwarded one comes first',
  }),
  GATEWAY_ROUTER_TOKEN: Type.String({ default: '', description: 'Bearer token the gateway sends to the router\'s internal API (the router\'s ROUTER_INTERNAL_TOKEN); empty: none, for a router on loopback' }),
  GATEWAY_ROUTER_URL: Type.String({
    default: 'http://127.0.0.1:8085',
    pattern: '^https?://[^\\s]+$',
    description: 'The router\'s HTTP address: data requests (/v1/exchange/requests) are answered by its internal API',
  }),
  HUB_CALENDAR_FILE: Type.String({ default: '', description: 'Regional calendar overrides (packages/calendar), as the router has them: the due dates of agreements in lists are counted on it' }),
  GATEWAY_AUDIT_TOPIC: Type.String({ default: 'audit.gateway', minLength: 1, description: 'Topic of the audit trail (JSON)' }),
});

export type GatewayConfig = Static<typeof configSchema>;

/** The configuration; beyond loopback, the development tokens (and a missing operator token) stop the start. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig(configSchema, env);
  if (config.GATEWAY_HEADERS_TIMEOUT_MS > config.GATEWAY_REQUEST_TIMEOUT_MS) {
    throw new ConfigError([`GATEWAY_HEADERS_TIMEOUT_MS=${config.GATEWAY_HEADERS_TIMEOUT_MS}: longer than GATEWAY_REQUEST_TIMEOUT_MS=${config.GATEWAY_REQUEST_TIMEOUT_MS}, which includes the headers`]);
  }
  refuseDevelopmentSecrets('GATEWAY_HOST', config.GATEWAY_HOST, [['GATEWAY_TOKENS', secretListProblem(config.GATEWAY_TOKENS, { required: ['operator'] })]]);
  return config;
}
