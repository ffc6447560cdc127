import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

export interface FileInspection {
  /** SHA-256 (hex) of the file's bytes: the file's identity in the ledger. */
  fileId: string;
  size: number;
  /**
   * Whether the text is UTF-8 (a BOM is): every byte sequence valid, or
   * nearly so: stray bytes among at least twice as many valid characters of
   * three or four bytes (Chinese), which outnumber those of two. That is
   * damage, not another encoding: GBK read as UTF-8 is mostly invalid, and
   * what of it is valid are two-byte sequences (韦, CE A4, reads as U+03A4).
   * Otherwise the text is read as GBK (GB 18030). Either way a
   * byte that does not decode is U+FFFD, and its row is rejected naming the field.
   */
  utf8: boolean;
}

/**
 * One pass over the file: its content hash, and whether it is UTF-8.
 * The whole file is checked, not a sample, because the hash has to read every
 * byte anyway; so a GBK export whose first rows happen to be ASCII is still
 * recognised as GBK, and a UTF-8 export with a few stray bytes is not read as
 * GBK (which would publish every Chinese text of it garbled).
 */
export async function inspectFile(path: string): Promise<FileInspection> {
  const hash = createHash('sha256');
  let size = 0;
  let carry = Buffer.alloc(0);
  /** Valid characters of two bytes (U+0080 to U+07FF) and of three or four; and bytes that did not decode (as U+FFFD). */
  let twoByte = 0;
  let longer = 0;
  let replaced = 0;
  /** Once a sequence is invalid the rest is decoded, each U+FFFD standing for bytes that are not UTF-8. */
  let decoder: TextDecoder | undefined;
  const count = (text: string) => {
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (code < 0x80 || (code >= 0xdc00 && code <= 0xdfff)) continue; // a surrogate pair counts once
      if (code === 0xfffd) replaced += 1;
      else if (code < 0x800) twoByte += 1;
      else longer += 1;
    }
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    if (decoder) {
      count(decoder.decode(chunk, { stream: true }));
      continue;
    }
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteUtf8Tail(bytes);
    const whole = bytes.subarray(0, bytes.length - tail);
    if (isUtf8(whole)) {
      for (const byte of whole) {
        if (byte >= 0xe0) longer += 1;
        else if (byte >= 0xc2) twoByte += 1;
      }
      carry = Buffer.from(bytes.subarray(bytes.length - tail));
    } else {
      decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
      count(decoder.decode(bytes, { stream: true }));
      carry = Buffer.alloc(0);
    }
  }
  if (decoder) count(decoder.decode());
  else if (carry.length > 0) replaced += 1; // the file ends inside a multi-byte sequence
  const utf8 = replaced === 0 || (longer >= 2 * replaced && longer >= twoByte);
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
