// What `npm start` runs, in start order, and the topics the hub needs.
import { departments, eventTypes, loadSchema, topicFor, type DepartmentCode } from '@hub/schemas';
import type { Logger, TopicSpec } from '@hub/runtime';

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
  { name: 'catalog', dir: 'services/catalog', url: local(env.CATALOG_PORT, 8081), note: 'schema registry + resource catalogue' },
  { name: 'gateway', dir: 'services/gateway', url: local(env.GATEWAY_PORT, 8080), note: 'OpenAPI at /docs' },
  { name: 'connectors', dir: 'connectors/host', url: local(env.CONNECTORS_PORT, 8083), note: `drop folders under ${env.HUB_DATA_DIR ?? '.hub'}/drop` },
  { name: 'sinks', dir: 'connectors/sinks', url: local(env.SINKS_PORT, 8084), note: 'deliveries to department webhooks' },
  { name: 'router', dir: 'services/router', url: local(env.ROUTER_PORT, 8085) },
  { name: 'analytics', dir: 'services/analytics', url: local(env.ANALYTICS_PORT, 8088), note: 'dashboard' },
  { name: 'simulators', dir: 'connectors/simulators', url: local(env.SIMULATORS_PORT, 8090), note: 'department systems playing live traffic' },
];

const departmentCodes = departments.map((d) => d.code) as DepartmentCode[];

/** Every topic the hub writes, from the schema manifest, plus dead letters and ledgers. */
export function hubTopics(): TopicSpec[] {
  const topics = new Set<string>();
  for (const eventType of eventTypes) {
    if (eventType.topic.includes('<dept>')) for (const dept of departmentCodes) topics.add(topicFor(eventType.name, dept));
    else topics.add(eventType.topic);
  }
  for (const component of ['connectors', 'sinks', 'router', 'analytics']) topics.add(`dlq.${component}`);
  topics.add('audit.gateway');
  return [
    ...[...topics].map((topic) => ({ topic, partitions: 3 })),
    { topic: 'ledger.connectors', partitions: 1 },
  ];
}

/**
 * Registers every schema in schemas/ with the catalog under the subject its
 * topic uses (TopicRecordNameStrategy), with the resource catalogue metadata.
 */
export async function afterStart(logger: Logger, started: string[]): Promise<void> {
  if (!started.includes('catalog') && !env.SCHEMA_REGISTRY_URL) return;
  const registry = env.SCHEMA_REGISTRY_URL ?? local(env.CATALOG_PORT, 8081);
  const headers: Record<string, string> = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
  if (env.CATALOG_OPERATOR_TOKEN) headers.authorization = `Bearer ${env.CATALOG_OPERATOR_TOKEN}`;
  let registered = 0;
  for (const eventType of eventTypes) {
    const subjects = eventType.topic.includes('<dept>')
      ? departmentCodes.map((dept) => eventType.subject.replace('<dept>', dept))
      : [eventType.subject];
    const metadata = eventType.area === 'records'
      ? { properties: {
          owner: eventType.catalogue.ownerDepartment,
          sharing: eventType.catalogue.sharingCondition,
          updateCycle: eventType.catalogue.updateCycle,
          resourceCode: eventType.catalogue.resourceCode,
          title: eventType.catalogue.title,
        } }
      : undefined;
    for (const subject of subjects) {
      const response = await fetch(`${registry}/subjects/${encodeURIComponent(subject)}/versions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ schema: JSON.stringify(loadSchema(eventType.name)), ...(metadata ? { metadata } : {}) }),
      });
      if (!response.ok) throw new Error(`registering ${subject} failed: ${response.status} ${await response.text()}`);
      registered++;
    }
  }
  logger.info({ registered }, 'schemas registered with the catalog');
  console.log(`▶ ${registered} schemas registered with the catalog at ${registry}`);
}
