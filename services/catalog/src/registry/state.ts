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

/** The registry (模式注册表) as the records of the compacted topic leave it. */
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

export const initialState: RegistryState = {
  subjects: new Map(),
  schemas: new Map(),
  idsByIdentity: new Map(),
  subjectCompatibility: new Map(),
  subjectModes: new Map(),
  maxId: 0,
  refused: 0,
};

export function evolve(state: RegistryState, event: RegistryEvent): RegistryState {
  switch (event.type) {
    case 'SubjectVersionRegistered':
    case 'SubjectVersionSoftDeleted':
      return putVersion(state, { ...event.data, deleted: event.type === 'SubjectVersionSoftDeleted' });
    case 'SubjectVersionPermanentlyDeleted':
      return removeVersion(state, event.data.subject, event.data.version);
    case 'CompatibilitySet':
      return event.data.subject === null
        ? { ...state, globalCompatibility: event.data.compatibility }
        : { ...state, subjectCompatibility: withEntry(state.subjectCompatibility, event.data.subject, event.data.compatibility) };
    case 'CompatibilityCleared':
      return event.data.subject === null
        ? withoutKey(state, 'globalCompatibility')
        : { ...state, subjectCompatibility: withoutEntry(state.subjectCompatibility, event.data.subject) };
    case 'ModeSet':
      return event.data.subject === null
        ? { ...state, globalMode: event.data.mode }
        : { ...state, subjectModes: withEntry(state.subjectModes, event.data.subject, event.data.mode) };
    case 'ModeCleared':
      return event.data.subject === null
        ? withoutKey(state, 'globalMode')
        : { ...state, subjectModes: withoutEntry(state.subjectModes, event.data.subject) };
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

function putVersion(state: RegistryState, version: SchemaVersion): RegistryState {
  const canonical = canonicalText(version.schema);
  const identity = identityOf({ ...version, canonical });
  const existing = state.subjects.get(version.subject)?.get(version.version);
  const owner = state.schemas.get(version.id);
  const sameAsExisting = existing === undefined || (existing.id === version.id && state.schemas.get(existing.id)?.identity === identity);
  if (!sameAsExisting || (owner !== undefined && owner.identity !== identity)) {
    // First writer wins: a later record may not give a version or an id to another schema.
    return { ...state, refused: state.refused + 1 };
  }
  const versions = new Map(state.subjects.get(version.subject) ?? []);
  versions.set(version.version, version);
  const stored: StoredSchema = owner
    ? { ...owner, usedBy: new Set([...owner.usedBy, usageKey(version.subject, version.version)]) }
    : {
        id: version.id, schemaType: version.schemaType, schema: version.schema, references: version.references,
        ...(version.metadata === undefined ? {} : { metadata: version.metadata }),
        ...(version.ruleSet === undefined ? {} : { ruleSet: version.ruleSet }),
        canonical, identity, usedBy: new Set([usageKey(version.subject, version.version)]),
      };
  return {
    ...state,
    subjects: withEntry(state.subjects, version.subject, versions),
    schemas: withEntry(state.schemas, version.id, stored),
    idsByIdentity: state.idsByIdentity.has(identity) ? state.idsByIdentity : withEntry(state.idsByIdentity, identity, version.id),
    maxId: Math.max(state.maxId, version.id),
  };
}

function removeVersion(state: RegistryState, subject: string, versionNumber: number): RegistryState {
  const version = state.subjects.get(subject)?.get(versionNumber);
  if (!version) return state;
  const versions = withoutEntry(state.subjects.get(subject) ?? new Map<number, SchemaVersion>(), versionNumber);
  const subjects = versions.size === 0 ? withoutEntry(state.subjects, subject) : withEntry(state.subjects, subject, versions);
  const stored = state.schemas.get(version.id);
  if (!stored) return { ...state, subjects };
  const usedBy = new Set(stored.usedBy);
  usedBy.delete(usageKey(subject, versionNumber));
  if (usedBy.size > 0) return { ...state, subjects, schemas: withEntry(state.schemas, version.id, { ...stored, usedBy }) };
  // No version uses the id any more: the schema is gone (the id is not handed out again while maxId remembers it).
  const idsByIdentity = state.idsByIdentity.get(stored.identity) === version.id ? withoutEntry(state.idsByIdentity, stored.identity) : state.idsByIdentity;
  return { ...state, subjects, schemas: withoutEntry(state.schemas, version.id), idsByIdentity };
}

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): Map<K, V> {
  const copy = new Map(map);
  copy.set(key, value);
  return copy;
}

function withoutEntry<K, V>(map: ReadonlyMap<K, V>, key: K): Map<K, V> {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

function withoutKey(state: RegistryState, key: 'globalCompatibility' | 'globalMode'): RegistryState {
  const copy = { ...state };
  delete copy[key];
  return copy;
}
