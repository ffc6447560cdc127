import type { TaggedField } from '@hub/catalogue-client';
import { isObject } from './canonical-form.ts';

/**
 * Tags on the fields of a schema, from both places Confluent keeps them: the
 * inline field attribute `"confluent:tags": [...]`, and `metadata.tags`, a map
 * from a field pattern to tags. A pattern is `Record.field` with the record's
 * short or full name; `*` stands for one name segment and `**` for any run of
 * them (`**.idNumber` tags every field called idNumber).
 *
 * `definitions` are the schemas of the references, so fields of referenced
 * records are found too.
 */
export function taggedFields(schema: unknown, metadataTags: Record<string, string[]> = {}, definitions: unknown[] = []): TaggedField[] {
  const named = new Map<string, Record<string, unknown>>();
  for (const definition of definitions) collectNamed(definition, undefined, named);
  collectNamed(schema, undefined, named);
  const patterns = Object.entries(metadataTags).map(([pattern, tags]) => ({ matches: patternMatcher(pattern), tags }));

  const found: TaggedField[] = [];
  const visit = (type: unknown, path: string, namespace: string | undefined, stack: string[]): void => {
    if (Array.isArray(type)) {
      for (const branch of type) visit(branch, path, namespace, stack);
    } else if (typeof type === 'string') {
      const definition = named.get(type) ?? (namespace ? named.get(`${namespace}.${type}`) : undefined);
      if (definition) visit(definition, path, namespace, stack);
    } else if (isObject(type)) {
      const kind = type.type;
      if (kind === 'array') visit(type.items, `${path}[]`, namespace, stack);
      else if (kind === 'map') visit(type.values, `${path}{}`, namespace, stack);
      else if ((kind === 'record' || kind === 'error') && Array.isArray(type.fields) && typeof type.name === 'string') {
        visitRecord(type, type.fields, path, namespace, stack);
      } else if (typeof kind !== 'string' || !KNOWN_KINDS.has(kind)) visit(kind, path, namespace, stack);
    }
  };
  const visitRecord = (type: Record<string, unknown>, fields: unknown[], path: string, namespace: string | undefined, stack: string[]): void => {
    const record = fullName(type.name as string, typeof type.namespace === 'string' ? type.namespace : namespace);
    if (stack.includes(record)) return; // a recursive record: its fields were listed one level up
    for (const field of fields) {
      if (!isObject(field) || typeof field.name !== 'string') continue;
      const name = field.name;
      const fieldPath = path ? `${path}.${name}` : name;
      const inline = Array.isArray(field['confluent:tags']) ? field['confluent:tags'].filter((t): t is string => typeof t === 'string') : [];
      const fromMetadata = patterns.filter((p) => p.matches(record, name)).flatMap((p) => p.tags);
      const tags = [...new Set([...inline, ...fromMetadata])];
      if (tags.length > 0) found.push({ path: fieldPath, record, field: name, tags });
      visit(field.type, fieldPath, namespaceOf(record), [...stack, record]);
    }
  };
  visit(schema, '', undefined, []);
  return found;
}

/** Keys of `metadata.tags` without wildcards that name no field of the schema: most likely a typo. */
export function unmatchedTagPatterns(schema: unknown, metadataTags: Record<string, string[]>, definitions: unknown[] = []): string[] {
  const fields = taggedFieldsOfEveryField(schema, definitions);
  return Object.keys(metadataTags).filter((pattern) => !pattern.includes('*') && !fields.some(({ record, field }) => patternMatcher(pattern)(record, field)));
}

function taggedFieldsOfEveryField(schema: unknown, definitions: unknown[]): Array<{ record: string; field: string }> {
  // Tag every field with a marker to list them all through the same walk.
  return taggedFields(schema, { '**': ['*'] }, definitions);
}

const KNOWN_KINDS = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string', 'enum', 'fixed', 'record', 'error', 'array', 'map']);

function patternMatcher(pattern: string): (record: string, field: string) => boolean {
  const regex = new RegExp(`^${pattern.split(/(\*\*|\*)/).map((part) => (part === '**' ? '.*' : part === '*' ? '[^.]*' : escape(part))).join('')}$`);
  return (record, field) => regex.test(`${record}.${field}`) || regex.test(`${shortName(record)}.${field}`);
}

function collectNamed(type: unknown, namespace: string | undefined, named: Map<string, Record<string, unknown>>): void {
  if (Array.isArray(type)) {
    for (const branch of type) collectNamed(branch, namespace, named);
    return;
  }
  if (!isObject(type)) return;
  let inner = namespace;
  if (typeof type.name === 'string' && ['record', 'error', 'enum', 'fixed'].includes(type.type as string)) {
    const name = fullName(type.name, typeof type.namespace === 'string' ? type.namespace : namespace);
    named.set(name, type);
    inner = namespaceOf(name);
  }
  if (Array.isArray(type.fields)) for (const field of type.fields) if (isObject(field)) collectNamed(field.type, inner, named);
  collectNamed(type.items, inner, named);
  collectNamed(type.values, inner, named);
  if (isObject(type.type) || Array.isArray(type.type)) collectNamed(type.type, inner, named);
}

function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

function namespaceOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : name.slice(0, dot);
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
