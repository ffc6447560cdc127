import type { FieldError, NativeRecord } from '../mapping.ts';
import { nativeValueText } from '../native-fields/native-value.ts';

/**
 * How large one native record may be, whatever its source (a push, a file row,
 * a table row), checked before its mapping reads it. The mappings' own parsers
 * are tighter still where a field has a format (an ID number has 18 characters,
 * a name 50, an address 200); these bounds hold for every field, declared or
 * not, so that no record can carry more than a dead letter and a Kafka message
 * can hold.
 */
export interface RecordLimits {
  /** Characters of one field's value, as text. */
  maxFieldChars: number;
  /** Characters of one field's name. */
  maxFieldNameChars: number;
  /** UTF-8 bytes of the whole record: every name and value, as text. */
  maxRecordBytes: number;
}

export const DEFAULT_RECORD_LIMITS: Readonly<RecordLimits> = Object.freeze({
  maxFieldChars: 4_096,
  maxFieldNameChars: 128,
  maxRecordBytes: 64 * 1024,
});

/** The defaults with `given` over them; throws naming a limit that is not a positive integer. */
export function recordLimits(given: Partial<RecordLimits> = {}): RecordLimits {
  const limits = { ...DEFAULT_RECORD_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return limits;
}

/** Field errors named at most this many times each; the rest are counted in one more. */
const MAX_NAMED = 16;
/** A field name over its limit is shown this long in the errors. */
const NAME_SHOWN = 64;

export interface BoundsCheck {
  /** Empty when the record is within every bound. */
  errors: FieldError[];
  /** Fields whose name or value is over its bound: the mapping reads the record without them. */
  oversized: ReadonlySet<string>;
  /** The record as a whole is over `maxRecordBytes` (not because of one field): it is not mapped at all. */
  wholeRecord: boolean;
}

const WITHIN: BoundsCheck = { errors: [], oversized: new Set(), wholeRecord: false };

/** Which bounds `native` is over, each named with its field: "longer than 4096 characters". */
export function checkRecordBounds(native: NativeRecord, limits: RecordLimits): BoundsCheck {
  let chars = 0;
  let over = false;
  for (const name in native) {
    const length = nativeValueText(native[name]).length;
    chars += name.length + length;
    if (name.length > limits.maxFieldNameChars || length > limits.maxFieldChars) over = true;
  }
  if (over) return overFieldBounds(native, limits);
  // A UTF-8 character takes at most 3 bytes per UTF-16 unit: count exactly only when that could be over.
  if (chars * 3 <= limits.maxRecordBytes) return WITHIN;
  const bytes = recordTextBytes(native);
  if (bytes <= limits.maxRecordBytes) return WITHIN;
  return { errors: [{ field: '(record)', reason: `the record is ${bytes} bytes, more than the ${limits.maxRecordBytes} allowed` }], oversized: new Set(), wholeRecord: true };
}

/** The fields of a record over their own bounds (there is one at least), named up to `MAX_NAMED`. */
function overFieldBounds(native: NativeRecord, limits: RecordLimits): BoundsCheck {
  const errors: FieldError[] = [];
  const oversized = new Set<string>();
  let unnamed = 0;
  const add = (field: string, error: FieldError): void => {
    oversized.add(field);
    if (errors.length < MAX_NAMED) errors.push(error);
    else unnamed += 1;
  };
  for (const name in native) {
    const text = nativeValueText(native[name]);
    if (name.length > limits.maxFieldNameChars) {
      add(name, { field: shownName(name), reason: `field name longer than ${limits.maxFieldNameChars} characters: it has ${name.length}` });
    } else if (text.length > limits.maxFieldChars) {
      add(name, { field: name, reason: `longer than ${limits.maxFieldChars} characters: it has ${text.length}` });
    }
  }
  if (unnamed > 0) errors.push({ field: '(record)', reason: `and ${unnamed} more fields over their limits` });
  return { errors, oversized, wholeRecord: false };
}

/** The record without the fields over their bounds: what the mapping still reads, to report every other problem at once. */
export function withoutFields(native: NativeRecord, fields: ReadonlySet<string>): NativeRecord {
  const kept: NativeRecord = {};
  for (const name in native) if (!fields.has(name)) kept[name] = native[name];
  return kept;
}

function recordTextBytes(native: NativeRecord): number {
  let bytes = 0;
  for (const name in native) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(nativeValueText(native[name]));
  }
  return bytes;
}

/** A name as an error shows it: cut with an ellipsis when over `NAME_SHOWN` characters. */
export function shownName(name: string): string {
  return name.length > NAME_SHOWN ? `${name.slice(0, NAME_SHOWN)}…` : name;
}
