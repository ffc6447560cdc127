import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';

export interface FileInspection {
  /** SHA-256 (hex) of the file's bytes: the file's identity in the ledger. */
  fileId: string;
  size: number;
  /** Whether every byte sequence is valid UTF-8 (a BOM is); otherwise the text is read as GBK (GB 18030). */
  utf8: boolean;
}

/**
 * One pass over the file: its content hash, and whether it is valid UTF-8.
 * The whole file is checked, not a sample, because the hash has to read every
 * byte anyway; so a GBK export whose first rows happen to be ASCII is still
 * recognised as GBK.
 */
export async function inspectFile(path: string): Promise<FileInspection> {
  const hash = createHash('sha256');
  let size = 0;
  let utf8 = true;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    if (!utf8) continue;
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteUtf8Tail(bytes);
    if (!isUtf8(bytes.subarray(0, bytes.length - tail))) utf8 = false;
    carry = Buffer.from(bytes.subarray(bytes.length - tail));
  }
  if (carry.length > 0) utf8 = false; // the file ends inside a multi-byte sequence
  return { fileId: hash.digest('hex'), size, utf8 };
}

/** How many bytes at the end start a multi-byte UTF-8 sequence that the next chunk completes. */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    if (byte < 0xc0) return 0; // ASCII (or a stray continuation, which isUtf8 rejects)
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return length > back ? back : 0;
  }
  return 0;
}
