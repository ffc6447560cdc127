import avro, { type Type, type types } from 'avsc';

/** Compatibility levels (兼容性级别), Confluent's names. BACKWARD is the default. */
export const compatibilityLevels = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'] as const;
export type CompatibilityLevel = (typeof compatibilityLevels)[number];

export function isCompatibilityLevel(value: string): value is CompatibilityLevel {
  return (compatibilityLevels as readonly string[]).includes(value);
}

/** One reason data written with one schema cannot be read with another (Avro's SchemaCompatibility type names). */
export interface Incompatibility {
  kind: 'READER_FIELD_MISSING_DEFAULT_VALUE' | 'TYPE_MISMATCH' | 'NAME_MISMATCH' | 'MISSING_ENUM_SYMBOLS' | 'MISSING_UNION_BRANCH' | 'FIXED_SIZE_MISMATCH';
  /** Where in the data, e.g. `applicant.phone`, `documents[].name`; empty at the root. */
  path: string;
  message: string;
}

export interface PreviousSchema {
  version: number;
  type: Type;
}

export interface CompatibilityVerdict {
  compatible: boolean;
  /** Why not, one line per reason, naming the field and the version it clashes with. */
  messages: string[];
}

/**
 * Checks a candidate schema against the earlier versions of a subject (oldest
 * first) under a level. BACKWARD: the new schema must read what the previous
 * one wrote; FORWARD: the previous one must read what the new one writes; FULL:
 * both. The plain levels look at the latest version, the _TRANSITIVE ones at
 * every version. The verdict is avsc's resolver (`reader.createResolver(writer)`);
 * the messages come from walking the two schemas to the field that fails.
 */
export function checkCompatibility(level: CompatibilityLevel, candidate: Type, previous: readonly PreviousSchema[]): CompatibilityVerdict {
  if (level === 'NONE' || previous.length === 0) return { compatible: true, messages: [] };
  const against = level.endsWith('_TRANSITIVE') ? [...previous].reverse() : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const messages: string[] = [];
  for (const old of against) {
    if (backward) {
      for (const reason of incompatibilities(candidate, old.type)) {
        messages.push(`${reason.kind} at '${reason.path || '(root)'}': ${reason.message} — the new schema cannot read data written with version ${old.version} (${level})`);
      }
    }
    if (forward) {
      for (const reason of incompatibilities(old.type, candidate)) {
        messages.push(`${reason.kind} at '${reason.path || '(root)'}': ${reason.message} — version ${old.version} cannot read data written with the new schema (${level})`);
      }
    }
  }
  return { compatible: messages.length === 0, messages };
}

/** Every reason `reader` cannot read data written with `writer`; empty when avsc can resolve them. */
export function incompatibilities(reader: Type, writer: Type): Incompatibility[] {
  if (canResolve(reader, writer)) return [];
  const found = explain(reader, writer, '', new Set());
  if (found.length > 0) return found;
  // The walk found nothing more precise: report avsc's own words.
  return [{ kind: 'TYPE_MISMATCH', path: '', message: resolverError(reader, writer) }];
}

function canResolve(reader: Type, writer: Type): boolean {
  try {
    reader.createResolver(writer);
    return true;
  } catch {
    return false;
  }
}

