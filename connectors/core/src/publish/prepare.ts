import type { RejectedRecord } from '../dead-letter.ts';
import { rejectionId } from '../event-id.ts';
import type { RecordLimits } from '../limits/record-limits.ts';
import type { FieldError, MappingContext, NativeRecord, ResourceMapping } from '../mapping.ts';
import { mapRecord } from './plan.ts';

/**
 * A chunk of native records mapped, validated, given their event ids and
 * Avro-encoded: everything about a batch that does not depend on the ledger.
 * Pure, so the publisher prepares the next batch while the one before it is
 * still in its transaction; what is new is decided only after that commit.
 */
export interface PreparedChunk {
  /** Records that mapped, in batch order. */
  records: PreparedRecord[];
  /** Records that did not (`original` left out: the caller holds the natives). */
  rejections: Array<Omit<RejectedRecord, 'original'>>;
}

export interface PreparedRecord {
  index: number;
  eventId: string;
  naturalKey: string;
  /** `occurredAt` (epoch ms) when the canonical record has a valid one. */
  time?: number;
  /** The value in the registry's wire format; absent when Avro refused the mapped record. */
  value?: Buffer;
  /** Why Avro refused it (a mapping defect), with the id of its dead letter. */
  encodingError?: { id: string; reason: string };
}

export interface PrepareInput {
  mapping: ResourceMapping;
  natives: readonly NativeRecord[];
  /** Time of receipt (epoch ms). */
  now: number;
  readErrors?: ReadonlyMap<number, FieldError[]>;
  /** Bounds of each native record (`DEFAULT_RECORD_LIMITS` when absent). */
  limits?: RecordLimits;
}

/** `encode` writes a canonical record in the wire format or throws; `typeName` names the schema in the reason. */
export function prepareChunk(input: PrepareInput, encode: (record: Record<string, unknown>) => Buffer, typeName: string): PreparedChunk {
  const { mapping, natives } = input;
  const context: MappingContext = { now: new Date(input.now), department: mapping.department };
  const records: PreparedRecord[] = [];
  const rejections: PreparedChunk['rejections'] = [];
  // Each record encoded as soon as it is mapped: its canonical form dies young, not kept for the whole chunk.
  natives.forEach((native, index) => {
    const m = mapRecord(mapping, native, index, context, input.readErrors?.get(index), input.limits);
    if ('errors' in m) {
      const { original: _original, ...rejection } = m;
      rejections.push(rejection);
      return;
    }
    const occurredAt = m.record.occurredAt;
    const record: PreparedRecord = { index: m.index, eventId: m.eventId, naturalKey: m.naturalKey };
    if (occurredAt instanceof Date && !Number.isNaN(occurredAt.getTime())) record.time = occurredAt.getTime();
    try {
      record.value = encode(m.record);
    } catch (error) {
      record.encodingError = {
        id: rejectionId(mapping.department, mapping.resource, m.naturalKey, native),
        reason: `the mapped record does not fit the Avro schema ${typeName} (a mapping defect, not the sender's): ${encodingReason(error)}`,
      };
    }
    records.push(record);
  });
  return { records, rejections };
}

function encodingReason(error: unknown): string {
  const paths = (error as { paths?: string[][] } | undefined)?.paths;
  if (Array.isArray(paths) && paths.length > 0) return `invalid value at ${paths.map((p) => p.join('.')).join(', ')}`;
  return error instanceof Error ? error.message : String(error);
}
