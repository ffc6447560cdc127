import { describe, expect, it } from 'vitest';
import { appendEntries, entryHash, signCheckpoint, type ChainedEntry, type Checkpoint } from './chain.ts';
import { buildLog, copyLog, indexOfEntry, offsetOfEntry, sampleEntry, testKeys } from './fixtures.ts';
import type { LoggedRecord } from './records.ts';
import { verifyChain } from './verify.ts';

const { privateKey, publicKey } = testKeys();
/**
 * Two partitions of 12 entries, written 3 a transaction, a checkpoint once 4 or
 * more are unsigned: per partition E1 E2 E3 · E4 E5 E6 C6 · E7 E8 E9 · E10 E11 E12 C12 ·
 * at offsets 0–2, 4–7, 9–11, 13–16 (3, 8, 12 and 17 are the commit markers).
 */
const clean = buildLog({ privateKey, partitions: 2, entries: 12, perTransaction: 3, checkpointEvery: 4 });

const entryOf = (log: LoggedRecord[], partition: number, seq: number): ChainedEntry => (log[indexOfEntry(log, partition, seq)] as { entry: ChainedEntry }).entry;
const checkpointsOf = (log: LoggedRecord[]): Checkpoint[] => log.flatMap((r) => ('checkpoint' in r ? [r.checkpoint] : []));
const indexOfCheckpoint = (log: LoggedRecord[], partition: number, seq: number) => log.findIndex((r) => r.partition === partition && 'checkpoint' in r && r.checkpoint.seq === seq);
/** Puts `record` right after the record at `index` (the same partition's marker offset after it must be free). */
const insertAfter = (log: LoggedRecord[], index: number, record: Omit<LoggedRecord, 'partition' | 'offset'>, offset: string) => {
  log.splice(index + 1, 0, { partition: log[index]!.partition, offset, ...record } as LoggedRecord);
};
/** Swaps what two records hold, leaving their offsets where they are (a log rewritten in another order). */
const swapContents = (log: LoggedRecord[], i: number, j: number) => {
  const a = log[i]!;
  const b = log[j]!;
  log[i] = { ...b, offset: a.offset };
  log[j] = { ...a, offset: b.offset };
};
const rehash = (entry: ChainedEntry) => { entry.hash = entryHash(entry); };

describe('verifyChain on an intact log', () => {
  it('is ok and sums up entries, checkpoints and partitions', () => {
    const result = verifyChain(clean, publicKey);
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ entries: 24, checkpoints: 4 });
    expect(result.partitions).toEqual([
      expect.objectContaining({ partition: 0, entries: 12, checkpoints: 2, lastSeq: 12, signedSeq: 12, firstOffset: '0', lastOffset: '16' }),
      expect.objectContaining({ partition: 1, entries: 12, checkpoints: 2, lastSeq: 12, signedSeq: 12 }),
    ]);
  });

  it('lists a partition that has no records yet when told the topic has it', () => {
    const result = verifyChain(clean, publicKey, { partitions: [0, 1, 2] });
    expect(result.ok).toBe(true);
    expect(result.partitions[2]).toEqual({ partition: 2, entries: 0, checkpoints: 0, lastSeq: 0, signedSeq: 0 });
  });

  it('says how many entries are after the last checkpoint (not yet signed)', () => {
    const log = buildLog({ privateKey, partitions: 1, entries: 14, perTransaction: 3, checkpointEvery: 4 });
    const [partition] = verifyChain(log, publicKey).partitions;
    expect(partition).toMatchObject({ lastSeq: 14, signedSeq: 12 });
  });
});

