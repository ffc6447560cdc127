import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { compatibilityLevels } from '../avro/compatibility.ts';
import { modes, type RegistryEvent } from '../registry/events.ts';

/**
 * The records of the catalog's compacted topic, close to Confluent's `_schemas`
 * layout: a JSON key naming what the record is about (a subject version, a
 * compatibility setting, a mode), a JSON value with its latest state, and a
 * null value (tombstone) for a permanent delete or a cleared setting. Keys are
 * written with a fixed field order, so that compaction sees one key per thing.
 */
export interface TopicRecord {
  key: string;
  value: string | null;
}

const Reference = Type.Object({ name: Type.String(), subject: Type.String(), version: Type.Integer() });
const Metadata = Type.Object({
  properties: Type.Optional(Type.Record(Type.String(), Type.String())),
  tags: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  sensitive: Type.Optional(Type.Array(Type.String())),
});
const SchemaKey = Type.Object({ keytype: Type.Literal('SCHEMA'), subject: Type.String(), version: Type.Integer({ minimum: 1 }) });
const SettingKey = Type.Object({ keytype: Type.Union([Type.Literal('CONFIG'), Type.Literal('MODE')]), subject: Type.Union([Type.String(), Type.Null()]) });
const SchemaValue = Type.Object({
  subject: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  id: Type.Integer({ minimum: 1 }),
  schemaType: Type.Optional(Type.Literal('AVRO')),
  schema: Type.String(),
  references: Type.Optional(Type.Array(Reference)),
  metadata: Type.Optional(Metadata),
  ruleSet: Type.Optional(Type.Unknown()),
  deleted: Type.Boolean(),
});
const ConfigValue = Type.Object({ compatibilityLevel: Type.Union(compatibilityLevels.map((l) => Type.Literal(l))) });
const ModeValue = Type.Object({ mode: Type.Union(modes.map((m) => Type.Literal(m))) });

export function encodeEvent(event: RegistryEvent): TopicRecord {
  switch (event.type) {
    case 'SubjectVersionRegistered':
    case 'SubjectVersionSoftDeleted': {
      const v = event.data;
      const value: Static<typeof SchemaValue> = {
        subject: v.subject, version: v.version, id: v.id, schema: v.schema,
        ...(v.references.length > 0 ? { references: v.references } : {}),
        ...(v.metadata === undefined ? {} : { metadata: v.metadata }),
        ...(v.ruleSet === undefined ? {} : { ruleSet: v.ruleSet }),
        deleted: event.type === 'SubjectVersionSoftDeleted',
      };
      return { key: schemaKey(v.subject, v.version), value: JSON.stringify(value) };
    }
    case 'SubjectVersionPermanentlyDeleted':
      return { key: schemaKey(event.data.subject, event.data.version), value: null };
    case 'CompatibilitySet':
      return { key: settingKey('CONFIG', event.data.subject), value: JSON.stringify({ compatibilityLevel: event.data.compatibility }) };
    case 'CompatibilityCleared':
      return { key: settingKey('CONFIG', event.data.subject), value: null };
    case 'ModeSet':
      return { key: settingKey('MODE', event.data.subject), value: JSON.stringify({ mode: event.data.mode }) };
    case 'ModeCleared':
      return { key: settingKey('MODE', event.data.subject), value: null };
    default: {
      const _exhaustive: never = event;
      throw new Error(`cannot encode ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** The event a record stands for; undefined for records this catalog does not know (other key types, garbage). */
export function decodeRecord(record: TopicRecord): RegistryEvent | undefined {
  const key = parseJson(record.key);
  if (Value.Check(SchemaKey, key)) {
    if (record.value === null) return { type: 'SubjectVersionPermanentlyDeleted', data: { subject: key.subject, version: key.version } };
    const value = parseJson(record.value);
    if (!Value.Check(SchemaValue, value) || value.subject !== key.subject || value.version !== key.version) return undefined;
    const { deleted, references, metadata, ruleSet, ...rest } = value;
    const data = {
      ...rest, schemaType: 'AVRO' as const, references: references ?? [], deleted,
      ...(metadata === undefined ? {} : { metadata }), ...(ruleSet === undefined ? {} : { ruleSet }),
    };
    return deleted ? { type: 'SubjectVersionSoftDeleted', data } : { type: 'SubjectVersionRegistered', data };
  }
  if (Value.Check(SettingKey, key)) {
    const subject = key.subject;
    const value = record.value === null ? null : parseJson(record.value);
    if (key.keytype === 'CONFIG') {
      if (value === null) return { type: 'CompatibilityCleared', data: { subject } };
      return Value.Check(ConfigValue, value) ? { type: 'CompatibilitySet', data: { subject, compatibility: value.compatibilityLevel } } : undefined;
    }
    if (value === null) return { type: 'ModeCleared', data: { subject } };
    return Value.Check(ModeValue, value) ? { type: 'ModeSet', data: { subject, mode: value.mode } } : undefined;
  }
  return undefined;
}

function schemaKey(subject: string, version: number): string {
  return JSON.stringify({ keytype: 'SCHEMA', subject, version, magic: 1 });
}

function settingKey(keytype: 'CONFIG' | 'MODE', subject: string | null): string {
  return JSON.stringify({ keytype, subject, magic: 0 });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
