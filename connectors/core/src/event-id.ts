import { hash } from 'node:crypto';
import type { NativeRecord } from './mapping.ts';

/**
 * Deterministic event ids (事件标识): the same native record always gets the
 * same id, so a retried push, a re-uploaded file or a re-read database row is
 * recognised as already published; a changed record gets a new one.
 *
 * The id is a name-based UUID in the RFC 4122 version-5 layout (SHA-1 of a
 * namespace and a name) with the name `<dept>/<resource>/<naturalKey>/<contentHash>`.
 * Department and resource codes contain no `/` and the content hash has a fixed
 * length, so the name is unambiguous even when the natural key contains `/`.
 */

/** Namespace of the hub's record event ids (a fixed random UUID, never to change). */
export const RECORD_EVENT_NAMESPACE = '6f1c2f4e-8a0b-4f5e-9d43-2b7c1e5a9f10';
/** Namespace of dead-letter ids, so a rejection never shares an id with an event. */
export const REJECTION_NAMESPACE = 'b3a9d2c7-51e4-4c08-8f6a-0d7e4a1c9b25';

/** The native record as canonical JSON: keys sorted, `undefined` dropped, no spaces. */
export function canonicalJson(native: NativeRecord): string {
  const sorted = sortedKeysOf(native);
  if (sorted === undefined) {
    const keys = Object.keys(native).filter((key) => native[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(native[key])}`).join(',')}}`;
  }
  // One native JSON.stringify of the record with its keys in sorted order (it drops undefined itself). A plain
  // object is stringified faster than one without a prototype; only a `__proto__` column needs the latter.
  const ordered: NativeRecord = lastHasProto ? (Object.create(null) as NativeRecord) : {};
  for (const key of sorted) ordered[key] = native[key];
  return JSON.stringify(ordered);
}

/**
 * The records of one source share their columns: the sorted key order of the
 * last shape seen is kept. Undefined for a shape with an integer-like key,
 * which JSON.stringify would put first whatever the insertion order.
 */
let lastKeys: string[] = [];
let lastSorted: string[] | undefined;
let lastHasProto = false;
function sortedKeysOf(native: NativeRecord): string[] | undefined {
  const keys = Object.keys(native);
  let same = keys.length === lastKeys.length;
  for (let i = 0; same && i < keys.length; i += 1) same = keys[i] === lastKeys[i];
  if (!same) {
    lastKeys = keys;
    const sorted = [...keys].sort();
    lastSorted = sorted.some((key) => /^(?:0|[1-9]\d*)$/.test(key)) ? undefined : sorted;
    lastHasProto = keys.includes('__proto__');
  }
  return lastSorted;
}

/** SHA-256 (hex) of the record's canonical JSON: what "the same content" means. */
export function contentHash(native: NativeRecord): string {
  return hash('sha256', canonicalJson(native), 'hex');
}

export interface EventIdParts {
  department: string;
  resource: string;
  naturalKey: string;
  contentHash: string;
}

export function eventId(parts: EventIdParts, namespace: string = RECORD_EVENT_NAMESPACE): string {
  return uuidV5(namespace, `${parts.department}/${parts.resource}/${parts.naturalKey}/${parts.contentHash}`);
}

/** The id of a native record's event; `naturalKey` undefined counts as the empty key. */
export function recordEventId(department: string, resource: string, naturalKey: string | undefined, native: NativeRecord): string {
  return eventId({ department, resource, naturalKey: naturalKey ?? '', contentHash: contentHash(native) });
}

/** The id of a native record's rejection (its dead letter). */
export function rejectionId(department: string, resource: string, naturalKey: string | undefined, native: NativeRecord): string {
  return eventId({ department, resource, naturalKey: naturalKey ?? '', contentHash: contentHash(native) }, REJECTION_NAMESPACE);
}

const namespaces = new Map<string, Buffer>();

export function uuidV5(namespace: string, name: string): string {
  let namespaceBytes = namespaces.get(namespace);
  if (!namespaceBytes) {
    namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    if (namespaceBytes.length !== 16) throw new RangeError(`namespace must be a UUID, got ${JSON.stringify(namespace)}`);
    namespaces.set(namespace, namespaceBytes);
  }
  const input = Buffer.allocUnsafe(16 + Buffer.byteLength(name, 'utf8'));
  namespaceBytes.copy(input, 0);
  input.write(name, 16, 'utf8');
  const bytes = hash('sha1', input, 'buffer');
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
