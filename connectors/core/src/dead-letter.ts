import { cloudEventHeaders, type OutgoingRecord } from '@hub/runtime';
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
  original: NativeRecord;
  /** ISO 8601 time of receipt. */
  receivedAt: string;
}

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
  const [first, ...more] = rejected.errors;
  const row = (context.source.firstRow ?? 1) + rejected.index;
  return {
    connector: context.connector,
    department: context.department,
    resource: context.resource,
    source: { kind: context.source.kind, name: context.source.name, row },
    field: first?.field ?? '(record)',
    reason: (first?.reason ?? 'rejected') + (more.length > 0 ? ` (and ${more.length} more: ${more.map((e) => e.field).join(', ')})` : ''),
    errors: rejected.errors,
    original: rejected.original,
    receivedAt: context.receivedAt.toISOString(),
  };
}

/** The Kafka message of a dead letter: keyed by the natural key, or `<source>#<row>` without one. */
export function deadLetterMessage(id: string, letter: DeadLetter, naturalKey: string | undefined): OutgoingRecord {
  const key = naturalKey ?? `${letter.source.name}#${letter.source.row}`;
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
