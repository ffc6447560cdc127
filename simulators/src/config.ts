import { type Static, Type } from '@sinclair/typebox';
import { commonConfig, loadConfig } from '@hub/runtime';
import { type DepartmentCode, departments } from '@hub/schemas';

const departmentCodes = departments.map((d) => d.code);
const departmentList = `(${departmentCodes.join('|')})`;

/** `dept=value,...`, e.g. `tax=secret1,ps=secret2`; empty means the development defaults. */
const departmentMap = (description: string) =>
  Type.String({ default: '', pattern: '^(|[a-z]+=[^,=\\s]+(,[a-z]+=[^,=\\s]+)*)$', description });

/**
 * Configuration of the department simulators. The defaults work on one
 * machine against the gateway's and the sinks' development defaults: token
 * `dev-<dept>-token`, secret `dev-<dept>-secret`.
 */
export const configSchema = Type.Object({
  ...commonConfig,
  SIMULATORS_HOST: Type.String({ default: '127.0.0.1', description: 'Address the webhook receivers listen on' }),
  SIMULATORS_PORT: Type.Integer({ default: 8090, minimum: 0, maximum: 65535, description: 'Port of the webhook receivers (POST /webhooks/{dept}), /health and /metrics' }),
  SIMULATORS_DEPARTMENTS: Type.String({
    default: 'tax,ps,land,market,civil',
    pattern: `^${departmentList}(,${departmentList})*$`,
    description: 'Departments to simulate, comma-separated',
  }),
  SIMULATORS_RATE: Type.Number({ default: 5, minimum: 0, description: 'Records per second each department pushes to the gateway; 0 turns the emitters off' }),
  SIMULATORS_BATCH_SIZE: Type.Integer({ default: 10, minimum: 1, maximum: 1000, description: 'Records per push' }),
  SIMULATORS_BAD_SHARE: Type.Number({ default: 0.05, minimum: 0, maximum: 1, description: 'Share of pushed records that are bad on purpose' }),
  SIMULATORS_SEED: Type.Optional(Type.Integer({ description: 'Seed of the random generator; a new one each start when unset' })),
  SIMULATORS_FAILURE_SHARE: Type.Number({ default: 0, minimum: 0, maximum: 1, description: 'Share of webhook deliveries answered 503 (failure injection)' }),
  SIMULATORS_SLOW_SHARE: Type.Number({ default: 0, minimum: 0, maximum: 1, description: 'Share of webhook deliveries answered slowly' }),
  SIMULATORS_SLOW_MS: Type.Integer({ default: 2000, minimum: 0, description: 'Delay of a slow webhook answer, ms' }),
  GATEWAY_URL: Type.String({ default: 'http://127.0.0.1:8080', pattern: '^https?://[^\\s]+$', description: 'Gateway the emitters push to' }),
  SIMULATORS_TOKENS: departmentMap('Gateway bearer token per department, dept=token,... (default dev-<dept>-token)'),
  SIMULATORS_SECRETS: departmentMap('Webhook HMAC secret per department, dept=secret,... (default dev-<dept>-secret)'),
});

export type SimulatorsConfig = Static<typeof configSchema>;

export function loadSimulatorsConfig(env: NodeJS.ProcessEnv = process.env): SimulatorsConfig {
  return loadConfig(configSchema, env);
}

export function simulatedDepartments(config: SimulatorsConfig): DepartmentCode[] {
  return [...new Set(config.SIMULATORS_DEPARTMENTS.split(','))].filter((code): code is DepartmentCode => departmentCodes.includes(code as DepartmentCode));
}

/**
 * Each simulated department's value from a `dept=value,...` list, falling back
 * to the development default `dev-<dept>-<kind>`.
 */
export function perDepartment(list: string, departmentsSimulated: readonly DepartmentCode[], kind: 'token' | 'secret'): Map<DepartmentCode, string> {
  const given = new Map(list.split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
  return new Map(departmentsSimulated.map((department) => [department, given.get(department) ?? `dev-${department}-${kind}`]));
}
