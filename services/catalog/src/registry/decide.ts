import { accept, refuse, type Decider, type Decision } from '@hub/decider';
import { checkCompatibility, isCompatibilityLevel, type CompatibilityLevel } from '../avro/compatibility.ts';
import { unmatchedTagPatterns } from '../avro/field-tags.ts';
import { metadataProblems, type SchemaMetadata } from '../metadata/government-metadata.ts';
import { modes, type Mode, type RegistryEvent, type SchemaReference, type SchemaVersion } from './events.ts';
import type { RegistryError } from './errors.ts';
import {
  compatibilityInScope, compatibilityOf, DEFAULT_COMPATIBILITY, DEFAULT_MODE, getVersion, hasSubject, listSubjects,
  modeInScope, parseSchema, previousSchemas, referencedBy, referencedDefinitions, versionsOf,
} from './queries.ts';
import { evolve, identityOf, initialState, type MutableRegistryState, type RegistryState } from './state.ts';
import { isValidSubject, LATEST, parseVersionId } from './version-id.ts';

/** What an operator or a client asks the registry to change. */
export type RegistryCommand =
  | {
      type: 'RegisterSchema';
      data: {
        subject: string;
        /** Absent or blank: register the latest version's schema again (to change its metadata). */
        schema?: string;
        schemaType?: string;
        references?: SchemaReference[];
        metadata?: SchemaMetadata;
        ruleSet?: unknown;
        /** Only in IMPORT mode: keep this id. */
        id?: number;
        /** Only in IMPORT mode, or the next version number. */
        version?: number;
        /** Store the canonical form instead of the text as written. */
        normalize?: boolean;
      };
    }
  | { type: 'DeleteSubject'; data: { subject: string; permanent: boolean } }
  | { type: 'DeleteSubjectVersion'; data: { subject: string; version: string; permanent: boolean } }
  | { type: 'SetCompatibility'; data: { subject: string | null; compatibility: string } }
  | { type: 'ClearCompatibility'; data: { subject: string | null } }
  | { type: 'SetMode'; data: { subject: string | null; mode: string; force: boolean } }
  | { type: 'ClearMode'; data: { subject: string | null } };

/** What each command answers when it succeeds. */
export interface Answers {
  RegisterSchema: { id: number; version: number };
  DeleteSubject: number[];
  DeleteSubjectVersion: number;
  SetCompatibility: { compatibility: CompatibilityLevel };
  ClearCompatibility: { compatibilityLevel: CompatibilityLevel };
  SetMode: { mode: Mode };
  ClearMode: { mode: Mode };
}

/** Any command's answer: what the registry's `Decider` answers (`decide` below keeps each command's own). */
export type RegistryAnswer = Answers[keyof Answers];

/** A decision on the registry: events and this answer, or a refusal. */
type RegistryDecision<A> = Decision<RegistryEvent, A, RegistryError>;

/** What the registry does about a command, given everything that happened: events to write and an answer, or a refusal. */
export function decide<C extends RegistryCommand>(command: C, state: RegistryState): RegistryDecision<Answers[C['type']]> {
  // TypeScript cannot narrow a generic command's answer type through the switch; each branch returns its own.
  return decideAny(command, state) as RegistryDecision<Answers[C['type']]>;
}

/**
 * The registry (模式注册表) as a decider. `decide` only reads the state;
 * `evolve` updates the state it is given in place, so each fold starts from
 * its own `initialState()`.
 */
export const registryDecider: Decider<RegistryCommand, RegistryEvent, MutableRegistryState, RegistryAnswer, RegistryError> = {
  decide: (command, state) => decideAny(command, state),
  evolve,
  initialState,
};

