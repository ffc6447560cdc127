import type { DepartmentCode, RecordEventType } from '@hub/schemas';

/**
 * A record as a departmental system exposes it: its own column names (pinyin
 * initials such as GMSFHM, XM, XB), values as text or numbers, dates in the
 * system's own formats. Every source (HTTP push, drop folder, database) hands
 * the connector these.
 */
export type NativeRecord = Record<string, string | number | boolean | null | undefined>;

/** Why one field of one native record cannot be published; goes to the caller and to dlq.connectors. */
export interface FieldError {
  /** The native column name (e.g. `GMSFHM`), or `(record)` for problems of the whole record. */
  field: string;
  reason: string;
}

export type MapResult<Canonical> =
  | { ok: true; record: Canonical }
  | { ok: false; errors: FieldError[] };

/** What a mapping may know beyond the record itself; passed in, never read from globals. */
export interface MappingContext {
  /** Time of receipt; used as `occurredAt` and to reject birth dates in the future. */
  now: Date;
  /** The department that sent the record (the authenticated sender for HTTP push). */
  department: DepartmentCode;
}

/**
 * One shared resource of one department: how its native records become the
 * canonical Avro record of `eventType`. Pure: no I/O, no clock, no randomness.
 * The canonical record returned omits `eventId`; the publisher derives it from
 * the department, the resource, `naturalKey` and the content hash.
 */
export interface ResourceMapping<Canonical extends object = Record<string, unknown>> {
  department: DepartmentCode;
  /** The part after the department in the resource code, e.g. `resident-identity`. */
  resource: string;
  /** The event type in @hub/schemas this resource publishes, e.g. `ResidentIdentity`. */
  eventType: RecordEventType['name'];
  /** Native columns, in the order the department's exports write them; documents the format. */
  nativeColumns: readonly string[];
  /** The record's natural key in the department's system (e.g. the ID number); the Kafka key. */
  naturalKey(native: NativeRecord): string | undefined;
  map(native: NativeRecord, context: MappingContext): MapResult<Omit<Canonical, 'eventId'>>;
}

/** A department's connector: every resource it publishes. */
export interface DepartmentConnector {
  department: DepartmentCode;
  resources: readonly ResourceMapping[];
}

/** Whether a module's export is a DepartmentConnector (how connector modules are found). */
export function isDepartmentConnector(value: unknown): value is DepartmentConnector {
  const candidate = value as Partial<DepartmentConnector> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.department === 'string' && Array.isArray(candidate.resources);
}
