import type { AvroTypeJson, ComplexTypeJson } from '@hub/schemas';
import { isFieldHolder } from '../exchange/field-path.ts';

/**
 * What a data request may name of a resource (资源结构): its key fields, and
 * the paths of its record type in the catalogue's notation (`partyA.name`,
 * `rightsHolders[].idNumber`, `answer{}`), read once from its Avro schema.
 */
export interface ResourceShape {
  readonly resourceCode: string;
  /**
   * The fields that make the Kafka key, in key order (the manifest's
   * `keyFields`, or the catalogue's `keyFields` property); null when the
   * catalogue does not say (a resource registered without a connector): then
   * any top-level value field may serve, and the owner's system looks it up.
   */
  readonly keyFields: readonly string[] | null;
  /** Paths that hold a value (text, number, flag, date, enum): what `verify` may name. */
  readonly valuePaths: ReadonlySet<string>;
  /** Every path, records, arrays and maps included: what an owner's record may hold. */
  readonly paths: ReadonlySet<string>;
}

/** One field of a request at fault, named from the body's root (`resource`, `key.idNumber`, `verify.name`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export function resourceShape(resourceCode: string, schema: AvroTypeJson, keyFields: readonly string[] | null): ResourceShape {
  const valuePaths = new Set<string>();
  const paths = new Set<string>();
  walk(schema, '', { named: new Map(), namespace: undefined, depth: 0, valuePaths, paths });
  return { resourceCode, keyFields, valuePaths, paths };
}

interface Walk {
  /** Named types met so far, by full and by short name (a schema refers to a named type after defining it). */
  readonly named: Map<string, ComplexTypeJson>;
  readonly namespace: string | undefined;
  readonly depth: number;
  readonly valuePaths: Set<string>;
  readonly paths: Set<string>;
}

/** Deeper than any hub record; a recursive type (a tree) stops here rather than forever. */
const MAX_DEPTH = 12;
const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function walk(type: AvroTypeJson, path: string, context: Walk): void {
  if (context.depth > MAX_DEPTH) return;
  if (typeof type === 'string') {
    if (PRIMITIVES.has(type)) {
      if (type !== 'null') mark(path, true, context);
      return;
    }
    const named = context.named.get(type) ?? (context.namespace ? context.named.get(`${context.namespace}.${type}`) : undefined);
    // A name the schema has not defined before: a reference to another subject, read as a value.
    if (named === undefined) mark(path, true, context);
    else walk(named, path, { ...context, depth: context.depth + 1 });
    return;
  }
  if (Array.isArray(type)) {
    for (const branch of type) walk(branch, path, context);
    return;
  }
  if (type.logicalType !== undefined && type.type !== 'record') {
    mark(path, true, context);
    return;
  }
  switch (type.type) {
    case 'record':
    case 'error': {
      const namespace = name(type, context);
      mark(path, false, context);
      for (const field of type.fields ?? []) walk(field.type, path === '' ? field.name : `${path}.${field.name}`, { ...context, namespace, depth: context.depth + 1 });
      return;
    }
    case 'enum':
    case 'fixed':
      name(type, context);
      mark(path, true, context);
      return;
    case 'array':
      mark(path, false, context);
      if (type.items !== undefined) walk(type.items, `${path}[]`, { ...context, depth: context.depth + 1 });
      return;
    case 'map':
      mark(path, false, context);
      if (type.values !== undefined) walk(type.values, `${path}{}`, { ...context, depth: context.depth + 1 });
      return;
    default:
      // { "type": "string" } and the like.
      walk(type.type, path, context);
  }
}

/** Files a named type under its full and short names; the namespace its fields are read in. */
function name(type: ComplexTypeJson, context: Walk): string | undefined {
  if (type.name === undefined) return context.namespace;
  const namespace = type.name.includes('.') ? type.name.slice(0, type.name.lastIndexOf('.')) : (type.namespace ?? context.namespace);
  const short = type.name.includes('.') ? type.name.slice(type.name.lastIndexOf('.') + 1) : type.name;
  context.named.set(namespace ? `${namespace}.${short}` : short, type);
  context.named.set(short, type);
  return namespace;
}

function mark(path: string, value: boolean, context: Walk): void {
  if (path === '') return;
  context.paths.add(path);
  // An array or map of values (tags: string[]) is verified item by item: its path holds values too.
  if (value) {
    context.valuePaths.add(path);
    const bare = path.replace(/(\[\]|\{\})+$/, '');
    if (bare !== path) context.valuePaths.add(bare);
  }
}

/** What is wrong with a question's key and verify fields for this resource; empty when nothing is. */
export function questionProblems(shape: ResourceShape, key: Readonly<Record<string, string>>, verify: Readonly<Record<string, string>> | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const given = Object.keys(key);
  if (shape.keyFields !== null) {
    for (const field of shape.keyFields) {
      if (!Object.hasOwn(key, field)) problems.push({ field: `key.${field}`, message: `${shape.resourceCode} is looked up by ${shape.keyFields.join(' and ')}: ${field} is missing` });
    }
    for (const field of given) {
      if (!shape.keyFields.includes(field)) problems.push({ field: `key.${field}`, message: `${field} is not a key field of ${shape.resourceCode} (its key: ${shape.keyFields.join(', ')})` });
    }
  } else {
    if (given.length === 0) problems.push({ field: 'key', message: `name at least one field of ${shape.resourceCode} to look the record up by` });
    for (const field of given) {
      if (!shape.valuePaths.has(field) || field.includes('.') || field.includes('[') || field.includes('{')) problems.push({ field: `key.${field}`, message: `${shape.resourceCode} has no field ${field} to look a record up by` });
    }
  }
  for (const field of given) if (key[field]!.trim() === '') problems.push({ field: `key.${field}`, message: 'a key value may not be blank' });
  for (const field of Object.keys(verify ?? {})) {
    if (!shape.valuePaths.has(field)) problems.push({ field: `verify.${field}`, message: `${shape.resourceCode} has no field ${field} to verify` });
  }
  return problems;
}

/**
 * The fields of an owner's record that its resource's schema does not have
 * (`record.<path>`): an answer carries only what the catalogue describes, so
 * that nothing untagged, and so unmasked, slips through beside it.
 */
export function strayFields(shape: ResourceShape, record: Readonly<Record<string, unknown>>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, `${path}[]`);
      return;
    }
    if (!isFieldHolder(value)) return;
    const isMap = path !== '' && shape.paths.has(`${path}{}`);
    for (const [field, child] of Object.entries(value)) {
      const at = isMap ? `${path}{}` : path === '' ? field : `${path}.${field}`;
      if (!shape.paths.has(at)) problems.push({ field: `record.${at}`, message: `${shape.resourceCode} has no field ${at}` });
      else visit(child, at);
    }
  };
  visit(record, '');
  return problems;
}

/** The Kafka key of a record of this resource: its key fields' values joined by `:`, in key order (as `eventKey` writes it). */
export function recordKeyOf(shape: ResourceShape, key: Readonly<Record<string, string>>): string {
  const fields = shape.keyFields ?? Object.keys(key);
  return fields.map((field) => normaliseKey(key[field] ?? '')).join(':');
}

/** Key values as the connectors write them: NFKC (full width to half width), trimmed, codes in capitals (the ID number's x is X). */
export function normaliseKey(value: string): string {
  const text = value.normalize('NFKC').trim();
  return /^(?=.*\d)[0-9A-Za-z]+$/.test(text) ? text.toUpperCase() : text;
}
