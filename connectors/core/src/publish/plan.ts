import { recordEventId, rejectionId } from '../event-id.ts';
import type { RejectedRecord } from '../dead-letter.ts';
import { checkRecordBounds, DEFAULT_RECORD_LIMITS, withoutFields, type RecordLimits } from '../limits/record-limits.ts';
import type { FieldError, MappingContext, NativeRecord, ResourceMapping } from '../mapping.ts';

/**
 * The pure half of publishing a batch: map and validate every native record,
 * derive the event ids, and drop what the ledger already holds or what the
 * batch repeats. No I/O: the ledger look-up comes in as a function.
 */

/** A record that mapped and validated: the canonical value (with its eventId) ready to encode. */
export interface MappedRecord {
  index: number;
  eventId: string;
  naturalKey: string;
  record: Record<string, unknown>;
}

export interface RejectedEntry {
  index: number;
  field: string;
  reason: string;
}

export interface PublishOutcome {
  /** Records newly published by this call. */
  accepted: number;
  /** Records already published before (by an earlier call, file or instance) or repeated within the batch. */
  duplicates: number;
  /** One entry per field error of each rejected record; `index` is the position in the batch. */
  rejected: RejectedEntry[];
}

export interface BatchPlan<R extends { eventId: string } = MappedRecord, J extends PlannedRejection = RejectedRecord> {
  /** New records to publish, in batch order. */
  records: R[];
  /** New rejections to dead-letter (a bad record already dead-lettered is not sent twice). */
  rejections: J[];
  outcome: PublishOutcome;
}

/** What planning needs of a rejection. */
export type PlannedRejection = Pick<RejectedRecord, 'id' | 'index' | 'errors'>;

/**
 * Maps each record; records at an index of `readErrors` could not even be read (e.g. a malformed JSON line).
 * A record over a bound of `limits` is rejected naming each field over it; the mapping still reads the
 * rest of it (without those fields), so every other problem is reported too, unless the record as a whole
 * is too large.
 */
export function mapBatch(
  mapping: ResourceMapping,
  natives: readonly NativeRecord[],
  context: MappingContext,
  readErrors?: ReadonlyMap<number, FieldError[]>,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): { mapped: MappedRecord[]; rejections: RejectedRecord[] } {
  const mapped: MappedRecord[] = [];
  const rejections: RejectedRecord[] = [];
  natives.forEach((native, index) => {
    const result = mapRecord(mapping, native, index, context, readErrors?.get(index), limits);
    if ('errors' in result) rejections.push(result);
    else mapped.push(result);
  });
  return { mapped, rejections };
}

/** Defined once, not per record: tsx names every function created at run time (esbuild's `keepNames`), at a cost. */
function rejected(mapping: ResourceMapping, native: NativeRecord, index: number, naturalKey: string | undefined, errors: FieldError[]): RejectedRecord {
  return { id: rejectionId(mapping.department, mapping.resource, naturalKey, native), naturalKey, index, errors, original: native };
}

/** One record of `mapBatch`: mapped, or rejected with its reasons (`readError`: it could not be read). */
export function mapRecord(
  mapping: ResourceMapping,
  native: NativeRecord,
  index: number,
  context: MappingContext,
  readError: FieldError[] | undefined,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): MappedRecord | RejectedRecord {
  if (readError) return rejected(mapping, native, index, undefined, readError);
  const bounds = checkRecordBounds(native, limits);
  if (bounds.wholeRecord) return rejected(mapping, native, index, undefined, bounds.errors);
  const read = bounds.oversized.size > 0 ? withoutFields(native, bounds.oversized) : native;
  let naturalKey: string | undefined;
  let result: ReturnType<ResourceMapping['map']>;
  try {
    naturalKey = mapping.naturalKey(read);
    result = mapping.map(read, context);
  } catch (error) {
    // A mapping must not throw; if one does, the record still goes to the dead letters with the reason.
    return rejected(mapping, native, index, naturalKey, [{ field: '(record)', reason: `mapping failed: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  if (bounds.errors.length > 0) {
    // What the mapping says of a field left out ("required but missing") is said better by its bound.
    const others = result.ok ? [] : result.errors.filter((e) => !bounds.oversized.has(e.field));
    return rejected(mapping, native, index, naturalKey, [...bounds.errors, ...others]);
  }
  if (!result.ok) {
    const errors = result.errors.length > 0 ? result.errors : [{ field: '(record)', reason: 'rejected by the mapping without a reason' }];
    return rejected(mapping, native, index, naturalKey, errors);
  }
  if (naturalKey === undefined || naturalKey === '') {
    return rejected(mapping, native, index, naturalKey, [{ field: '(record)', reason: 'the record has no natural key' }]);
  }
  const eventId = recordEventId(mapping.department, mapping.resource, naturalKey, native);
  return { index, eventId, naturalKey, record: { eventId, ...result.record } };
}

/**
 * Keeps the first of each id that `isKnown` does not hold. Rejections are
 * de-duplicated the same way (so a re-sent bad record is dead-lettered once)
 * but every rejected record still appears in the outcome.
 */
export function planBatch<R extends { eventId: string } = MappedRecord, J extends PlannedRejection = RejectedRecord>(
  mapped: readonly R[],
  rejections: readonly J[],
  known: ReadonlySet<string>,
): BatchPlan<R, J> {
  const seen = new Set<string>();
  const records: R[] = [];
  let duplicates = 0;
  for (const record of mapped) {
    if (known.has(record.eventId) || seen.has(record.eventId)) duplicates += 1;
    else {
      seen.add(record.eventId);
      records.push(record);
    }
  }
  const newRejections: J[] = [];
  for (const rejection of rejections) {
    if (known.has(rejection.id) || seen.has(rejection.id)) continue;
    seen.add(rejection.id);
    newRejections.push(rejection);
  }
  return {
    records,
    rejections: newRejections,
    outcome: { accepted: records.length, duplicates, rejected: rejectedEntries(rejections) },
  };
}

export function rejectedEntries(rejections: readonly Pick<RejectedRecord, 'index' | 'errors'>[]): RejectedEntry[] {
  return [...rejections]
    .sort((a, b) => a.index - b.index)
    .flatMap((r) => r.errors.map((e) => ({ index: r.index, field: e.field, reason: e.reason })));
}

/** How many records an outcome rejected (a record with several bad fields has several entries). */
export function rejectedRecordCount(outcome: Pick<PublishOutcome, 'rejected'>): number {
  return new Set(outcome.rejected.map((r) => r.index)).size;
}

/** Every id a plan's look-up needs: events and rejections. */
export function idsOf(mapped: readonly { eventId: string }[], rejections: readonly { id: string }[]): string[] {
  return [...mapped.map((r) => r.eventId), ...rejections.map((r) => r.id)];
}

/** Adds the outcomes of consecutive chunks of one call. */
export function mergeOutcomes(outcomes: readonly PublishOutcome[]): PublishOutcome {
  return {
    accepted: outcomes.reduce((n, o) => n + o.accepted, 0),
    duplicates: outcomes.reduce((n, o) => n + o.duplicates, 0),
    rejected: outcomes.flatMap((o) => o.rejected),
  };
}

/** Splits `items` into consecutive chunks of at most `size`, each with the index of its first item. */
export function chunks<T>(items: readonly T[], size: number): Array<{ start: number; items: T[] }> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const result: Array<{ start: number; items: T[] }> = [];
  for (let start = 0; start < items.length; start += size) result.push({ start, items: items.slice(start, start + size) });
  return result;
}
