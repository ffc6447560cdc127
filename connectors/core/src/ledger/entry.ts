/** The once-only ledger's topic: one message per publishing transaction, in that same transaction. */
export const LEDGER_TOPIC = 'ledger.connectors';

/** How far a file of a drop folder has been published. */
export interface FileProgress {
  /** The drop folder, `<dept>/<resource>`. */
  source: string;
  /** SHA-256 (hex) of the file's bytes: the same content under another name is the same file. */
  fileId: string;
  name: string;
  /** Data rows (1-based) published so far; resuming starts at rowReached + 1. */
  rowReached: number;
  complete: boolean;
}

/** How far a database table has been read: the last (updated-at, key) published. */
export interface Watermark {
  /** The database source's name, `<dept>/<resource>` unless configured otherwise. */
  source: string;
  /** The updated-at column's value as PostgreSQL writes it as text (full precision). */
  updatedAt: string;
  key: string;
}

/** The value (JSON) of a `ledger.connectors` message; its key is the connector. */
export interface LedgerEntry {
  connector: string;
  instanceId: string;
  /** Ids of the record events published in the transaction. */
  eventIds: string[];
  /** Ids of the dead letters published in the transaction (see `rejectionId`). */
  rejectionIds: string[];
  file?: FileProgress;
  watermark?: Watermark;
}

export function parseLedgerEntry(text: string): LedgerEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<LedgerEntry>;
  if (typeof entry.connector !== 'string' || typeof entry.instanceId !== 'string' || !Array.isArray(entry.eventIds)) return undefined;
  return {
    connector: entry.connector,
    instanceId: entry.instanceId,
    eventIds: entry.eventIds.filter((id): id is string => typeof id === 'string'),
    rejectionIds: Array.isArray(entry.rejectionIds) ? entry.rejectionIds.filter((id): id is string => typeof id === 'string') : [],
    ...(isFileProgress(entry.file) ? { file: entry.file } : {}),
    ...(isWatermark(entry.watermark) ? { watermark: entry.watermark } : {}),
  };
}

function isFileProgress(value: unknown): value is FileProgress {
  const file = value as FileProgress | undefined;
  return typeof file === 'object' && file !== null && typeof file.source === 'string' && typeof file.fileId === 'string'
    && typeof file.name === 'string' && Number.isInteger(file.rowReached) && typeof file.complete === 'boolean';
}

function isWatermark(value: unknown): value is Watermark {
  const mark = value as Watermark | undefined;
  return typeof mark === 'object' && mark !== null && typeof mark.source === 'string' && typeof mark.updatedAt === 'string' && typeof mark.key === 'string';
}
