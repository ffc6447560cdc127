/**
 * Field paths as the catalogue writes them (字段路径): field names joined by
 * dots, `[]` after a field for the items of an array, `{}` for the values of a
 * map, e.g. `rightsHolders[].idNumber`, `answer{}`, `partyA.name`.
 *
 * A path is parsed once and cached: the catalogue has a few dozen of them and
 * every delivery walks them.
 */
export type PathStep =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'items' }
  | { readonly kind: 'values' };

/** A path that is not a catalogue field path; a catalogue or caller mistake, never data. */
export class FieldPathError extends Error {
  override name = 'FieldPathError';
  constructor(readonly path: string) {
    super(`${JSON.stringify(path)} is not a field path (names joined by dots, [] for array items, {} for map values)`);
  }
}

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\]|\{\})*)$/;
const parsed = new Map<string, readonly PathStep[]>();

export function parseFieldPath(path: string): readonly PathStep[] {
  const cached = parsed.get(path);
  if (cached !== undefined) return cached;
  const steps: PathStep[] = [];
  for (const segment of path.split('.')) {
    const match = SEGMENT.exec(segment);
    if (match === null) throw new FieldPathError(path);
    steps.push({ kind: 'field', name: match[1] as string });
    for (const marker of (match[2] ?? '').match(/\[\]|\{\}/g) ?? []) steps.push(marker === '[]' ? { kind: 'items' } : { kind: 'values' });
  }
  // Bounded by the catalogue's paths; a caller passing arbitrary text cannot grow it without limit.
  if (parsed.size < 10_000) parsed.set(path, steps);
  return steps;
}

/**
 * An object that holds fields: a record (plain, or an instance of the class
 * avsc generates for a record type when it decodes), a map, or a wrapped
 * union value. Not an array, a Date (timestamp-millis), bytes, a Map or a Set.
 */
export function isFieldHolder(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set)
  );
}

/**
 * The branch value of a union that avsc wrapped (`{"string": "…"}`,
 * `{"gov.hub.records.land.RightsHolder": {…}}`), or undefined when `value` is
 * not one. avsc wraps only unions it cannot represent bare; the hub's
 * `["null", T]` unions arrive unwrapped, as the value or null.
 */
export function wrappedUnionBranch(value: Record<string, unknown>, expectedField?: string): unknown {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  if (key === expectedField) return undefined;
  return UNION_BRANCH.test(key) ? value[key] : undefined;
}

/** Primitive and complex type names, and (dotted or capitalised) named types. */
const UNION_BRANCH = /^(?:string|bytes|int|long|float|double|boolean|array|map|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+|[A-Z][A-Za-z0-9_]*)$/;
