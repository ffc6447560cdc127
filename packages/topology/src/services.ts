// What `npm start` runs, in start order, and how the services find each other.
import { departments, type DepartmentCode } from '@hub/schemas';

const env = process.env;
const local = (port: string | undefined, fallback: number) => `http://127.0.0.1:${port ?? fallback}`;

export interface HubService {
  name: string;
  /** Workspace folder; started with `node --import tsx src/server.ts` when it has one. */
  dir: string;
  url: string;
  note?: string;
}

export const services: HubService[] = [
  { name: 'catalog', dir: 'services/catalog', url: local(env.CATALOG_PORT, 8081), note: 'schema registry + resource catalogue; registers schemas/ at start' },
  { name: 'gateway', dir: 'services/gateway', url: local(env.GATEWAY_PORT, 8080), note: 'OpenAPI at /docs' },
  { name: 'connectors', dir: 'connectors/host', url: local(env.CONNECTORS_PORT, 8083), note: `drop folders under ${env.HUB_DATA_DIR ?? '.hub'}/drop` },
  { name: 'sinks', dir: 'connectors/sinks', url: local(env.SINKS_PORT, 8084), note: 'deliveries to department webhooks' },
  { name: 'router', dir: 'services/router', url: local(env.ROUTER_PORT, 8085) },
  { name: 'analytics', dir: 'services/analytics', url: local(env.ANALYTICS_PORT, 8088), note: 'figures API, OpenAPI at /docs' },
  { name: 'simulators', dir: 'simulators', url: local(env.SIMULATORS_PORT, 8090), note: 'department systems playing live traffic' },
];

export const departmentCodes = departments.map((d) => d.code) as DepartmentCode[];

/**
 * How the services find each other when only their ports were set: the catalog
 * as the schema registry, the gateway for the simulators' pushes, the router
 * for the gateway's data requests, and the
 * simulators' receivers as the departments' webhooks. A variable that is set
 * is left as it is.
 */
export function wiring(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const url = (name: string) => services.find((s) => s.name === name)!.url;
  return {
    SCHEMA_REGISTRY_URL: env.SCHEMA_REGISTRY_URL ?? url('catalog'),
    GATEWAY_URL: env.GATEWAY_URL ?? url('gateway'),
    GATEWAY_ROUTER_URL: env.GATEWAY_ROUTER_URL ?? url('router'),
    SINKS_WEBHOOKS: env.SINKS_WEBHOOKS ?? departmentCodes.map((d) => `${d}=${url('simulators')}/webhooks/${d}`).join(','),
  };
}
