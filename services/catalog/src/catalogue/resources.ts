import type { CatalogueResource, ResourceFilter, TaggedField } from '@hub/catalogue-client';
import { taggedFields } from '../avro/field-tags.ts';
import { maskingTags } from '../metadata/government-metadata.ts';
import type { SchemaVersion } from '../registry/events.ts';
import { listSubjects, referencedDefinitions, versionsOf } from '../registry/queries.ts';
import type { RegistryState } from '../registry/state.ts';

/** The catalogue (政务信息资源目录): the latest live version of each subject with its government metadata, filtered. */
export function listResources(state: RegistryState, filter: ResourceFilter = {}): CatalogueResource[] {
  return listSubjects(state)
    .map((subject) => versionsOf(state, subject).at(-1))
    .filter((version): version is SchemaVersion => version !== undefined)
    .map((version) => toResource(version, state))
    .filter((resource) => (filter.department === undefined || resource.owner === filter.department)
      && (filter.condition === undefined || resource.sharing === filter.condition));
}

/** Fields of a version with tags, inline or from `metadata.tags`. */
export function taggedFieldsOf(version: SchemaVersion, state: RegistryState): TaggedField[] {
  const json = parseJson(version.schema);
  return json === undefined ? [] : taggedFields(json, version.metadata?.tags ?? {}, referencedDefinitions(state, version.references));
}

function toResource(version: SchemaVersion, state: RegistryState): CatalogueResource {
  const properties = version.metadata?.properties ?? {};
  const json = parseJson(version.schema);
  const record = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const name = typeof record.name === 'string' ? record.name : null;
  const namespace = typeof record.namespace === 'string' ? record.namespace : null;
  const fields = taggedFieldsOf(version, state);
  return {
    subject: version.subject,
    version: version.version,
    id: version.id,
    record: name === null ? null : name.includes('.') || namespace === null ? name : `${namespace}.${name}`,
    description: typeof record.doc === 'string' ? record.doc : null,
    resourceCode: properties.resourceCode ?? null,
    title: properties.title ?? null,
    owner: properties.owner ?? null,
    sharing: properties.sharing ?? null,
    updateCycle: properties.updateCycle ?? null,
    taggedFields: fields,
    maskedFields: fields.filter((f) => f.tags.some((tag) => maskingTags.includes(tag))).map((f) => f.path),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
