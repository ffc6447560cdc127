/** A value JSON carries exactly: what a hash over its text can be checked against after a round trip. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

/**
 * The canonical JSON text of a value: object keys sorted (by UTF-16 code
 * units, as RFC 8785 does), no white space, strings and numbers as
 * `JSON.stringify` writes them. The same value always gives the same text, so
 * a hash of the text can be recomputed from a record parsed back from Kafka or
 * from an export line.
 *
 * Properties whose value is `undefined` are left out, as `JSON.stringify` does.
 * Anything JSON cannot carry faithfully (a `Date`, `NaN`, an `undefined` in an
 * array, a class instance) is refused rather than silently changed, because
 * the hash would then be of something other than what was stored.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path} is ${value}, which JSON cannot carry`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => {
        if (item === undefined) throw new CanonicalJsonError(`${path}[${i}] is undefined, which JSON cannot carry`);
        return write(item, `${path}[${i}]`);
      }).join(',')}]`;
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) throw new CanonicalJsonError(`${path} is a ${(value as object).constructor?.name ?? 'non-plain object'}, not a plain JSON object`);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`)}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`${path} is a ${typeof value}, which JSON cannot carry`);
  }
}
