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
  GATEWAY_URL: Type.String({ default: 'http://127.0.0.1:8080', pattern: '^https?://[^\\s]+$', description: 'Gateway the emitters push to and the case traffic goes to' }),
  SIMULATORS_TOKENS: departmentMap('Gateway bearer token per department and of the window, name=token,... (default dev-<dept>-token each, window=dev-window-token)'),
  SIMULATORS_SECRETS: departmentMap('Webhook HMAC secret per department, dept=secret,... (default dev-<dept>-secret)'),
  // Live case traffic (办件): a service-centre window submitting cases and moving them along, the departments answering.
  SIMULATORS_CASE_RATE: Type.Number({ default: 6, minimum: 0, description: 'Cases per minute the window submits; 0 turns the case traffic off' }),
  SIMULATORS_CASE_POLL_MS: Type.Integer({ default: 3000, minimum: 10, description: 'How often the window looks at each case it moves along (GET /v1/cases/{id}), ms' }),
  SIMULATORS_CASE_STEP_MS: Type.Integer({ default: 2000, minimum: 0, description: 'Time the window or the lead takes for a step (acceptance, decision, fee, certificate, delivery, review), ms' }),
  SIMULATORS_SUPPLEMENT_MS: Type.Integer({ default: 15_000, minimum: 0, description: 'Time the applicant takes to bring supplementary material (补正), ms' }),
  SIMULATORS_CASE_STALE_MS: Type.Integer({ default: 600_000, minimum: 1000, description: 'A case that has not moved for this long is forgotten (a co-approver not simulated, say), ms' }),
  SIMULATORS_INTAKE_REFUSAL_SHARE: Type.Number({ default: 0.05, minimum: 0, maximum: 1, description: 'Share of cases the window refuses at intake (不予受理)' }),
  SIMULATORS_LEAD_REFUSAL_SHARE: Type.Number({ default: 0.05, minimum: 0, maximum: 1, description: 'Share of cases the lead department refuses (不予许可) when every co-approver granted' }),
  SIMULATORS_REVIEW_SHARE: Type.Number({ default: 0.8, minimum: 0, maximum: 1, description: 'Share of delivered cases the applicant reviews (好差评)' }),
  SIMULATORS_REFUSE_SHARE: Type.Number({ default: 0.05, minimum: 0, maximum: 1, description: 'Share of co-approval requests a department refuses (不同意)' }),
  SIMULATORS_SUPPLEMENT_SHARE: Type.Number({ default: 0.1, minimum: 0, maximum: 1, description: 'Share of co-approval requests answered with a request for supplementary material (补正)' }),
  SIMULATORS_ANSWER_MEDIAN_MS: Type.Integer({ default: 5000, minimum: 0, description: 'Median time a department takes to answer a co-approval request (lognormal), ms' }),
  SIMULATORS_ANSWER_MAX_MS: Type.Integer({ default: 60_000, minimum: 0, description: 'Longest time a department takes to answer a co-approval request, ms' }),
  SIMULATORS_ANSWER_ALL: Type.Boolean({
    default: false,
    description: 'Answer every co-approval request the webhooks get, not only those of the cases this window submitted (leave off while a history run sends its own answers); likewise approve every pending request for a simulated owner\'s data',
  }),
  // Data sharing (数据共享): the departments' agreements on each other's resources, and their windows' questions.
  SIMULATORS_SUBSCRIBE: Type.Boolean({
    default: true,
    description: 'Each simulated department asks for the sharing agreements of the subscription table it does not have yet, and the owners approve them; false: only the agreements there are',
  }),
  SIMULATORS_AGREEMENT_POLL_MS: Type.Integer({
    default: 30_000,
    minimum: 100,
    description: 'How often the departments look at their agreements: subscribers for missing ones, owners for requests left waiting (a notice that did not reach the webhook), ms',
  }),
  SIMULATORS_QUESTION_RATE: Type.Number({
    default: 4,
    minimum: 0,
    description: 'Data requests per minute the windows ask under granted agreements (mostly verifications, 核验); 0 turns them off',
  }),
});

export type SimulatorsConfig = Static<typeof configSchema>;

export function loadSimulatorsConfig(env: NodeJS.ProcessEnv = process.env): SimulatorsConfig {
  return loadConfig(configSchema, env);
}

export function simulatedDepartments(config: SimulatorsConfig): DepartmentCode[] {
  return [...new Set(config.SIMULATORS_DEPARTMENTS.split(','))].filter((code): code is DepartmentCode => departmentCodes.includes(code as DepartmentCode));
}

/**
 * Each named value from a `name=value,...` list, falling back to the
 * development default `dev-<name>-<kind>`.
 */
export function perDepartment<Name extends string = DepartmentCode>(list: string, names: readonly Name[], kind: 'token' | 'secret'): Map<Name, string> {
  const given = new Map(list.split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
  return new Map(names.map((name) => [name, given.get(name) ?? `dev-${name}-${kind}`]));
}

/** Who calls the gateway's case routes: the service-centre window (综合受理窗口) or a department. */
export type Principal = DepartmentCode | 'window';

/**
 * The gateway bearer token of every department (simulated or not: the lead of
 * a case decides with its own token) and of the window, from SIMULATORS_TOKENS.
 */
export function gatewayTokens(config: Pick<SimulatorsConfig, 'SIMULATORS_TOKENS'>): ReadonlyMap<Principal, string> {
  return perDepartment<Principal>(config.SIMULATORS_TOKENS, [...departmentCodes, 'window'], 'token');
}
