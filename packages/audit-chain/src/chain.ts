import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical.ts';

/**
 * What happened in an exchange, as the audit trail (留痕) keeps it: one action
 * per kind of `exchange.monitoring` (交换类型), lower-case: a delivery of a
 * record to a subscriber (订阅交付), an answer to a data request (查询答复), a
 * verification (核验), a request forwarded to its provider and the provider's
 * response, a refusal, no record found, a request left unanswered, a change of
 * a sharing agreement (共享协议变更).
 */
export type AuditAction = 'delivery' | 'answer' | 'verification' | 'forward' | 'response' | 'refusal' | 'not-found' | 'timeout' | 'agreement-change';
export const auditActions: readonly AuditAction[] = ['delivery', 'answer', 'verification', 'forward', 'response', 'refusal', 'not-found', 'timeout', 'agreement-change'];

/** One audit entry: who, which resource and key, when, under which agreement, which fields were masked, the size. */
export interface AuditEntry {
  /** Who received, asked or changed: a department code, or `operator`. */
  who: string;
  action: AuditAction;
  /** The resource in the catalogue, e.g. `ps.resident-identity`. */
  resourceCode: string;
  /** The department that owns (provides) the resource. */
  owner?: string;
  /** The record's key (a delivery) or the key asked for (a data request). */
  key?: string;
  agreementId?: string;
  requestId?: string;
  /** The delivered envelope's event id, or the event the entry is about: what deliveries are compared by. */
  eventId?: string;
  /** The exchange number (交换编号) of `exchange.monitoring`: the delivery id, the request id or the agreement event id; one entry per exchange. */
  exchangeId?: string;
  /** Dotted paths of the sensitive fields that went out masked; empty when nothing was masked. */
  maskedFields: string[];
  /** Bytes delivered or answered (0 for a refusal or an agreement change). */
  bytes: number;
  /** ISO time of the exchange (the decision's time, not the audit write's). */
  at: string;
  /** How it ended: `answered`, `not-found`, `timeout`, `granted`, `revoked` … */
  outcome?: string;
  /** Whether the exchange succeeded (是否成功); a delivery that could not be masked did not. */
  succeeded?: boolean;
  /** Why not, as a code (故障代码): `unmaskable`, `no-agreement`, `timeout` …; for an agreement change, the event (`AgreementGranted` …). */
  faultCode?: string;
  /** A refusal's or a suspension's reason. */
  reason?: string;
}

/** An entry as it stands in its partition's chain. `hash` covers everything else here. */
export interface ChainedEntry {
  partition: number;
  /** 1 for the first entry of the partition, then one more per entry: a gap is a removal. */
  seq: number;
  /** The hash of the entry before (the genesis hash for seq 1). */
  prev: string;
  /** SHA-256 (hex) of the canonical JSON of `{partition, seq, prev, entry}`. */
  hash: string;
  entry: AuditEntry;
}

/** Where a partition's chain stands: the last entry's seq and hash (seq 0 and the genesis hash before the first). */
export interface ChainHead {
  partition: number;
  seq: number;
  hash: string;
}

/**
 * A signed statement that a partition's chain had reached `seq` with head
 * `hash` at `signedAt`: every entry up to `seq` is fixed by the signature, as
 * X-Road's message log fixes a batch of message hashes with one signed
 * timestamp. Written to the same partition right after the entry it covers.
 */
export interface Checkpoint {
  partition: number;
  seq: number;
  hash: string;
  signedAt: string;
  /** Which key signed (see `keyIdOf`), so a verifier holding another key says so. */
  keyId: string;
  /** Ed25519 over the canonical JSON of every other field, base64. */
  signature: string;
}

/** A record of `audit.exchange`: the Kafka value, JSON. */
export type AuditRecord =
  | { type: 'AuditEntry'; data: ChainedEntry }
  | { type: 'AuditCheckpoint'; data: Checkpoint };

/** The `prev` of each partition's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export function genesisHead(partition: number): ChainHead {
  return { partition, seq: 0, hash: GENESIS_HASH };
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash a chained entry must carry: over its partition, seq, prev and entry, never over `hash` itself. */
export function entryHash(entry: Omit<ChainedEntry, 'hash'>): string {
  return sha256(canonicalJson({ partition: entry.partition, seq: entry.seq, prev: entry.prev, entry: entry.entry }));
}

/**
 * Chains entries onto a head, in order: each gets the next seq, the previous
 * hash and its own. Pure: the head given is not changed, the new one is returned.
 * An entry JSON cannot carry faithfully is refused (`CanonicalJsonError`); what is
 * chained is the entry as JSON has it, so what is stored is what was hashed.
 */
export function appendEntries(head: ChainHead, entries: readonly AuditEntry[]): { chained: ChainedEntry[]; head: ChainHead } {
  const chained: ChainedEntry[] = [];
  let { seq, hash } = head;
  for (const entry of entries) {
    const text = canonicalJson(entry);
    const stored = JSON.parse(text) as AuditEntry;
    const link = { partition: head.partition, seq: seq + 1, prev: hash, entry: stored };
    // entryHash(link), without writing the entry a second time: its keys sorted are entry, partition, prev, seq.
    const next: ChainedEntry = { ...link, hash: sha256(`{"entry":${text},"partition":${link.partition},"prev":${JSON.stringify(link.prev)},"seq":${link.seq}}`) };
    chained.push(next);
    seq = next.seq;
    hash = next.hash;
  }
  return { chained, head: { partition: head.partition, seq, hash } };
}

/** A short, stable name of a public key: the first 16 hex digits of the SHA-256 of its SPKI DER. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

function signedText(checkpoint: Omit<Checkpoint, 'signature'>): Buffer {
  const { partition, seq, hash, signedAt, keyId } = checkpoint;
  return Buffer.from(canonicalJson({ partition, seq, hash, signedAt, keyId } satisfies JsonValue), 'utf8');
}

/** The checkpoint of a chain head, signed with the Ed25519 private key. Ed25519 is deterministic: same head, time and key, same signature. */
export function signCheckpoint(head: ChainHead, signedAt: Date, privateKey: KeyObject): Checkpoint {
  const unsigned = { partition: head.partition, seq: head.seq, hash: head.hash, signedAt: signedAt.toISOString(), keyId: keyIdOf(privateKey) };
  return { ...unsigned, signature: sign(null, signedText(unsigned), privateKey).toString('base64') };
}

/** Whether the checkpoint's signature holds for its fields under this public key. */
export function checkpointSignatureHolds(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, signedText(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** When a writer signs its partition's head: after `entries` entries, or `intervalMs` after the last checkpoint, whichever comes first. */
export interface CheckpointPolicy {
  entries: number;
  intervalMs: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { entries: 1_000, intervalMs: 60_000 };

/** What a writer knows of a partition's checkpoints: entries since the last one, and when it was signed (unknown after a restore that did not see it). */
export interface CheckpointState {
  sinceCheckpoint: number;
  lastCheckpointAt: number | undefined;
}

/** Whether a checkpoint is due now. Nothing new since the last one: none (a checkpoint of the same head adds nothing). */
export function checkpointDue(state: CheckpointState, policy: CheckpointPolicy, now: Date): boolean {
  if (state.sinceCheckpoint === 0) return false;
  if (state.sinceCheckpoint >= policy.entries) return true;
  return state.lastCheckpointAt === undefined || now.getTime() - state.lastCheckpointAt >= policy.intervalMs;
}
