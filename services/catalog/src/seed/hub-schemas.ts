import { departments, eventTypes, schemaHistory, subjectName, type EventType } from '@hub/schemas';
import type { FastifyBaseLogger } from 'fastify';
import { RegistryFailure, type Catalog } from '../catalog.ts';
import type { SchemaMetadata } from '../metadata/government-metadata.ts';

/** One subject the hub's topics use, with its schema versions (oldest first) and catalogue metadata. */
export interface HubSubject {
  subject: string;
  versions: string[];
  metadata?: SchemaMetadata;
}

/**
 * The subjects of every event type in schemas/, as the topics use them
 * (TopicRecordNameStrategy, one subject per department for per-department
 * topics), released versions from history/ first. Shared records carry their
 * catalogue entry as metadata properties.
 */
export function hubSubjects(): HubSubject[] {
  return eventTypes.flatMap((eventType) => {
    const versions = schemaHistory(eventType.name).map(({ schema }) => JSON.stringify(schema));
    const metadata = catalogueMetadata(eventType);
    const subjects = eventType.topic.includes('<dept>')
      ? departments.map((d) => subjectName(eventType.topic.replace('<dept>', d.code), eventType.fullName))
      : [eventType.subject];
    return subjects.map((subject) => ({ subject, versions, ...(metadata ? { metadata } : {}) }));
  });
}

function catalogueMetadata(eventType: EventType): SchemaMetadata | undefined {
  if (eventType.area !== 'records') return undefined;
  const { ownerDepartment, sharingCondition, updateCycle, resourceCode, title } = eventType.catalogue;
  return { properties: { owner: ownerDepartment, sharing: sharingCondition, updateCycle, resourceCode, title } };
}

/**
 * Registers every hub schema that is not registered yet (what `npm start`
 * relies on). Already registered schemas answer their id and write nothing, so
 * this is safe at every start; a schema the catalog refuses is logged and
 * skipped, the catalog keeps serving.
 */
export async function seedHubSchemas(catalog: Catalog, logger: FastifyBaseLogger, subjects: HubSubject[] = hubSubjects()): Promise<void> {
  let registered = 0;
  for (const { subject, versions, metadata } of subjects) {
    for (const schema of versions) {
      try {
        const before = catalog.state.maxId;
        await catalog.execute({ type: 'RegisterSchema', data: { subject, schema, ...(metadata ? { metadata } : {}) } });
        if (catalog.state.maxId !== before) registered++;
      } catch (error) {
        const reason = error instanceof RegistryFailure ? JSON.stringify(error.error) : String(error);
        logger.warn({ subject, reason }, 'a hub schema was not registered');
      }
    }
  }
  logger.info({ subjects: subjects.length, newSchemas: registered }, "the hub's schemas are registered");
}
