import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError } from './canonical.ts';
import {
  appendEntries,
  checkpointDue,
  checkpointSignatureHolds,
  entryHash,
  GENESIS_HASH,
  genesisHead,
  keyIdOf,
  signCheckpoint,
} from './chain.ts';
import { sampleEntry, testKeys } from './fixtures.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and leaves out undefined properties, so equal values give equal text', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true }, e: undefined })).toBe('{"a":{"c":true,"d":[1,"x",null]},"b":1}');
    expect(canonicalJson({ a: { c: true, d: [1, 'x', null] }, b: 1 })).toBe(canonicalJson(JSON.parse('{"b":1,"a":{"d":[1,"x",null],"c":true}}')));
    expect(canonicalJson({ name: '办件 "x"\n' })).toBe('{"name":"办件 \\"x\\"\\n"}');
  });

  it('refuses what JSON cannot carry faithfully, naming where', () => {
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ bytes: Number.NaN })).toThrow(/\$\.bytes/);
    expect(() => canonicalJson({ list: [1, undefined] })).toThrow(/\$\.list\[1\]/);
  });
});

describe('the hash chain of a partition', () => {
  it('chains entries from the genesis hash: seq one more each time, prev the hash before, hash over partition, seq, prev and entry', () => {
    const start = genesisHead(2);
    const { chained, head } = appendEntries(start, [sampleEntry(1), sampleEntry(2), sampleEntry(3)]);
    expect(chained.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chained[0]!.prev).toBe(GENESIS_HASH);
    expect(chained[1]!.prev).toBe(chained[0]!.hash);
    expect(chained[2]!.prev).toBe(chained[1]!.hash);
    for (const entry of chained) {
      expect(entry.partition).toBe(2);
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(entryHash(entry)).toBe(entry.hash);
    }
    expect(head).toEqual({ partition: 2, seq: 3, hash: chained[2]!.hash });
    // Pure: the head given is left as it was.
    expect(start).toEqual({ partition: 2, seq: 0, hash: GENESIS_HASH });
  });

  it('gives the same hashes for the same entries in another key order, and others in another partition or order', () => {
    const entry = sampleEntry(7);
    const reversed = Object.fromEntries(Object.entries(entry).reverse()) as typeof entry;
    expect(appendEntries(genesisHead(0), [reversed]).head).toEqual(appendEntries(genesisHead(0), [entry]).head);
    expect(appendEntries(genesisHead(1), [entry]).head.hash).not.toBe(appendEntries(genesisHead(0), [entry]).head.hash);
    const ab = appendEntries(genesisHead(0), [sampleEntry(1), sampleEntry(2)]).head.hash;
    const ba = appendEntries(genesisHead(0), [sampleEntry(2), sampleEntry(1)]).head.hash;
    expect(ab).not.toBe(ba);
  });

  it('continues a chain in pieces exactly as in one go (a batch after a batch, or after a restore)', () => {
    const entries = [1, 2, 3, 4, 5].map(sampleEntry);
    const whole = appendEntries(genesisHead(0), entries);
    const first = appendEntries(genesisHead(0), entries.slice(0, 2));
    const rest = appendEntries(first.head, entries.slice(2));
    expect([...first.chained, ...rest.chained]).toEqual(whole.chained);
  });

  it('stores each entry as JSON has it: what was hashed is what is written', () => {
    const { chained } = appendEntries(genesisHead(0), [{ ...sampleEntry(1), agreementId: undefined }]);
    expect('agreementId' in chained[0]!.entry).toBe(false);
    expect(entryHash(JSON.parse(JSON.stringify(chained[0])))).toBe(chained[0]!.hash);
  });
});

describe('checkpoints', () => {
  const { privateKey, publicKey } = testKeys();
  const { head } = appendEntries(genesisHead(1), [sampleEntry(1), sampleEntry(2)]);

  it('sign a partition\'s head with Ed25519, naming the key, and hold under the public key', () => {
    const checkpoint = signCheckpoint(head, new Date('2026-03-03T02:00:00Z'), privateKey);
    expect(checkpoint).toMatchObject({ partition: 1, seq: 2, hash: head.hash, signedAt: '2026-03-03T02:00:00.000Z', keyId: keyIdOf(publicKey) });
    expect(checkpointSignatureHolds(checkpoint, publicKey)).toBe(true);
    // Deterministic: the same head, time and key sign the same.
    expect(signCheckpoint(head, new Date('2026-03-03T02:00:00Z'), privateKey)).toEqual(checkpoint);
  });

  it('do not hold when any signed field changed, or under another key', () => {
    const checkpoint = signCheckpoint(head, new Date('2026-03-03T02:00:00Z'), privateKey);
    for (const changed of [{ seq: 3 }, { partition: 0 }, { hash: '1'.repeat(64) }, { signedAt: '2026-03-04T02:00:00.000Z' }, { keyId: 'ffffffffffffffff' }, { signature: 'AAAA' }]) {
      expect(checkpointSignatureHolds({ ...checkpoint, ...changed }, publicKey), JSON.stringify(changed)).toBe(false);
    }
    expect(checkpointSignatureHolds(checkpoint, testKeys().publicKey)).toBe(false);
  });

  it('come due after N entries or T since the last one, and never with nothing new', () => {
    const policy = { entries: 10, intervalMs: 60_000 };
    const at = (ms: number) => new Date(1_000_000 + ms);
    expect(checkpointDue({ sinceCheckpoint: 0, lastCheckpointAt: 0 }, policy, at(10 ** 9))).toBe(false);
    expect(checkpointDue({ sinceCheckpoint: 9, lastCheckpointAt: 1_000_000 }, policy, at(59_999))).toBe(false);
    expect(checkpointDue({ sinceCheckpoint: 10, lastCheckpointAt: 1_000_000 }, policy, at(1))).toBe(true);
    expect(checkpointDue({ sinceCheckpoint: 1, lastCheckpointAt: 1_000_000 }, policy, at(60_000))).toBe(true);
    // Restored without seeing the last checkpoint: sign at once.
    expect(checkpointDue({ sinceCheckpoint: 1, lastCheckpointAt: undefined }, policy, at(0))).toBe(true);
  });
});