function decideAny(command: RegistryCommand, state: RegistryState): RegistryDecision<RegistryAnswer> {
  switch (command.type) {
    case 'RegisterSchema': return register(command.data, state);
    case 'DeleteSubject': return deleteSubject(command.data, state);
    case 'DeleteSubjectVersion': return deleteSubjectVersion(command.data, state);
    case 'SetCompatibility': return setCompatibility(command.data, state);
    case 'ClearCompatibility': return clearCompatibility(command.data, state);
    case 'SetMode': return setMode(command.data, state);
    case 'ClearMode': return clearMode(command.data, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

type RegisterData = Extract<RegistryCommand, { type: 'RegisterSchema' }>['data'];

function register(data: RegisterData, state: RegistryState): RegistryDecision<Answers['RegisterSchema']> {
  const { subject } = data;
  if (!isValidSubject(subject)) return refuse({ type: 'InvalidSubject', subject });
  const mode = modeInScope(state, subject);
  if (data.schemaType !== undefined && data.schemaType.toUpperCase() !== 'AVRO') {
    return refuse({ type: 'InvalidSchema', reason: `schema type ${data.schemaType} is not supported; this catalog stores AVRO schemas only` });
  }

  const all = versionsOf(state, subject, 'include');
  const nextVersion = (all.at(-1)?.version ?? 0) + 1;
  const latest = versionsOf(state, subject).at(-1);

  // Like Confluent: no schema means "the latest schema again", and metadata and
  // rule set not given are carried over from the latest version.
  const blank = data.schema === undefined || data.schema.trim() === '';
  if (blank && (latest === undefined || mode === 'IMPORT')) return refuse({ type: 'InvalidSchema', reason: 'Empty schema' });
  const source = blank ? latest : undefined;
  const text = source?.schema ?? data.schema ?? '';
  const inherit = mode !== 'IMPORT';
  const metadata = data.metadata ?? (inherit ? latest?.metadata : undefined);
  const ruleSet = data.ruleSet ?? (inherit ? latest?.ruleSet : undefined);

  const references = resolveLatestReferences(source?.references ?? data.references ?? [], state);
  if ('type' in references) return refuse(references);
  const parsed = parseSchema(state, text, references);
  if (!parsed.ok) return refuse(parsed.error);
  const problems = [...metadataProblems(metadata), ...unmatchedTagPatterns(parsed.value.json, metadata?.tags ?? {}, referencedDefinitions(state, references))
    .map((pattern) => `metadata.tags names ${JSON.stringify(pattern)}, which is no field of the schema (use Record.field)`)];
  if (problems.length > 0) return refuse({ type: 'InvalidSchema', reason: problems.join('; ') });

  const identity = identityOf({ schemaType: 'AVRO', canonical: parsed.value.canonical, references, metadata, ruleSet });
  const already = versionsOf(state, subject).reverse().find((v) => state.schemas.get(v.id)?.identity === identity);
  if (already && (data.id === undefined || data.id === already.id) && (data.version === undefined || data.version === already.version)) {
    return accept([], { id: already.id, version: already.version });
  }
  // Only now the mode: finding a schema that is already there writes nothing, so READONLY answers it too.
  if (mode === 'READONLY') return refuse({ type: 'OperationNotPermitted', reason: `Subject ${subject} is in read-only mode` });
  if (data.id !== undefined && mode !== 'IMPORT') return refuse({ type: 'OperationNotPermitted', reason: `Subject ${subject} is not in import mode` });
  if (data.id === undefined && mode !== 'READWRITE') return refuse({ type: 'OperationNotPermitted', reason: `Subject ${subject} is not in read-write mode` });

  if (mode !== 'IMPORT') {
    const previous = previousSchemas(state, subject);
    if (!previous.ok) return refuse(previous.error);
    const verdict = checkCompatibility(compatibilityInScope(state, subject), parsed.value.type, previous.value);
    if (!verdict.compatible) return refuse({ type: 'IncompatibleSchema', subject, messages: verdict.messages });
  }

  const version = data.version ?? nextVersion;
  if (data.version !== undefined && mode !== 'IMPORT' && data.version !== nextVersion) {
    return refuse({ type: 'InvalidSchema', reason: `Version is not one more than previous version (the next version of ${subject} is ${nextVersion})` });
  }
  if (mode === 'IMPORT' && state.subjects.get(subject)?.has(version)) {
    return refuse({ type: 'OperationNotPermitted', reason: `Overwrite of subject ${subject} version ${version} is not permitted` });
  }

  let id: number;
  if (data.id !== undefined) {
    const owner = state.schemas.get(data.id);
    if (owner && owner.identity !== identity) return refuse({ type: 'IdDoesNotMatch', id: data.id });
    id = data.id;
  } else {
    id = state.idsByIdentity.get(identity) ?? state.maxId + 1;
  }

  const registered: SchemaVersion = {
    subject, version, id, schemaType: 'AVRO',
    schema: data.normalize ? parsed.value.canonical : text,
    references,
    ...(metadata === undefined ? {} : { metadata }),
    ...(ruleSet === undefined ? {} : { ruleSet }),
    deleted: false,
  };
  // A soft-deleted earlier version with the same id is superseded by the new one (Confluent removes it too).
  const superseded: RegistryEvent[] = versionsOf(state, subject, 'only')
    .filter((v) => v.id === id && v.version < version)
    .map((v) => ({ type: 'SubjectVersionPermanentlyDeleted', data: { subject, version: v.version } }));
  return accept([...superseded, { type: 'SubjectVersionRegistered', data: registered }], { id, version });
}

/** A reference to version -1 means "the latest now"; the registry stores the number it was. */
function resolveLatestReferences(references: readonly SchemaReference[], state: RegistryState): SchemaReference[] | RegistryError {
  const resolved: SchemaReference[] = [];
  for (const reference of references) {
    if (reference.version !== LATEST) {
      resolved.push(reference);
      continue;
    }
    const latest = versionsOf(state, reference.subject).at(-1);
    if (!latest) return { type: 'InvalidSchema', reason: `reference ${reference.name} points at subject ${JSON.stringify(reference.subject)}, which has no version` };
    resolved.push({ ...reference, version: latest.version });
  }
  return resolved;
}

function deleteSubject(data: { subject: string; permanent: boolean }, state: RegistryState): RegistryDecision<Answers['DeleteSubject']> {
  const { subject, permanent } = data;
  const all = versionsOf(state, subject, 'include');
  if (all.length === 0) return refuse({ type: 'SubjectNotFound', subject });
  const live = all.filter((v) => !v.deleted);
  if (!permanent && live.length === 0) return refuse({ type: 'SubjectSoftDeleted', subject });
  if (modeInScope(state, subject) === 'READONLY') return refuse({ type: 'OperationNotPermitted', reason: `Subject ${subject} is in read-only mode` });
  const targets = permanent ? all : live;
  for (const target of targets) {
    const referrers = referencedBy(state, subject, target.version);
    if (referrers.length > 0) return refuse({ type: 'ReferenceExists', subject, version: target.version, referencedBy: referrers });
  }
  if (permanent && live.length > 0) return refuse({ type: 'SubjectNotSoftDeleted', subject });
  const events: RegistryEvent[] = permanent
    ? targets.map((v) => ({ type: 'SubjectVersionPermanentlyDeleted', data: { subject, version: v.version } }))
    : [...targets.map((v): RegistryEvent => ({ type: 'SubjectVersionSoftDeleted', data: { ...v, deleted: true } })), ...clearSubjectSettings(subject, state)];
  return accept(events, targets.map((v) => v.version));
}

function deleteSubjectVersion(data: { subject: string; version: string; permanent: boolean }, state: RegistryState): RegistryDecision<Answers['DeleteSubjectVersion']> {
  const { subject, permanent } = data;
  const versionId = parseVersionId(data.version);
  if (typeof versionId !== 'number') return refuse(versionId);
  const target = getVersion(state, subject, data.version, true);
  if (!target.ok) return refuse(target.error);
  const version = target.value;
  if (!permanent && version.deleted) return refuse({ type: 'VersionSoftDeleted', subject, version: version.version });
  if (modeInScope(state, subject) === 'READONLY') return refuse({ type: 'OperationNotPermitted', reason: `Subject ${subject} is in read-only mode` });
  const referrers = referencedBy(state, subject, version.version);
  if (referrers.length > 0) return refuse({ type: 'ReferenceExists', subject, version: version.version, referencedBy: referrers });
  if (permanent && !version.deleted) return refuse({ type: 'VersionNotSoftDeleted', subject, version: version.version });
  if (permanent) return accept([{ type: 'SubjectVersionPermanentlyDeleted', data: { subject, version: version.version } }], version.version);
  const lastLive = versionsOf(state, subject).every((v) => v.version === version.version);
  return accept(
    [{ type: 'SubjectVersionSoftDeleted', data: { ...version, deleted: true } }, ...(lastLive ? clearSubjectSettings(subject, state) : [])],
    version.version,
  );
}

/** A subject with no live version loses its own compatibility level and mode, as in Confluent. */
function clearSubjectSettings(subject: string, state: RegistryState): RegistryEvent[] {
  return [
    ...(state.subjectCompatibility.has(subject) ? [{ type: 'CompatibilityCleared' as const, data: { subject } }] : []),
    ...(state.subjectModes.has(subject) ? [{ type: 'ModeCleared' as const, data: { subject } }] : []),
  ];
}

function setCompatibility(data: { subject: string | null; compatibility: string }, state: RegistryState): RegistryDecision<Answers['SetCompatibility']> {
  if (data.subject !== null && !isValidSubject(data.subject)) return refuse({ type: 'InvalidSubject', subject: data.subject });
  const level = data.compatibility.trim().toUpperCase();
  if (!isCompatibilityLevel(level)) return refuse({ type: 'InvalidCompatibilityLevel', value: data.compatibility });
  const current = data.subject === null ? state.globalCompatibility : state.subjectCompatibility.get(data.subject);
  const events: RegistryEvent[] = current === level ? [] : [{ type: 'CompatibilitySet', data: { subject: data.subject, compatibility: level } }];
  return accept(events, { compatibility: level });
}

function clearCompatibility(data: { subject: string | null }, state: RegistryState): RegistryDecision<Answers['ClearCompatibility']> {
  const { subject } = data;
  if (subject === null) {
    const previous = state.globalCompatibility;
    return accept(previous ? [{ type: 'CompatibilityCleared', data: { subject } }] : [], { compatibilityLevel: previous ?? DEFAULT_COMPATIBILITY });
  }
  const own = state.subjectCompatibility.get(subject);
  if (!own && !hasSubject(state, subject, false)) return refuse({ type: 'SubjectNotFound', subject });
  const previous = compatibilityOf(state, subject, true);
  return accept(own ? [{ type: 'CompatibilityCleared', data: { subject } }] : [], { compatibilityLevel: previous.ok ? previous.value : DEFAULT_COMPATIBILITY });
}

function setMode(data: { subject: string | null; mode: string; force: boolean }, state: RegistryState): RegistryDecision<Answers['SetMode']> {
  if (data.subject !== null && !isValidSubject(data.subject)) return refuse({ type: 'InvalidSubject', subject: data.subject });
  const mode = data.mode.trim().toUpperCase();
  if (!(modes as readonly string[]).includes(mode)) return refuse({ type: 'InvalidMode', value: data.mode });
  const chosen = mode as Mode;
  if (chosen === 'IMPORT' && !data.force) {
    const occupied = data.subject === null ? listSubjects(state).length > 0 : hasSubject(state, data.subject, false);
    if (occupied) return refuse({ type: 'OperationNotPermitted', reason: 'Cannot import since found existing subjects' });
  }
  const current = data.subject === null ? state.globalMode : state.subjectModes.get(data.subject);
  const events: RegistryEvent[] = current === chosen ? [] : [{ type: 'ModeSet', data: { subject: data.subject, mode: chosen } }];
  return accept(events, { mode: chosen });
}

function clearMode(data: { subject: string | null }, state: RegistryState): RegistryDecision<Answers['ClearMode']> {
  const { subject } = data;
  if (subject === null) {
    const previous = state.globalMode;
    return accept(previous ? [{ type: 'ModeCleared', data: { subject } }] : [], { mode: previous ?? DEFAULT_MODE });
  }
  const own = state.subjectModes.get(subject);
  if (!own && !hasSubject(state, subject, false)) return refuse({ type: 'SubjectNotFound', subject });
  return accept(own ? [{ type: 'ModeCleared', data: { subject } }] : [], { mode: own ?? state.globalMode ?? DEFAULT_MODE });
}
