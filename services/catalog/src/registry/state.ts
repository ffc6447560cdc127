import { createHash } from 'node:crypto';
import { canonicalForm, stableStringify } from '../avro/canonical-form.ts';
import type { CompatibilityLevel } from '../avro/compatibility.ts';
import type { Mode, RegistryEvent, SchemaReference, SchemaVersion } from './events.ts';

/** A schema under its global id: the content every subject version with this id shares. */
export interface StoredSchema {
  id: number;
  schemaType: 'AVRO';
  schema: string;
  references: SchemaReference[];
  metadata?: SchemaVersion['metadata'];
  ruleSet?: unknown;
  /** Canonical form of the schema text alone (see avro/canonical-form.ts). */
  canonical: string;
  /** Hash of what makes two registrations the same schema: canonical form, references, metadata, rule set. */
  identity: string;
  /** `subject\u0000version` of every version that uses this id, deleted or not. */
  usedBy: ReadonlySet<string>;
}

/**
 * The registry (模式注册表) as the records of the compacted topic leave it,
 * as `decide`, the queries and the HTTP layer read it: nothing here may change it.
 */
export interface RegistryState {
  /** Subject → version number → version (soft-deleted ones included). */
  readonly subjects: ReadonlyMap<string, ReadonlyMap<number, SchemaVersion>>;
  readonly schemas: ReadonlyMap<number, StoredSchema>;
  readonly idsByIdentity: ReadonlyMap<string, number>;
  readonly globalCompatibility?: CompatibilityLevel;
  readonly subjectCompatibility: ReadonlyMap<string, CompatibilityLevel>;
  readonly globalMode?: Mode;
  readonly subjectModes: ReadonlyMap<string, Mode>;
  /** Highest id ever seen; the next new schema gets the one after it. */
  readonly maxId: number;
  /** Records refused because they gave an id or a subject version to a different schema (none when writers are fenced). */
  readonly refused: number;
}

/**
 * The same state as the one who folds the events owns it: `evolve` changes its
 * maps in place, so a replay of n records costs n updates, not n copies of
 * every table. Only `evolve` and whoever holds the fold (the catalog, a replay)
 * see this type; everyone else reads a `RegistryState`.
 */
export interface MutableRegistryState extends RegistryState {
  readonly subjects: Map<string, Map<number, SchemaVersion>>;
  readonly schemas: Map<number, MutableStoredSchema>;
  readonly idsByIdentity: Map<string, number>;
  globalCompatibility?: CompatibilityLevel;
  readonly subjectCompatibility: Map<string, CompatibilityLevel>;
  globalMode?: Mode;
  readonly subjectModes: Map<string, Mode>;
  maxId: number;
  refused: number;
}

interface MutableStoredSchema extends StoredSchema {
  readonly usedBy: Set<string>;
}

/** An empty registry, new each time (evolve changes the one it is given). */
export function initialState(): MutableRegistryState {
  return {
    subjects: new Map(),
    schemas: new Map(),
    idsByIdentity: new Map(),
    subjectCompatibility: new Map(),
    subjectModes: new Map(),
    maxId: 0,
    refused: 0,
  };
}

/** The state after one more record: updates `state` in place and returns it. */
export function evolve(state: MutableRegistryState, event: RegistryEvent): MutableRegistryState {
  switch (event.type) {
    case 'SubjectVersionRegistered':
    case 'SubjectVersionSoftDeleted':
      putVersion(state, { ...event.data, deleted: event.type === 'SubjectVersionSoftDeleted' });
      return state;
    case 'SubjectVersionPermanentlyDeleted':
      removeVersion(state, event.data.subject, event.data.version);
      return state;
    case 'CompatibilitySet':
      if (event.data.subject === null) state.globalCompatibility = event.data.compatibility;
      else state.subjectCompatibility.set(event.data.subject, event.data.compatibility);
      return state;
    case 'CompatibilityCleared':
      if (event.data.subject === null) delete state.globalCompatibility;
      else state.subjectCompatibility.delete(event.data.subject);
      return state;
    case 'ModeSet':
      if (event.data.subject === null) state.globalMode = event.data.mode;
      else state.subjectModes.set(event.data.subject, event.data.mode);
      return state;
    case 'ModeCleared':
      if (event.data.subject === null) delete state.globalMode;
      else state.subjectModes.delete(event.data.subject);
      return state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

/** Canonical form of a schema text; a text that is not JSON (never stored by decide) stands for itself. */
export function canonicalText(schema: string): string {
  try {
    return canonicalForm(JSON.parse(schema));
  } catch {
    return schema;
  }
}

export function identityOf(content: Pick<SchemaVersion, 'schemaType' | 'references' | 'metadata' | 'ruleSet'> & { canonical: string }): string {
  const key = stableStringify({
    schemaType: content.schemaType,
    schema: content.canonical,
    references: content.references.map(({ name, subject, version }) => ({ name, subject, version })),
    metadata: content.metadata ?? null,
    ruleSet: content.ruleSet ?? null,
  });
  return createHash('sha256').update(key).digest('hex');
}

export function usageKey(subject: string, version: number): string {
  return `${subject}\u0000${version}`;
}

function putVersion(state: MutableRegistryState, version: SchemaVersion): void {
  const canonical = canonicalText(version.schema);
  const identity = identityOf({ ...version, canonical });
  const existing = state.subjects.get(version.subject)?.get(version.version);
  const owner = state.schemas.get(version.id);
  const sameAsExisting = existing === undefined || (existing.id === version.id && state.schemas.get(existing.id)?.identity === identity);
  if (!sameAsExisting || (owner !== undefined && owner.identity !== identity)) {
    // First writer wins: a later record may not give a version or an id to another schema.
    state.refused += 1;
    return;
  }
  let versions = state.subjects.get(version.subject);
  if (!versions) state.subjects.set(version.subject, (versions = new Map()));
  versions.set(version.version, version);
  if (owner) {
    owner.usedBy.add(usageKey(version.subject, version.version));
  } else {
    state.schemas.set(version.id, {
      id: version.id, schemaType: version.schemaType, schema: version.schema, references: version.references,
      ...(version.metadata === undefined ? {} : { metadata: version.metadata }),
      ...(version.ruleSet === undefined ? {} : { ruleSet: version.ruleSet }),
      canonical, identity, usedBy: new Set([usageKey(version.subject, version.version)]),
    });
  }
  if (!state.idsByIdentity.has(identity)) state.idsByIdentity.set(identity, version.id);
  state.maxId = Math.max(state.maxId, version.id);
}

function removeVersion(state: MutableRegistryState, subject: string, versionNumber: number): void {
  const versions = state.subjects.get(subject);
  const version = versions?.get(versionNumber);
  if (!versions || !version) return;
  versions.delete(versionNumber);
  if (versions.size === 0) state.subjects.delete(subject);
  const stored = state.schemas.get(version.id);
  if (!stored) return;
  stored.usedBy.delete(usageKey(subject, versionNumber));
  if (stored.usedBy.size > 0) return;
  // No version uses the id any more: the schema is gone (the id is not handed out again while maxId remembers it).
  state.schemas.delete(version.id);
  if (state.idsByIdentity.get(stored.identity) === version.id) state.idsByIdentity.delete(stored.identity);
}
