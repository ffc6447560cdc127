import type { SchemaVersion } from '../registry/events.ts';
import type { StoredSchema } from '../registry/state.ts';

/** A subject version as Confluent answers it: schemaType left out for AVRO, empty references left out. */
export function subjectVersionBody(version: SchemaVersion) {
  return {
    subject: version.subject,
    id: version.id,
    version: version.version,
    schema: version.schema,
    ...optionalParts(version),
  };
}

export function schemaByIdBody(stored: StoredSchema) {
  return { schema: stored.schema, ...optionalParts(stored) };
}

function optionalParts(content: Pick<SchemaVersion, 'references' | 'metadata' | 'ruleSet'>) {
  return {
    ...(content.references.length > 0 ? { references: content.references } : {}),
    ...(content.metadata === undefined ? {} : { metadata: content.metadata }),
    ...(content.ruleSet === undefined ? {} : { ruleSet: content.ruleSet }),
  };
}
