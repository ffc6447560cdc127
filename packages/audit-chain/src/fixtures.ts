import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { appendEntries, genesisHead, signCheckpoint, type AuditEntry, type ChainHead } from './chain.ts';
import type { LoggedRecord } from './records.ts';

/** Test fixtures: entries as the router would write them, and logs as Kafka would hold them. */

const departments = ['civil', 'tax', 'market', 'housing', 'hrss'];

export function sampleEntry(n: number): AuditEntry {
  const action = (['delivery', 'delivery', 'answer', 'refusal', 'agreement-change'] as const)[n % 5]!;
  return {
    who: departments[n % departments.length]!,
    action,
    resourceCode: 'ps.resident-identity',
    owner: 'ps',
    key: `45010219900101${String(n).padStart(4, '0')}`,
    agreementId: `agr-${n % 3}`,
    ...(action === 'answer' ? { requestId: `req-${n}`, outcome: 'answered' } : {}),
    ...(action === 'refusal' ? { reason: 'no agreement for ps.resident-identity' } : {}),
    eventId: `evt-${n}`,
    maskedFields: action === 'delivery' ? ['idNumber', 'phone'] : [],
    bytes: action === 'refusal' ? 0 : 300 + n,
    at: new Date(Date.UTC(2026, 2, 3, 1, 0, n)).toISOString(),
  };
}

export function testKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

/**
 * A log as the writer leaves it: per partition, transactions of `perTransaction`
 * entries, a checkpoint after every `checkpointEvery` entries (in the
 * transaction that reaches it), offsets as Kafka gives them (one more for each
 * transaction's commit marker). Partitions interleave in the list, as an export has them.
 */
export function buildLog(options: { privateKey: KeyObject; partitions?: number; entries?: number; perTransaction?: number; checkpointEvery?: number; finalCheckpoint?: boolean }): LoggedRecord[] {
  const { privateKey } = options;
  const partitions = options.partitions ?? 2;
  const total = options.entries ?? 12;
  const perTransaction = options.perTransaction ?? 3;
  const every = options.checkpointEvery ?? 4;
  const perPartition: LoggedRecord[][] = [];
  let n = 0;
  for (let partition = 0; partition < partitions; partition += 1) {
    const records: LoggedRecord[] = [];
    let head: ChainHead = genesisHead(partition);
    let offset = 0;
    let since = 0;
    for (let written = 0; written < total; written += perTransaction) {
      const batch = Array.from({ length: Math.min(perTransaction, total - written) }, () => sampleEntry((n += 1)));
      const { chained, head: next } = appendEntries(head, batch);
      head = next;
      for (const entry of chained) records.push({ partition, offset: String(offset++), entry });
      since += chained.length;
      const last = written + batch.length >= total;
      if (since >= every || (last && options.finalCheckpoint)) {
        records.push({ partition, offset: String(offset++), checkpoint: signCheckpoint(head, new Date(Date.UTC(2026, 2, 3, 2, 0, n)), privateKey) });
        since = 0;
      }
      offset += 1; // the commit marker
    }
    perPartition.push(records);
  }
  const log: LoggedRecord[] = [];
  for (let i = 0; perPartition.some((records) => i < records.length); i += 1) {
    for (const records of perPartition) if (records[i]) log.push(records[i]!);
  }
  return log;
}

/** A deep copy to tamper with. */
export function copyLog(log: readonly LoggedRecord[]): LoggedRecord[] {
  return structuredClone(log) as LoggedRecord[];
}

/** Index in `log` of the entry of `partition` with `seq`. */
export function indexOfEntry(log: readonly LoggedRecord[], partition: number, seq: number): number {
  const i = log.findIndex((r) => r.partition === partition && 'entry' in r && r.entry.seq === seq);
  if (i < 0) throw new Error(`no entry seq ${seq} in partition ${partition}`);
  return i;
}

export function offsetOfEntry(log: readonly LoggedRecord[], partition: number, seq: number): string {
  return log[indexOfEntry(log, partition, seq)]!.offset;
}
