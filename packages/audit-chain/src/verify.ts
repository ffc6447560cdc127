import type { KeyObject } from 'node:crypto';
import { checkpointSignatureHolds, entryHash, GENESIS_HASH, keyIdOf, type ChainedEntry, type Checkpoint } from './chain.ts';
import type { LoggedRecord } from './records.ts';

/**
 * What is wrong with a partition's log, in the words of the issue:
 * - `altered`: an entry's content no longer matches its hash, or entries were
 *   changed and re-hashed, which the next entry or a signed checkpoint shows;
 * - `removed`: entries are missing (a seq gap);
 * - `reordered`: an entry (or a checkpoint) stands before one it follows;
 * - `inserted`: an entry that is not part of the chain (a copy, a second entry
 *   for a seq, an entry or checkpoint of another partition);
 * - `truncated`: the tail was cut: entries a signed checkpoint (in the log or
 *   an anchor from an earlier export) covers are missing at the end;
 * - `forged-checkpoint`: a checkpoint whose signature does not hold under the key;
 * - `unreadable`: a record that is not an audit record at all.
 */
export type ChainProblemKind = 'altered' | 'removed' | 'reordered' | 'inserted' | 'truncated' | 'forged-checkpoint' | 'unreadable';

export interface ChainProblem {
  partition: number;
  /** The record the problem is named at; null when nothing of the partition is left. */
  offset: string | null;
  kind: ChainProblemKind;
  /** The seq concerned (the entry's, or the first missing one). */
  seq?: number;
  message: string;
}

export interface PartitionSummary {
  partition: number;
  /** Entries that verified (up to the problem, when there is one). */
  entries: number;
  checkpoints: number;
  /** The seq of the last entry that verified. */
  lastSeq: number;
  /** The seq the last verified checkpoint signs (0: none yet), and when. */
  signedSeq: number;
  signedAt?: string;
  firstOffset?: string;
  lastOffset?: string;
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  checkpoints: number;
  partitions: PartitionSummary[];
  /** The first problem of each partition that has one, by partition. */
  problems: ChainProblem[];
  /** The first of `problems`. */
  problem?: ChainProblem;
}

export interface VerifyOptions {
  /**
   * Checkpoints kept outside the log (an earlier export, or the lines of it
   * that are checkpoints): each partition must still reach each of them, with
   * the same head. They turn a cut tail, which the log alone cannot show once
   * its last checkpoint is cut with it, into a `truncated` problem.
   */
  anchors?: readonly Checkpoint[];
  /** Partitions the log has, so that an empty one is in the summary too (a topic's; an export lists only those with records). */
  partitions?: readonly number[];
}

export class InvalidAnchorError extends Error {
  override name = 'InvalidAnchorError';
}

/**
 * Verifies the audit log: per partition, in the order given (the log's order,
 * offsets rising), every entry follows on from the one before (seq one more,
 * `prev` its hash, its own hash over its content) from the genesis hash, every
 * checkpoint's signature holds under `publicKey` and signs the head the chain
 * has at that point. Stops at the first problem of each partition and names
 * it by partition and offset.
 *
 * Not detectable from the log alone: entries after a partition's last
 * checkpoint are only hash-chained, so whoever can write the topic can cut
 * them, or cut them with that checkpoint and everything after the one before,
 * or rewrite them with recomputed hashes. `anchors` (checkpoints exported
 * earlier and kept elsewhere) bound that.
 */