function resolverError(reader: Type, writer: Type): string {
  try {
    reader.createResolver(writer);
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function explain(reader: Type, writer: Type, path: string, seen: Set<string>): Incompatibility[] {
  if (canResolve(reader, writer)) return [];
  const pair = `${describe(reader)}<-${describe(writer)}@${path}`;
  if (seen.has(pair)) return [];
  seen.add(pair);

  if (isUnion(writer)) {
    const found: Incompatibility[] = [];
    for (const branch of writer.types) {
      if (canResolve(reader, branch)) continue;
      if (!isUnion(reader)) {
        found.push(...explain(reader, branch, path, seen));
        continue;
      }
      const counterpart = reader.types.find((candidate) => sameKind(candidate, branch));
      const detail = counterpart ? explain(counterpart, branch, path, seen) : [];
      found.push(...(detail.length > 0 ? detail : [{
        kind: 'MISSING_UNION_BRANCH' as const, path,
        message: `the writer's union branch ${describe(branch)} has no branch in the reader's union ${describe(reader)} that can read it`,
      }]));
    }
    return found;
  }
  if (isUnion(reader)) {
    const counterpart = reader.types.find((candidate) => sameKind(candidate, writer));
    if (counterpart) return explain(counterpart, writer, path, seen);
    return [{ kind: 'TYPE_MISMATCH', path, message: `the reader's union ${describe(reader)} has no branch for the writer's ${describe(writer)}` }];
  }
  if (isRecord(reader) && isRecord(writer)) return explainRecords(reader, writer, path, seen);
  if (avro.Type.isType(reader, 'enum') && avro.Type.isType(writer, 'enum')) {
    return explainEnums(reader as types.EnumType, writer as types.EnumType, path);
  }
  if (avro.Type.isType(reader, 'fixed') && avro.Type.isType(writer, 'fixed')) {
    const [r, w] = [reader as types.FixedType, writer as types.FixedType];
    if (!namesMatch(reader, writer)) return [nameMismatch(reader, writer, path)];
    return [{ kind: 'FIXED_SIZE_MISMATCH', path, message: `fixed ${r.name} is ${r.size} bytes in the reader but ${w.size} in the writer` }];
  }
  if (avro.Type.isType(reader, 'array') && avro.Type.isType(writer, 'array')) {
    return explain((reader as types.ArrayType).itemsType, (writer as types.ArrayType).itemsType, `${path}[]`, seen);
  }
  if (avro.Type.isType(reader, 'map') && avro.Type.isType(writer, 'map')) {
    return explain((reader as types.MapType).valuesType as Type, (writer as types.MapType).valuesType as Type, `${path}{}`, seen);
  }
  if (isNamed(reader) && isNamed(writer) && reader.typeName === writer.typeName && !namesMatch(reader, writer)) {
    return [nameMismatch(reader, writer, path)];
  }
  return [{ kind: 'TYPE_MISMATCH', path, message: `${describe(writer)} written cannot be read as ${describe(reader)}` }];
}

function explainRecords(reader: types.RecordType, writer: types.RecordType, path: string, seen: Set<string>): Incompatibility[] {
  if (!namesMatch(reader, writer)) return [nameMismatch(reader, writer, path)];
  const found: Incompatibility[] = [];
  const writerFields = new Map(writer.fields.map((field) => [field.name, field]));
  for (const field of reader.fields) {
    const fieldPath = path ? `${path}.${field.name}` : field.name;
    const match = [field.name, ...(field.aliases ?? [])].map((name) => writerFields.get(name)).find((f) => f !== undefined);
    if (!match) {
      if (field.defaultValue() === undefined) {
        found.push({
          kind: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: fieldPath,
          message: `field '${field.name}' of ${reader.name} has no default, and the writer's ${writer.name} has no such field to take it from`,
        });
      }
      continue;
    }
    found.push(...explain(field.type, match.type, fieldPath, seen));
  }
  return found;
}

function explainEnums(reader: types.EnumType, writer: types.EnumType, path: string): Incompatibility[] {
  if (!namesMatch(reader, writer)) return [nameMismatch(reader, writer, path)];
  const missing = writer.symbols.filter((symbol) => !reader.symbols.includes(symbol));
  return [{
    kind: 'MISSING_ENUM_SYMBOLS', path,
    message: `enum ${reader.name} cannot read the writer's symbols ${missing.join(', ')} and has no default symbol`,
  }];
}

function nameMismatch(reader: Type, writer: Type, path: string): Incompatibility {
  return { kind: 'NAME_MISMATCH', path, message: `the reader expects ${reader.typeName} ${reader.name} (or one of its aliases) but the writer has ${writer.name}` };
}

function namesMatch(reader: Type, writer: Type): boolean {
  return reader.name === writer.name || (reader.aliases ?? []).includes(writer.name ?? '');
}

function sameKind(a: Type, b: Type): boolean {
  if (isNamed(a) && isNamed(b)) return a.typeName === b.typeName && (a.name === b.name || (a.aliases ?? []).includes(b.name ?? ''));
  return a.typeName === b.typeName;
}

function isUnion(type: Type): type is types.UnwrappedUnionType {
  return avro.Type.isType(type, 'union');
}

function isRecord(type: Type): type is types.RecordType {
  return avro.Type.isType(type, 'record', 'error');
}

function isNamed(type: Type): boolean {
  return avro.Type.isType(type, 'record', 'error', 'enum', 'fixed');
}

function describe(type: Type): string {
  if (isUnion(type)) return `[${type.types.map(describe).join(', ')}]`;
  if (isNamed(type)) return `${type.typeName} ${type.name}`;
  if (avro.Type.isType(type, 'array')) return `array<${describe((type as types.ArrayType).itemsType)}>`;
  if (avro.Type.isType(type, 'map')) return `map<${describe((type as types.MapType).valuesType as Type)}>`;
  return `"${type.typeName}"`;
}
