import { createHash } from 'node:crypto';

/**
 * The most of an original a dead letter carries. A dead letter travels in the
 * same transaction as the good records beside it, so it must stay far under the
 * broker's `message.max.bytes` (1 MiB by default) whatever it was sent.
 */
export const DEAD_LETTER_ORIGINAL_BYTES = 64 * 1024;

/** What a dead letter says about the whole of its original, however much of it it carries. */
export interface OriginalDigest {
  /** Bytes of the whole original. */
  originalBytes: number;
  /** SHA-256 (hex) of the whole original: the sender can find the one that was cut. */
  originalSha256: string | null;
  /** Whether the dead letter carries less than the whole. */
  originalTruncated: boolean;
}

/**
 * The size and SHA-256 of `original`, and its first `limitBytes` bytes: the
 * one way every dead letter of the hub bounds what it carries (the router's
 * unreadable commands, the connectors' rejected records).
 */
export function boundedOriginal(original: Buffer | string | null | undefined, limitBytes = DEAD_LETTER_ORIGINAL_BYTES): OriginalDigest & { kept: Buffer | null } {
  if (original === null || original === undefined) return { originalBytes: 0, originalSha256: null, originalTruncated: false, kept: null };
  const bytes = typeof original === 'string' ? Buffer.from(original, 'utf8') : original;
  return {
    originalBytes: bytes.length,
    originalSha256: createHash('sha256').update(bytes).digest('hex'),
    originalTruncated: bytes.length > limitBytes,
    kept: bytes.length > limitBytes ? bytes.subarray(0, limitBytes) : bytes,
  };
}