export function verifyChain(records: readonly LoggedRecord[], publicKey: KeyObject, options: VerifyOptions = {}): ChainVerification {
  const keyId = keyIdOf(publicKey);
  const byPartition = new Map<number, LoggedRecord[]>();
  for (const record of records) {
    let list = byPartition.get(record.partition);
    if (!list) byPartition.set(record.partition, (list = []));
    list.push(record);
  }
  const anchors = new Map<number, Map<number, Checkpoint>>();
  for (const anchor of options.anchors ?? []) {
    if (!checkpointSignatureHolds(anchor, publicKey)) throw new InvalidAnchorError(`the anchor checkpoint of partition ${anchor.partition} at seq ${anchor.seq} is not signed by key ${keyId}`);
    let list = anchors.get(anchor.partition);
    if (!list) anchors.set(anchor.partition, (list = new Map()));
    const held = list.get(anchor.seq);
    if (held && held.hash !== anchor.hash) throw new InvalidAnchorError(`two anchor checkpoints of partition ${anchor.partition} sign different heads at seq ${anchor.seq}`);
    list.set(anchor.seq, anchor);
  }
  const partitions: PartitionSummary[] = [];
  const problems: ChainProblem[] = [];
  for (const partition of [...new Set([...(options.partitions ?? []), ...byPartition.keys(), ...anchors.keys()])].sort((a, b) => a - b)) {
    const result = verifyPartition(partition, byPartition.get(partition) ?? [], publicKey, keyId, anchors.get(partition) ?? new Map());
    partitions.push(result.summary);
    if (result.problem) problems.push(result.problem);
  }
  return {
    ok: problems.length === 0,
    entries: partitions.reduce((sum, p) => sum + p.entries, 0),
    checkpoints: partitions.reduce((sum, p) => sum + p.checkpoints, 0),
    partitions,
    problems,
    ...(problems[0] ? { problem: problems[0] } : {}),
  };
}

function hashHolds(entry: ChainedEntry): boolean {
  try {
    return entryHash(entry) === entry.hash;
  } catch {
    return false;
  }
}

const seqRange = (from: number, to: number): string => (to > from ? `seq ${from}–${to}` : `seq ${from}`);