describe('verifyChain names the first problem by partition and offset', () => {
  it('an entry altered: its content no longer matches its hash', () => {
    const log = copyLog(clean);
    entryOf(log, 1, 5).entry.bytes += 1;
    const result = verifyChain(log, publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ partition: 1, offset: offsetOfEntry(log, 1, 5), kind: 'altered', seq: 5 })]);
    expect(result.problem).toEqual(result.problems[0]);
  });

  it('an entry altered and its hash recomputed: the next entry names another predecessor', () => {
    const log = copyLog(clean);
    const entry = entryOf(log, 1, 5);
    entry.entry.who = 'land';
    rehash(entry);
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: offsetOfEntry(log, 1, 5), kind: 'altered', seq: 5 });
  });

  it('entries rewritten up to a checkpoint with every hash recomputed: the checkpoint signs another head', () => {
    const log = copyLog(clean);
    entryOf(log, 1, 8).entry.who = 'market';
    for (let seq = 8; seq <= 12; seq += 1) {
      const entry = entryOf(log, 1, seq);
      entry.prev = entryOf(log, 1, seq - 1).hash;
      rehash(entry);
    }
    // Named at the first entry the last good checkpoint (seq 6) does not vouch for.
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: offsetOfEntry(log, 1, 7), kind: 'altered', seq: 7 });
  });

  it('an entry removed: a seq gap, named at the entry after it', () => {
    const log = copyLog(clean);
    log.splice(indexOfEntry(log, 1, 5), 1);
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: offsetOfEntry(log, 1, 6), kind: 'removed', seq: 5 });
  });

  it('the entry before a checkpoint removed: the checkpoint signs a seq the chain has not reached', () => {
    const log = copyLog(clean);
    log.splice(indexOfEntry(log, 1, 6), 1);
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: log[indexOfCheckpoint(log, 1, 6)]!.offset, kind: 'removed', seq: 6 });
  });

  it('two entries swapped: named at the first one out of place', () => {
    const log = copyLog(clean);
    swapContents(log, indexOfEntry(log, 1, 5), indexOfEntry(log, 1, 6));
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '5', kind: 'reordered', seq: 6 });
  });

  it('two entries far apart swapped', () => {
    const log = copyLog(clean);
    swapContents(log, indexOfEntry(log, 0, 4), indexOfEntry(log, 0, 8));
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 0, offset: '4', kind: 'reordered', seq: 8 });
  });

  it('two lines of an export swapped, offsets and all: not in the log\'s order', () => {
    const log = copyLog(clean);
    const i = indexOfEntry(log, 1, 5);
    const j = indexOfEntry(log, 1, 6);
    [log[i], log[j]] = [log[j]!, log[i]!];
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '6', kind: 'reordered' });
  });

  it('a checkpoint moved before the entry it signs', () => {
    const log = copyLog(clean);
    swapContents(log, indexOfEntry(log, 1, 6), indexOfCheckpoint(log, 1, 6));
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '6', kind: 'reordered' });
  });

  it('one entry inserted: a copy of the entry before it', () => {
    const log = copyLog(clean);
    const i = indexOfEntry(log, 1, 9);
    insertAfter(log, i, { entry: structuredClone(entryOf(log, 1, 9)) }, '12');
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '12', kind: 'inserted', seq: 9 });
  });

  it('one entry inserted: an earlier entry replayed later', () => {
    const log = copyLog(clean);
    insertAfter(log, indexOfEntry(log, 1, 9), { entry: structuredClone(entryOf(log, 1, 2)) }, '12');
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '12', kind: 'inserted', seq: 2 });
  });

  it('one entry inserted: forged to follow on from the one before, with a right hash', () => {
    const log = copyLog(clean);
    const nine = entryOf(log, 1, 9);
    const forged = appendEntries({ partition: 1, seq: 9, hash: nine.hash }, [sampleEntry(999)]).chained[0]!;
    insertAfter(log, indexOfEntry(log, 1, 9), { entry: forged }, '12');
    // The chain goes on from the genuine seq 10, so the forged one is named.
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '12', kind: 'inserted', seq: 10 });
  });

  it('one entry inserted: made up, fitting nowhere', () => {
    const log = copyLog(clean);
    const madeUp = appendEntries({ partition: 1, seq: 41, hash: 'a'.repeat(64) }, [sampleEntry(5)]).chained[0]!;
    insertAfter(log, indexOfEntry(log, 1, 9), { entry: madeUp }, '12');
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '12', kind: 'inserted', seq: 42 });
  });

  it('an entry of another partition moved in', () => {
    const log = copyLog(clean);
    insertAfter(log, indexOfEntry(log, 1, 9), { entry: structuredClone(entryOf(log, 0, 10)) }, '12');
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '12', kind: 'inserted' });
  });

  it('a record that is no audit record inserted', () => {
    const log = copyLog(clean);
    insertAfter(log, indexOfEntry(log, 0, 3), { unreadable: 'not JSON: hello' }, '3');
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 0, offset: '3', kind: 'unreadable' });
  });

  it('the tail cut off, its checkpoint left: entries the checkpoint signs are missing', () => {
    const log = copyLog(clean).filter((r) => !(r.partition === 1 && 'entry' in r && r.entry.seq >= 10));
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '16', kind: 'truncated', seq: 10 });
  });

  it('the tail cut off with its checkpoint: not visible in the log alone, visible against checkpoints exported earlier', () => {
    const earlier = checkpointsOf(clean);
    const log = copyLog(clean).filter((r) => !(r.partition === 1 && (('entry' in r && r.entry.seq >= 10) || ('checkpoint' in r && r.checkpoint.seq === 12))));
    const alone = verifyChain(log, publicKey);
    expect(alone.ok).toBe(true);
    expect(alone.partitions[1]).toMatchObject({ lastSeq: 9, signedSeq: 6 });
    expect(verifyChain(log, publicKey, { anchors: earlier }).problem).toMatchObject({ partition: 1, offset: offsetOfEntry(log, 1, 9), kind: 'truncated', seq: 10 });
  });

  it('a whole partition gone: visible against checkpoints exported earlier', () => {
    const log = copyLog(clean).filter((r) => r.partition !== 1);
    expect(verifyChain(log, publicKey).ok).toBe(true);
    expect(verifyChain(log, publicKey, { anchors: checkpointsOf(clean) }).problem).toMatchObject({ partition: 1, offset: null, kind: 'truncated', seq: 1 });
  });

  it('a rewritten chain against an earlier export\'s checkpoint', () => {
    const log = copyLog(clean).filter((r) => !(r.partition === 0 && 'checkpoint' in r));
    entryOf(log, 0, 2).entry.who = 'tax';
    for (let seq = 2; seq <= 12; seq += 1) {
      const entry = entryOf(log, 0, seq);
      entry.prev = entryOf(log, 0, seq - 1).hash;
      rehash(entry);
    }
    expect(verifyChain(log, publicKey).ok).toBe(true);
    expect(verifyChain(log, publicKey, { anchors: checkpointsOf(clean) }).problem).toMatchObject({ partition: 0, offset: '0', kind: 'altered', seq: 1 });
  });

  it('cutting entries after the last checkpoint is what the log cannot show', () => {
    const log = buildLog({ privateKey, partitions: 1, entries: 14, perTransaction: 3, checkpointEvery: 4 });
    expect(verifyChain(log.slice(0, -1), publicKey).ok).toBe(true);
  });

  it('a forged checkpoint: altered after signing', () => {
    const log = copyLog(clean);
    const i = indexOfCheckpoint(log, 1, 6);
    (log[i] as { checkpoint: Checkpoint }).checkpoint.hash = entryOf(log, 1, 5).hash;
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: log[i]!.offset, kind: 'forged-checkpoint', seq: 6 });
  });

  it('a forged checkpoint: signed with another key', () => {
    const log = copyLog(clean);
    const i = indexOfCheckpoint(log, 0, 12);
    const other = testKeys();
    (log[i] as { checkpoint: Checkpoint }).checkpoint = signCheckpoint({ partition: 0, seq: 12, hash: entryOf(log, 0, 12).hash }, new Date(), other.privateKey);
    const problem = verifyChain(log, publicKey).problem;
    expect(problem).toMatchObject({ partition: 0, offset: log[i]!.offset, kind: 'forged-checkpoint' });
    expect(problem?.message).toMatch(/names key [0-9a-f]{16}/);
  });

  it('a genuine checkpoint of another partition moved in', () => {
    const log = copyLog(clean);
    const cp = (log[indexOfCheckpoint(log, 0, 12)] as { checkpoint: Checkpoint }).checkpoint;
    insertAfter(log, indexOfEntry(log, 1, 9), { checkpoint: structuredClone(cp) }, '12');
    expect(verifyChain(log, publicKey).problem).toMatchObject({ partition: 1, offset: '12', kind: 'inserted', seq: 12 });
  });

  it('every checkpoint, when verified with another key than the one that signed', () => {
    expect(verifyChain(clean, testKeys().publicKey).problems.map((p) => [p.partition, p.kind])).toEqual([[0, 'forged-checkpoint'], [1, 'forged-checkpoint']]);
  });

  it('the first problem of each partition, the lowest partition first', () => {
    const log = copyLog(clean);
    entryOf(log, 1, 3).entry.bytes = 0;
    log.splice(indexOfEntry(log, 0, 8), 1);
    const result = verifyChain(log, publicKey);
    expect(result.problems.map((p) => [p.partition, p.offset, p.kind])).toEqual([[0, '11', 'removed'], [1, '2', 'altered']]);
    expect(result.problem).toMatchObject({ partition: 0 });
  });
});
