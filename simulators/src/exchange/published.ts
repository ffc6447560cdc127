import type { NativeRecord } from '@hub/connector-core';
import type { DepartmentCode } from '@hub/schemas';
import type { ResourceSimulator } from '../records.ts';

/** A record as the hub holds it: the canonical fields the connector's mapping makes of the native one. */
export type CanonicalRecord = Readonly<Record<string, unknown>>;

/** The canonical record of `native`, as the gateway's mapping publishes it; undefined for a record the mapping refuses. */
export function canonicalRecord(simulator: ResourceSimulator, native: NativeRecord, now: Date): CanonicalRecord | undefined {
  const mapped = simulator.mapping.map(native, { now, department: simulator.department });
  return mapped.ok ? mapped.record : undefined;
}

/**
 * The value at a field path of a record (`name`, `partyA.name`,
 * `rightsHolders[].name`: the first item's), as text; undefined when the
 * record has none there. Dates and numbers become the text a window types.
 */
export function valueAt(record: CanonicalRecord, path: string): string | undefined {
  let value: unknown = record;
  for (const step of path.split('.')) {
    const items = step.endsWith('[]');
    const name = items ? step.slice(0, -2) : step;
    value = typeof value === 'object' && value !== null && !Array.isArray(value) ? Reflect.get(value, name) : undefined;
    if (items) value = Array.isArray(value) ? value[0] : undefined;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * The records the simulated departments published and the gateway took, kept
 * so that the windows ask about residents, titles and companies the hub
 * knows: the latest `perResource` of each resource, with when they were
 * taken, in a ring (memory stays bounded).
 */
export class PublishedRecords {
  readonly #byResource = new Map<string, Array<{ record: CanonicalRecord; atMs: number }>>();
  readonly #next = new Map<string, number>();

  constructor(private readonly perResource = 500) {}

  /** Records of `department.resource` the gateway took at `atMs`. */
  add(department: DepartmentCode, resource: string, records: readonly CanonicalRecord[], atMs: number): void {
    const code = `${department}.${resource}`;
    const ring = this.#byResource.get(code) ?? [];
    this.#byResource.set(code, ring);
    for (const record of records) {
      if (ring.length < this.perResource) ring.push({ record, atMs });
      else {
        const at = this.#next.get(code) ?? 0;
        ring[at] = { record, atMs };
        this.#next.set(code, (at + 1) % this.perResource);
      }
    }
  }

  /** How many of `resource` are kept. */
  count(resource: string): number {
    return this.#byResource.get(resource)?.length ?? 0;
  }

  /** The records of `resource` taken at or before `beforeMs` (the hub has had time to store them). */
  takenBefore(resource: string, beforeMs: number): CanonicalRecord[] {
    return (this.#byResource.get(resource) ?? []).filter((entry) => entry.atMs <= beforeMs).map((entry) => entry.record);
  }
}
