import { parseAvroSchema, InvalidAvroSchema, type ParsedAvroSchema, type ResolvedReference } from '../avro/avro-schema.ts';
import { checkCompatibility, type CompatibilityLevel, type CompatibilityVerdict } from '../avro/compatibility.ts';
import { stableStringify } from '../avro/canonical-form.ts';
import type { SchemaMetadata } from '../metadata/government-metadata.ts';
import type { Mode, SchemaReference, SchemaVersion } from './events.ts';
import { fail, ok, type Result } from './errors.ts';
import type { RegistryState, StoredSchema } from './state.ts';
import { LATEST, parseVersionId } from './version-id.ts';

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';
export const DEFAULT_MODE: Mode = 'READWRITE';

export type DeletedFilter = 'exclude' | 'include' | 'only';

/** Versions of a subject in ascending order. */
export function versionsOf(state: RegistryState, subject: string, deleted: DeletedFilter = 'exclude'): SchemaVersion[] {
  const versions = [...(state.subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version);
  if (deleted === 'include') return versions;
  return versions.filter((v) => v.deleted === (deleted === 'only'));
}

export function hasSubject(state: RegistryState, subject: string, includeDeleted: boolean): boolean {
  return versionsOf(state, subject, includeDeleted ? 'include' : 'exclude').length > 0;
}

export function listSubjects(state: RegistryState, options: { prefix?: string; deleted?: DeletedFilter } = {}): string[] {
  const prefix = options.prefix ?? '';
  return [...state.subjects.keys()]
    .filter((subject) => subject.startsWith(prefix) && versionsOf(state, subject, options.deleted ?? 'exclude').length > 0)
    .sort();
}

export function listVersions(state: RegistryState, subject: string, deleted: DeletedFilter = 'exclude'): Result<number[]> {
  if (!hasSubject(state, subject, deleted !== 'exclude')) return fail({ type: 'SubjectNotFound', subject });
  return ok(versionsOf(state, subject, deleted).map((v) => v.version));
}

/** A version by its number or `latest`, with Confluent's errors: 42202, then 40401 or 40402. */
export function getVersion(state: RegistryState, subject: string, versionText: string, includeDeleted = false): Result<SchemaVersion> {
  const versionId = parseVersionId(versionText);
  if (typeof versionId !== 'number') return fail(versionId);
  const candidates = versionsOf(state, subject, includeDeleted ? 'include' : 'exclude');
  const found = versionId === LATEST ? candidates.at(-1) : candidates.find((v) => v.version === versionId);
  if (found) return ok(found);
  if (!hasSubject(state, subject, includeDeleted)) return fail({ type: 'SubjectNotFound', subject });
  return fail({ type: 'VersionNotFound', subject, version: versionId });
}

export function schemaById(state: RegistryState, id: number): Result<StoredSchema> {
  const stored = state.schemas.get(id);
  return stored ? ok(stored) : fail({ type: 'SchemaNotFound', id });
}

/** Subject versions that use an id, in subject then version order. */
export function usesOfId(state: RegistryState, id: number, includeDeleted = false): Result<Array<{ subject: string; version: number }>> {
  const stored = state.schemas.get(id);
  if (!stored) return fail({ type: 'SchemaNotFound', id });
  const uses = [...stored.usedBy]
    .map((key) => {
      const [subject = '', version = '0'] = key.split('\u0000');
      return state.subjects.get(subject)?.get(Number(version));
    })
    .filter((v): v is SchemaVersion => v !== undefined && (includeDeleted || !v.deleted))
    .sort((a, b) => a.subject.localeCompare(b.subject) || a.version - b.version)
    .map(({ subject, version }) => ({ subject, version }));
  return ok(uses);
}

export function compatibilityInScope(state: RegistryState, subject: string): CompatibilityLevel {
  return state.subjectCompatibility.get(subject) ?? state.globalCompatibility ?? DEFAULT_COMPATIBILITY;
}

export function modeInScope(state: RegistryState, subject: string): Mode {
  return state.subjectModes.get(subject) ?? state.globalMode ?? DEFAULT_MODE;
}

/** GET /config[/subject]: a subject without its own level is 40408 unless `defaultToGlobal`. */
export function compatibilityOf(state: RegistryState, subject: string | null, defaultToGlobal = false): Result<CompatibilityLevel> {
  if (subject === null) return ok(state.globalCompatibility ?? DEFAULT_COMPATIBILITY);
  const own = state.subjectCompatibility.get(subject);
  if (own) return ok(own);
  if (defaultToGlobal) return ok(state.globalCompatibility ?? DEFAULT_COMPATIBILITY);
  return fail({ type: 'SubjectCompatibilityNotConfigured', subject });
}

export function modeOf(state: RegistryState, subject: string | null, defaultToGlobal = false): Result<Mode> {
  if (subject === null) return ok(state.globalMode ?? DEFAULT_MODE);
  const own = state.subjectModes.get(subject);
  if (own) return ok(own);
  if (defaultToGlobal) return ok(state.globalMode ?? DEFAULT_MODE);
  return fail({ type: 'SubjectModeNotConfigured', subject });
}

/** The texts of the schemas references point at, followed recursively. */
export function resolveReferences(state: RegistryState, references: readonly SchemaReference[], depth = 0): Result<ResolvedReference[]> {
  if (depth > 32) return fail({ type: 'InvalidSchema', reason: 'references nest deeper than 32 levels (a cycle?)' });
  const resolved: ResolvedReference[] = [];
  for (const reference of references) {
    const target = getVersion(state, reference.subject, String(reference.version), true);
    if (!target.ok) {
      return fail({ type: 'InvalidSchema', reason: `reference ${reference.name} points at subject ${JSON.stringify(reference.subject)} version ${reference.version}, which is not registered` });
    }
    const nested = resolveReferences(state, target.value.references, depth + 1);
    if (!nested.ok) return nested;
    resolved.push({ name: reference.name, schema: target.value.schema, references: nested.value });
  }
  return ok(resolved);
}

export function parseSchema(state: RegistryState, schema: string, references: readonly SchemaReference[]): Result<ParsedAvroSchema> {
  const resolved = resolveReferences(state, references);
  if (!resolved.ok) return resolved;
  try {
    return ok(parseAvroSchema(schema, resolved.value));
  } catch (error) {
    if (error instanceof InvalidAvroSchema) return fail({ type: 'InvalidSchema', reason: error.message });
    throw error;
  }
}

/** Referenced schemas as JSON, for finding tagged fields of referenced records. */
export function referencedDefinitions(state: RegistryState, references: readonly SchemaReference[]): unknown[] {
  const resolved = resolveReferences(state, references);
  if (!resolved.ok) return [];
  const definitions: unknown[] = [];
  const walk = (list: ResolvedReference[]): void => {
    for (const reference of list) {
      walk(reference.references);
      try {
        definitions.push(JSON.parse(reference.schema));
      } catch {
        // stored schemas are valid JSON; nothing to add otherwise
      }
    }
  };
  walk(resolved.value);
  return definitions;
}

export interface SchemaLookup {
  schema: string;
  references: SchemaReference[];
  metadata?: SchemaMetadata;
}

/**
 * POST /subjects/{subject}: the version of the subject holding this schema
 * (latest first). The schema matches by canonical form and references; when
 * the request carries metadata, that must match too, otherwise metadata is
 * not compared (so a client that only knows the Avro schema still finds it).
 */
export function lookupSchema(state: RegistryState, subject: string, request: SchemaLookup, includeDeleted = false): Result<SchemaVersion> {
  const parsed = parseSchema(state, request.schema, request.references);
  if (!parsed.ok) return parsed;
  const references = stableStringify(request.references);
  const metadata = request.metadata === undefined ? undefined : stableStringify(request.metadata);
  const match = versionsOf(state, subject, includeDeleted ? 'include' : 'exclude').reverse().find((version) => {
    const stored = state.schemas.get(version.id);
    return stored !== undefined
      && stored.canonical === parsed.value.canonical
      && stableStringify(version.references) === references
      && (metadata === undefined || stableStringify(version.metadata ?? null) === metadata);
  });
  if (match) return ok(match);
  if (!hasSubject(state, subject, includeDeleted)) return fail({ type: 'SubjectNotFound', subject });
  return fail({ type: 'SchemaNotFound' });
}

/** Parsed undeleted versions of a subject, oldest first, for compatibility checks. */
export function previousSchemas(state: RegistryState, subject: string): Result<Array<{ version: number; type: ParsedAvroSchema['type'] }>> {
  const previous: Array<{ version: number; type: ParsedAvroSchema['type'] }> = [];
  for (const version of versionsOf(state, subject)) {
    const parsed = parseSchema(state, version.schema, version.references);
    if (!parsed.ok) return parsed;
    previous.push({ version: version.version, type: parsed.value.type });
  }
  return ok(previous);
}

export interface CompatibilityQuery {
  subject: string;
  /** A version (or `latest`) to check against; without it, the versions the subject's level names. */
  version?: string;
  schema: string;
  references: SchemaReference[];
}

/** POST /compatibility/subjects/{subject}/versions[/{version}]. */
export function testCompatibility(state: RegistryState, query: CompatibilityQuery): Result<CompatibilityVerdict & { level: CompatibilityLevel }> {
  let against: Array<{ version: number; type: ParsedAvroSchema['type'] }>;
  if (query.version !== undefined) {
    const versionId = parseVersionId(query.version);
    if (typeof versionId !== 'number') return fail(versionId);
    const target = getVersion(state, query.subject, query.version);
    if (!target.ok) return target;
    const parsed = parseSchema(state, target.value.schema, target.value.references);
    if (!parsed.ok) return parsed;
    against = [{ version: target.value.version, type: parsed.value.type }];
  } else {
    const previous = previousSchemas(state, query.subject);
    if (!previous.ok) return previous;
    against = previous.value;
  }
  const candidate = parseSchema(state, query.schema, query.references);
  if (!candidate.ok) return candidate;
  const level = compatibilityInScope(state, query.subject);
  return ok({ ...checkCompatibility(level, candidate.value.type, against), level });
}

/** Ids of the schemas whose references point at this subject version. */
export function referencedBy(state: RegistryState, subject: string, version: number): number[] {
  const ids = new Set<number>();
  for (const versions of state.subjects.values()) {
    for (const candidate of versions.values()) {
      if (candidate.references.some((r) => r.subject === subject && r.version === version)) ids.add(candidate.id);
    }
  }
  return [...ids].sort((a, b) => a - b);
}
