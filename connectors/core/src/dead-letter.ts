import { boundedOriginal, cloudEventHeaders, DEAD_LETTER_ORIGINAL_BYTES, type OriginalDigest, type OutgoingRecord } from '@hub/runtime';
import { shownName } from './limits/record-limits.ts';
import type { FieldError, NativeRecord } from './mapping.ts';

/** Where connectors put what they cannot publish (死信): never dropped, always with the reason. */
export const DEAD_LETTER_TOPIC = 'dlq.connectors';
export const RECORD_REJECTED_TYPE = 'gov.hub.connectors.RecordRejected';

export type SourceKind = 'http' | 'file' | 'database';

/** Where a batch of native records came from. */
export interface RecordSource {
  kind: SourceKind;
  /** The pushing client, the file name within its drop folder, or the database source name. */
  name: string;
  /**
   * Row number of the batch's first record within the source (1-based: the first
   * data row of a file is 1); 1 when absent, so a pushed record's row is its
   * position in the request. Each dead letter names its own row.
   */
  firstRow?: number;
}

/** The value of a `dlq.connectors` record (JSON). */
export interface DeadLetter {
  connector: string;
  department: string;
  resource: string;
  source: { kind: SourceKind; name: string; row: number };
  /** The first field in error; every one is in `errors`. */
  field: string;
  /** The reason for `field`; with more errors, how many more there are. */
  reason: string;
  errors: FieldError[];
  /**
   * The record as it was read, whole when its JSON is at most 64 KiB; otherwise
   * cut (`originalTruncated`): each value at most 1,024 characters and an
   * ellipsis, and the fields that fit. `originalBytes` and `originalSha256`
   * are of the whole record's JSON (`JSON.stringify(record)`, UTF-8).
   */
  original: NativeRecord;
  originalBytes: OriginalDigest['originalBytes'];
  originalSha256: OriginalDigest['originalSha256'];
  originalTruncated: OriginalDigest['originalTruncated'];
  /** ISO 8601 time of receipt. */
  receivedAt: string;
}

/** At most this many errors are carried, each reason at most `REASON_CHARS`: a dead letter stays small whatever it was sent. */
const CARRIED_ERRORS = 32;
const REASON_CHARS = 1_000;
/** A value of a cut original is kept this long. */
const CUT_VALUE_CHARS = 1_024;

export interface RejectedRecord {
  /** Deterministic id of the rejection (see `rejectionId`): the same bad record is dead-lettered once. */
  id: string;
  naturalKey: string | undefined;
  /** Position of the record in its batch. */
  index: number;
  errors: FieldError[];
  original: NativeRecord;
}

export function deadLetterOf(
  rejected: RejectedRecord,
  context: { connector: string; department: string; resource: string; source: RecordSource; receivedAt: Date },
): DeadLetter {
  const errors = boundedErrors(rejected.errors);
  const [first, ...more] = errors;
  const row = (context.source.firstRow ?? 1) + rejected.index;
  return {
    connector: context.connector,
    department: context.department,
    resource: context.resource,
    source: { kind: context.source.kind, name: context.source.name, row },
    field: first?.field ?? '(record)',
    reason: (first?.reason ?? 'rejected') + (more.length > 0 ? ` (and ${more.length} more: ${more.map((e) => e.field).join(', ')})` : ''),
    errors,
    ...boundedRecord(rejected.original),
    receivedAt: context.receivedAt.toISOString(),
  };
}

function boundedErrors(errors: readonly FieldError[]): FieldError[] {
  const cut = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars)}…` : text);
  const carried = errors.slice(0, CARRIED_ERRORS).map((e) => ({ field: shownName(e.field), reason: cut(e.reason, REASON_CHARS) }));
  if (errors.length > CARRIED_ERRORS) carried.push({ field: '(record)', reason: `and ${errors.length - CARRIED_ERRORS} more errors` });
  return carried;
}

/**
 * The original as a dead letter carries it, with the size and SHA-256 of the whole
 * (the same digest the router's dead letters carry, `boundedOriginal`).
 */
export function boundedRecord(original: NativeRecord, limitBytes = DEAD_LETTER_ORIGINAL_BYTES): Pick<DeadLetter, 'original' | 'originalBytes' | 'originalSha256' | 'originalTruncated'> {
  const { kept: _kept, ...digest } = boundedOriginal(JSON.stringify(original), limitBytes);
  if (!digest.originalTruncated) return { original, ...digest };
  const cut: NativeRecord = {};
  let bytes = 2;
  for (const name in original) {
    const value = original[name];
    const shown = typeof value === 'string' && value.length > CUT_VALUE_CHARS ? `${value.slice(0, CUT_VALUE_CHARS)}…` : value;
    const key = shownName(name);
    const cost = Buffer.byteLength(JSON.stringify(key)) + Buffer.byteLength(JSON.stringify(shown) ?? '') + 2;
    if (bytes + cost > limitBytes) break;
    cut[key] = shown;
    bytes += cost;
  }
  return { original: cut, ...digest };
}

/** A natural key longer than this is no key (the record is rejected for it): the dead letter is keyed by its row. */
const MAX_KEY_CHARS = 1_024;

/** The Kafka message of a dead letter: keyed by the natural key, or `<source>#<row>` without one. */
export function deadLetterMessage(id: string, letter: DeadLetter, naturalKey: string | undefined): OutgoingRecord {
  const key = naturalKey !== undefined && naturalKey.length <= MAX_KEY_CHARS ? naturalKey : `${letter.source.name}#${letter.source.row}`;
  return {
    key,
    value: JSON.stringify(letter),
    headers: {
      ...cloudEventHeaders({
        id,
        type: RECORD_REJECTED_TYPE,
        source: `/connectors/${letter.connector}/${letter.department}/${letter.source.kind}`,
        time: new Date(letter.receivedAt),
        subject: key,
      }),
      'content-type': 'application/json',
    },
  };
}