function verifyPartition(
  partition: number,
  items: readonly LoggedRecord[],
  publicKey: KeyObject,
  keyId: string,
  anchors: ReadonlyMap<number, Checkpoint>,
): { summary: PartitionSummary; problem?: ChainProblem } {
  let head = { seq: 0, hash: GENESIS_HASH, prev: '' };
  /** Index of the head entry in `items` (-1: genesis). */
  let headAt = -1;
  /** The last point a signature vouches for: a checkpoint in the log, or an anchor the chain reached. */
  let vouched = { seq: 0, at: -1 };
  let lastCheckpoint: Checkpoint | undefined;
  const checkpointsSeen = new Map<string, string>();
  let entries = 0;
  let checkpoints = 0;

  const offset = (i: number): string => items[i]!.offset;
  const entryAt = (i: number): ChainedEntry | undefined => {
    const item = items[i];
    return item && 'entry' in item ? item.entry : undefined;
  };
  const entryIndexesAfter = function* (i: number) {
    for (let j = i + 1; j < items.length; j += 1) if (entryAt(j)) yield j;
  };
  const laterEntry = (i: number, test: (entry: ChainedEntry) => boolean): number | undefined => {
    for (const j of entryIndexesAfter(i)) if (test(entryAt(j)!)) return j;
    return undefined;
  };
  const headText = () => (headAt >= 0 ? `seq ${head.seq} at offset ${offset(headAt)}` : 'the genesis hash');

  const summary = (): PartitionSummary => ({
    partition,
    entries,
    checkpoints,
    lastSeq: head.seq,
    signedSeq: lastCheckpoint?.seq ?? 0,
    ...(lastCheckpoint ? { signedAt: lastCheckpoint.signedAt } : {}),
    ...(items.length > 0 ? { firstOffset: items[0]!.offset, lastOffset: items.at(-1)!.offset } : {}),
  });
  const fail = (at: number | null, kind: ChainProblemKind, seq: number | undefined, message: string) => ({
    summary: summary(),
    problem: { partition, offset: at === null ? null : offset(at), kind, ...(seq === undefined ? {} : { seq }), message },
  });
  /** The chain reached a signed seq with another head: what came after the last vouched point was rewritten. */
  const rewritten = (at: number, signer: string, signedHash: string) => {
    const first = laterEntry(vouched.at, () => true) ?? at;
    return fail(first, 'altered', entryAt(first)?.seq, `the entries after seq ${vouched.seq} were changed and their hashes recomputed: ${signer} signs head ${signedHash.slice(0, 12)}… at seq ${head.seq}, the chain has ${head.hash.slice(0, 12)}…`);
  };

  function classifyEntry(i: number): { summary: PartitionSummary; problem?: ChainProblem } {
    const e = entryAt(i)!;
    const expected = head.seq + 1;
    if (e.partition !== partition) return fail(i, 'inserted', e.seq, `an entry of partition ${e.partition} (seq ${e.seq}) in partition ${partition}`);
    if (headAt >= 0 && e.seq === head.seq && e.hash === head.hash) return fail(i, 'inserted', e.seq, `a copy of the entry at offset ${offset(headAt)} (seq ${e.seq})`);
    const next = laterEntry(i, () => true);
    const nextEntry = next === undefined ? undefined : entryAt(next)!;
    if (nextEntry && nextEntry.seq === expected && nextEntry.prev === head.hash && hashHolds(nextEntry)) {
      // The entry after this one follows on from the one before: this one stands in the way.
      if (e.seq > expected && laterEntry(i, (later) => later.hash === e.prev) !== undefined) {
        return fail(i, 'reordered', e.seq, `seq ${e.seq} comes before seq ${expected} (offset ${offset(next!)}), which it follows`);
      }
      return fail(i, 'inserted', e.seq, `not part of the chain: the entry after it (offset ${offset(next!)}, seq ${expected}) follows on from ${headText()}`);
    }
    if (headAt >= 0 && e.seq === head.seq && e.prev === head.prev && hashHolds(e)) {
      // Two entries for one place. The chain goes on from the genuine one.
      let inserted: 'head' | 'this' | undefined;
      if (nextEntry?.prev === e.hash) inserted = 'head';
      else if (nextEntry?.prev === head.hash) inserted = 'this';
      else {
        for (let j = i + 1; j < items.length && inserted === undefined; j += 1) {
          const item = items[j]!;
          if (!('checkpoint' in item) || item.checkpoint.seq !== e.seq || !checkpointSignatureHolds(item.checkpoint, publicKey)) continue;
          if (item.checkpoint.hash === e.hash) inserted = 'head';
          else if (item.checkpoint.hash === head.hash) inserted = 'this';
        }
      }
      if (inserted === 'head') return fail(headAt, 'inserted', head.seq, `a second entry for seq ${head.seq}: the chain goes on from the one at offset ${offset(i)}`);
      return fail(i, 'inserted', e.seq, inserted === 'this'
        ? `a second entry for seq ${e.seq}: the chain goes on from the one at offset ${offset(headAt)}`
        : `a second entry for seq ${e.seq}: this one or the one at offset ${offset(headAt)} was inserted`);
    }
    if (e.seq === expected) {
      if (!hashHolds(e)) return fail(i, 'altered', e.seq, `its content does not match its hash (seq ${e.seq})`);
      if (headAt >= 0) {
        return fail(headAt, 'altered', head.seq, `the entry after it (offset ${offset(i)}, seq ${e.seq}) names another predecessor: this entry was changed and its hash recomputed, or that entry's prev was`);
      }
      return fail(i, 'altered', e.seq, `the first entry of the partition does not start from the genesis hash`);
    }
    if (e.seq > expected) {
      if (laterEntry(i, (later) => later.seq === expected) !== undefined) return fail(i, 'reordered', e.seq, `seq ${e.seq} comes before seq ${expected}, which it follows`);
      return fail(i, 'removed', expected, `${seqRange(expected, e.seq - 1)} missing: removed between ${headText()} and this entry (seq ${e.seq})`);
    }
    return fail(i, 'inserted', e.seq, `seq ${e.seq} again, after ${headText()}`);
  }

  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
    if (i > 0) {
      const before = BigInt(offset(i - 1));
      const here = BigInt(item.offset);
      if (here === before) return fail(i, 'inserted', undefined, `a second record at offset ${item.offset}`);
      if (here < before) return fail(i - 1, 'reordered', undefined, `offset ${offset(i - 1)} stands before offset ${item.offset}: the records are not in the log's order`);
    }
    if ('unreadable' in item) return fail(i, 'unreadable', undefined, `not an audit record (${item.unreadable}): inserted, or altered beyond reading`);
    if ('entry' in item) {
      const e = item.entry;
      if (e.partition !== partition || e.seq !== head.seq + 1 || e.prev !== head.hash || !hashHolds(e)) return classifyEntry(i);
      head = { seq: e.seq, hash: e.hash, prev: e.prev };
      headAt = i;
      entries += 1;
      const anchor = anchors.get(e.seq);
      if (anchor) {
        if (anchor.hash !== e.hash) return rewritten(i, `the anchor checkpoint signed at ${anchor.signedAt}`, anchor.hash);
        vouched = { seq: e.seq, at: i };
      }
      continue;
    }
    const c = item.checkpoint;
    if (!checkpointSignatureHolds(c, publicKey)) {
      return fail(i, 'forged-checkpoint', c.seq, c.keyId === keyId
        ? `the checkpoint of seq ${c.seq} does not hold under key ${keyId}: forged, or altered after signing`
        : `the checkpoint of seq ${c.seq} names key ${c.keyId}, and does not hold under the key given (${keyId})`);
    }
    if (c.partition !== partition) return fail(i, 'inserted', c.seq, `a checkpoint of partition ${c.partition} in partition ${partition}`);
    if (c.seq === head.seq) {
      if (c.hash !== head.hash) return rewritten(i, `the checkpoint at offset ${item.offset}`, c.hash);
      vouched = { seq: c.seq, at: i };
      lastCheckpoint = c;
      checkpoints += 1;
      checkpointsSeen.set(c.signature, item.offset);
      continue;
    }
    if (c.seq < head.seq) {
      const copyOf = checkpointsSeen.get(c.signature);
      if (copyOf !== undefined) return fail(i, 'inserted', c.seq, `a copy of the checkpoint at offset ${copyOf} (seq ${c.seq})`);
      let early = i;
      for (let j = i - 1; j >= 0; j -= 1) if (entryAt(j)?.seq === c.seq + 1) early = j;
      return fail(early, 'reordered', entryAt(early)?.seq ?? c.seq, `stands before the checkpoint of seq ${c.seq} (offset ${item.offset}), which signs the entries before it`);
    }
    // The checkpoint signs entries the chain has not reached.
    if (laterEntry(i, (later) => later.seq === head.seq + 1) !== undefined) {
      return fail(i, 'reordered', c.seq, `the checkpoint of seq ${c.seq} stands before entries it signs (the chain is at ${headText()})`);
    }
    const missing = seqRange(head.seq + 1, c.seq);
    if (laterEntry(i, () => true) === undefined) {
      return fail(i, 'truncated', head.seq + 1, `the tail was cut: ${missing}, which this checkpoint signs, are missing after ${headText()}`);
    }
    return fail(i, 'removed', head.seq + 1, `${missing}, which this checkpoint signs, are missing after ${headText()}`);
  }
  const beyond = [...anchors.values()].filter((a) => a.seq > head.seq).sort((a, b) => a.seq - b.seq)[0];
  if (beyond) {
    return fail(items.length > 0 ? items.length - 1 : null, 'truncated', head.seq + 1, `the tail was cut: an anchor checkpoint signed at ${beyond.signedAt} covers seq ${beyond.seq}, the partition ends at ${headText()}`);
  }
  return { summary: summary() };
}
