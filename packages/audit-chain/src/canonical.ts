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
  try {
    return fast(value);
  } catch (error) {
    // Only a refusal goes the slow way, which names where the value is.
    if (error === REFUSED) return write(value, '$');
    throw error;
  }
}

const REFUSED = Symbol('refused');

/** `write` without the path of each value (the writer's hot loop: an entry per exchange); throws `REFUSED` where `write` names the problem. */
function fast(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw REFUSED;
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) {
          const item: unknown = value[i];
          if (item === undefined) throw REFUSED;
          out += i === 0 ? fast(item) : `,${fast(item)}`;
        }
        return `${out}]`;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) throw REFUSED;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${fast(item)}`;
      }
      return `${out}}`;
    }
    default:
      throw REFUSED;
  }
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
