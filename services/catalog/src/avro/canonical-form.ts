/**
 * The catalog's canonical form of an Avro schema: what decides that two texts
 * are "the same schema" (and so get the same global id). It keeps everything
 * that matters to readers, writers and the catalogue (docs, defaults, aliases,
 * logical types, `confluent:tags`), and drops only what carries no meaning:
 * whitespace, the order of object keys, the `{"type": "string"}` spelling of a
 * primitive, and namespaces inherited or written out (names become full names).
 *
 * Avro's Parsing Canonical Form is not used for identity on purpose: it strips
 * defaults and docs, so two schemas that resolve differently (a field with and
 * without a default) would share one id.
 */
const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);
const KEYWORDS = new Set([...PRIMITIVES, ...NAMED, 'array', 'map']);

export function canonicalForm(schema: unknown): string {
  return stableStringify(normalise(schema, undefined));
}

/** JSON with object keys sorted at every level; arrays keep their order. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
    return sorted;
  }
  return value;
}

function normalise(schema: unknown, namespace: string | undefined): unknown {
  if (typeof schema === 'string') return PRIMITIVES.has(schema) ? schema : qualify(schema, namespace);
  if (Array.isArray(schema)) return schema.map((branch) => normalise(branch, namespace));
  if (!isObject(schema)) return schema;

  const type = schema.type;
  if (typeof type === 'string' && !KEYWORDS.has(type)) {
    // `{"type": "com.example.Name", ...}`: a reference to a named type.
    const rest = withoutKeys(schema, ['type']);
    const reference = qualify(type, namespace);
    return Object.keys(rest).length === 0 ? reference : { ...rest, type: reference };
  }
  if (typeof type === 'string' && PRIMITIVES.has(type) && Object.keys(schema).length === 1) return type;
  if (typeof type !== 'string') return { ...schema, type: normalise(type, namespace) };

  const out: Record<string, unknown> = {};
  let inner = namespace;
  if (NAMED.has(type) && typeof schema.name === 'string') {
    const ns = typeof schema.namespace === 'string' ? schema.namespace : namespace;
    const full = qualify(schema.name, ns);
    inner = namespaceOf(full);
    out.name = full;
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'name' && 'name' in out) continue;
    if (key === 'namespace' && NAMED.has(type)) continue;
    if (key === 'fields' && Array.isArray(value)) out.fields = value.map((field) => normaliseField(field, inner));
    else if (key === 'items' || key === 'values') out[key] = normalise(value, inner);
    else out[key] = value;
  }
  return out;
}

function normaliseField(field: unknown, namespace: string | undefined): unknown {
  if (!isObject(field)) return field;
  return { ...field, type: normalise(field.type, namespace) };
}

function qualify(name: string, namespace: string | undefined): string {
  if (name.includes('.') || !namespace) return name;
  return `${namespace}.${name}`;
}

function namespaceOf(fullName: string): string | undefined {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? undefined : fullName.slice(0, dot);
}

function withoutKeys(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
