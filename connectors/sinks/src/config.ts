import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { commonConfig, loadConfig, refuseDevelopmentSecrets, secretListProblem } from '@hub/runtime';
import { departments, type DepartmentCode } from '@hub/schemas';

const departmentCodes = departments.map((d) => d.code);

/** `dept=value,...` lists, e.g. `tax=http://tax.example/hook,ps=http://ps.example/hook`. */
const departmentMap = (description: string, defaultValue: string) =>
  Type.String({ default: defaultValue, pattern: '^$|^([a-z]+=[^,=\\s]+)(,[a-z]+=[^,=\\s]+)*$', description });

const defaultWebhooks = departmentCodes.map((d) => `${d}=http://127.0.0.1:8090/webhooks/${d}`).join(',');
const defaultSecrets = departmentCodes.map((d) => `${d}=dev-${d}-secret`).join(',');

/**
 * Configuration of the outbound sinks. The defaults reach the department
 * simulators on one machine with development secrets; production must set
 * SINKS_WEBHOOKS and SINKS_SECRETS to each department's real endpoint and a
 * secret agreed with it.
 */
export const configSchema = Type.Object({
  ...commonConfig,
  SINKS_HOST: Type.String({ default: '127.0.0.1', description: 'Address the health and metrics endpoint listens on' }),
  SINKS_PORT: Type.Integer({ default: 8084, minimum: 0, maximum: 65535, description: 'Port of the health and metrics endpoint' }),
  SINKS_DEPARTMENTS: Type.String({
    default: departmentCodes.join(','),
    pattern: `^(${departmentCodes.join('|')})(,(${departmentCodes.join('|')}))*$`,
    description: 'Departments whose deliveries.<dept> topic this instance delivers',
  }),
  SINKS_WEBHOOKS: departmentMap('Webhook URL per department, dept=url,...', defaultWebhooks),
  SINKS_OUTBOXES: departmentMap('Departments whose system takes files instead of a webhook: dept=folder,... (a relative folder is under HUB_DATA_DIR); each delivery is written there as <time>-<event id>.json with its signature in .json.sha256', ''),
  SINKS_SECRETS: departmentMap('HMAC-SHA256 secret per department, dept=secret,... (development defaults dev-<dept>-secret)', defaultSecrets),
  SINKS_GROUP_ID: Type.String({ default: 'hub-sinks', minLength: 1, description: 'Consumer group prefix; each department consumes in group <prefix>.<dept>' }),
  SINKS_CONCURRENCY: Type.Integer({ default: 8, minimum: 1, maximum: 256, description: 'Webhook requests in flight at once per department' }),
  SINKS_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 10, description: 'Timeout of one webhook request' }),
  SINKS_MAX_ATTEMPTS: Type.Integer({ default: 8, minimum: 1, maximum: 100, description: 'Attempts before a transiently failing delivery goes to dlq.sinks' }),
  SINKS_BACKOFF_BASE_MS: Type.Integer({ default: 500, minimum: 0, description: 'Backoff ceiling of the first retry; doubles with each retry (full jitter)' }),
  SINKS_BACKOFF_MAX_MS: Type.Integer({ default: 60_000, minimum: 0, description: 'Largest backoff ceiling' }),
  SINKS_DLQ_TOPIC: Type.String({ default: 'dlq.sinks', minLength: 1, description: 'Dead-letter topic of deliveries that failed' }),
});

export type SinksConfig = Static<typeof configSchema>;

/** The configuration; beyond loopback, the development webhook secrets stop the start. */
export function loadSinksConfig(env: NodeJS.ProcessEnv = process.env): SinksConfig {
  const config = loadConfig(configSchema, env);
  refuseDevelopmentSecrets('SINKS_HOST', config.SINKS_HOST, [['SINKS_SECRETS', secretListProblem(config.SINKS_SECRETS)]]);
  return config;
}

/** Parses `dept=value,...`; unknown department codes are a configuration error. */
export function parseDepartmentMap(text: string, variable: string): Map<DepartmentCode, string> {
  const map = new Map<DepartmentCode, string>();
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    const department = pair.slice(0, at);
    if (!departmentCodes.includes(department as DepartmentCode)) {
      throw new Error(`${variable}: unknown department "${department}" (known: ${departmentCodes.join(', ')})`);
    }
    map.set(department as DepartmentCode, pair.slice(at + 1));
  }
  return map;
}

/**
 * The departments this instance serves, each with its target (its webhook, or
 * its outbox folder as a file URL) and secret; a missing one stops the start.
 */
export function departmentTargets(config: SinksConfig): Array<{ department: DepartmentCode; url: string; secret: string }> {
  const webhooks = parseDepartmentMap(config.SINKS_WEBHOOKS, 'SINKS_WEBHOOKS');
  const outboxes = parseDepartmentMap(config.SINKS_OUTBOXES, 'SINKS_OUTBOXES');
  const secrets = parseDepartmentMap(config.SINKS_SECRETS, 'SINKS_SECRETS');
  const wanted = [...new Set(config.SINKS_DEPARTMENTS.split(','))] as DepartmentCode[];
  return wanted.map((department) => {
    const outbox = outboxes.get(department);
    const url = outbox === undefined ? webhooks.get(department) : pathToFileURL(isAbsolute(outbox) ? outbox : resolve(config.HUB_DATA_DIR, outbox)).href;
    const secret = secrets.get(department);
    if (url === undefined) throw new Error(`SINKS_WEBHOOKS has no webhook for department ${department}`);
    if (secret === undefined) throw new Error(`SINKS_SECRETS has no secret for department ${department}`);
    if (outbox === undefined && !/^https?:\/\//.test(url)) throw new Error(`SINKS_WEBHOOKS: the webhook of ${department} must be an http(s) URL, got ${url}`);
    return { department, url, secret };
  });
}
