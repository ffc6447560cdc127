import type { ConsumedRecord, OutgoingRecord } from '@hub/runtime';
import type { AuditRecord, ChainedEntry, Checkpoint } from './chain.ts';

/**
 * A record of the audit log with where it was read: one line of an export
 * (JSON Lines), and what `verifyChain` takes. `unreadable` is a record that is
 * not an audit record at all (not JSON, or not of either shape): kept, so that
 * verification names it.
 */
export type LoggedRecord = { partition: number; offset: string } & (
  | { entry: ChainedEntry }
  | { checkpoint: Checkpoint }
  | { unreadable: string }
);

const HEX64 = /^[0-9a-f]{64}$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Whether a value has the shape of a chained entry (the entry itself is hashed, not checked field by field). */
export function isChainedEntry(value: unknown): value is ChainedEntry {
  return isObject(value) && isSeq(value.partition) && isSeq(value.seq) && (value.seq as number) >= 1
    && typeof value.prev === 'string' && HEX64.test(value.prev) && typeof value.hash === 'string' && HEX64.test(value.hash) && isObject(value.entry);
}

export function isCheckpoint(value: unknown): value is Checkpoint {
  return isObject(value) && isSeq(value.partition) && isSeq(value.seq) && typeof value.hash === 'string' && HEX64.test(value.hash)
    && typeof value.signedAt === 'string' && typeof value.keyId === 'string' && typeof value.signature === 'string';
}

/** The audit record a Kafka value holds, or why it holds none. */
export function decodeAuditRecord(value: Buffer | string | null): AuditRecord | { unreadable: string } {
  if (value === null) return { unreadable: 'the record has no value' };
  const text = value.toString();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { unreadable: `not JSON: ${text.slice(0, 200)}` };
  }
  if (isObject(parsed) && parsed.type === 'AuditEntry' && isChainedEntry(parsed.data)) return { type: 'AuditEntry', data: parsed.data };
  if (isObject(parsed) && parsed.type === 'AuditCheckpoint' && isCheckpoint(parsed.data)) return { type: 'AuditCheckpoint', data: parsed.data };
  return { unreadable: `not an audit entry or checkpoint: ${text.slice(0, 200)}` };
}

/** A consumed record of `audit.exchange` as a logged record. */
export function loggedRecord(record: Pick<ConsumedRecord, 'partition' | 'offset' | 'value'>): LoggedRecord {
  const where = { partition: record.partition, offset: record.offset };
  const decoded = decodeAuditRecord(record.value);
  if ('unreadable' in decoded) return { ...where, unreadable: decoded.unreadable };
  switch (decoded.type) {
    case 'AuditEntry':
      return { ...where, entry: decoded.data };
    case 'AuditCheckpoint':
      return { ...where, checkpoint: decoded.data };
    default: {
      const _exhaustive: never = decoded;
      return _exhaustive;
    }
  }
}

/**
 * The Kafka record of an audit record, on its partition (given explicitly: the
 * chain is the partition's, never the key's). JSON like the gateway's audit
 * trail, read by people and SIEM tools; CloudEvents headers beside it. The
 * headers are not hashed: only the value is the record.
 */
export function auditKafkaRecord(record: AuditRecord, source: string): OutgoingRecord {
  const { partition, seq } = record.data;
  const [key, time, subject] = record.type === 'AuditEntry'
    ? [record.data.entry.who, record.data.entry.at, record.data.entry.resourceCode]
    : ['checkpoint', record.data.signedAt, `audit.exchange/${partition}`];
  return {
    partition,
    key,
    value: JSON.stringify(record),
    headers: {
      ce_specversion: '1.0',
      ce_id: `audit.exchange:${partition}:${seq}${record.type === 'AuditCheckpoint' ? ':checkpoint' : ''}`,
      ce_type: record.type === 'AuditEntry' ? 'gov.hub.audit.ExchangeEntry' : 'gov.hub.audit.ChainCheckpoint',
      ce_source: source,
      ce_time: time,
      ce_subject: subject,
      'content-type': 'application/json',
    },
  };
}

export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

/** One export line (no newline). */
export function exportLine(record: LoggedRecord): string {
  return JSON.stringify(record);
}

/**
 * The logged record of an export line. A line with its partition and offset
 * but a body of neither shape is an `unreadable` record (verification names
 * it); a line without even those is no line of an export (`ExportFormatError`).
 */
export function parseExportLine(line: string, lineNumber: number): LoggedRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new ExportFormatError(`line ${lineNumber} is not JSON: ${line.slice(0, 120)}`);
  }
  if (!isObject(parsed) || !isSeq(parsed.partition) || typeof parsed.offset !== 'string' || !/^\d+$/.test(parsed.offset)) {
    throw new ExportFormatError(`line ${lineNumber} has no partition and offset: ${line.slice(0, 120)}`);
  }
  const where = { partition: parsed.partition as number, offset: parsed.offset };
  if ('entry' in parsed && isChainedEntry(parsed.entry)) return { ...where, entry: parsed.entry };
  if ('checkpoint' in parsed && isCheckpoint(parsed.checkpoint)) return { ...where, checkpoint: parsed.checkpoint };
  if (typeof parsed.unreadable === 'string') return { ...where, unreadable: parsed.unreadable };
  return { ...where, unreadable: `line ${lineNumber} holds neither an entry nor a checkpoint` };
}
