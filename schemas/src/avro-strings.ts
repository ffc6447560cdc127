import { createRequire } from 'node:module';

/**
 * avsc 5.7 writes a string of up to 64 UTF-8 bytes with a loop over
 * `charCodeAt` that runs to the string's UTF-8 length, not its length: for
 * Chinese text (three bytes a character) three times the characters there
 * are, the extra turns writing past the string into bytes the next field
 * overwrites, after `Buffer.byteLength` has measured it. Most of the hub's
 * strings are short (ids, codes, topic names, names, addresses), so the hub
 * writes a string of up to 63 characters in one pass, measuring it as it
 * goes, and longer ones with `utf8Write` as avsc does (a DeliveryEnvelope and
 * its ExchangeMonitoring record: 1.42–1.53 µs against 1.67 with the loop after
 * `Buffer.byteLength`). The bytes are the same UTF-8 (a lone surrogate, which
 * is not text, becomes U+FFFD, as it already did past 64 bytes). Put on
 * avsc's one Tap prototype, which every avsc type of the process (ours and the
 * registry client's) writes with.
 */

interface TapInternals {
  buf: Buffer & { utf8Write(text: string, offset: number, length: number): number };
  pos: number;
  writeLong(n: number): void;
}

export function writeString(this: TapInternals, text: string): void {
  const buf = this.buf;
  const start = this.pos;
  // Up to 63 characters (at most 189 UTF-8 bytes) where they surely fit: the bytes written in one pass
  // after a length of one byte, and moved one on where the length takes two (64 bytes and more). The
  // loop is written here, not called: a function of its own was not inlined, and took the gain away.
  const n = text.length;
  if (n <= 63 && start + 2 + 3 * n <= buf.length) {
    let pos = start + 1;
    for (let i = 0; i < n; i += 1) {
      let c = text.charCodeAt(i);
      if (c < 0x80) {
        buf[pos++] = c;
      } else if (c < 0x800) {
        buf[pos++] = (c >> 6) | 0xc0;
        buf[pos++] = (c & 0x3f) | 0x80;
      } else if ((c & 0xfc00) === 0xd800 && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c & 0x03ff) << 10) + (text.charCodeAt(i + 1) & 0x03ff);
        i += 1;
        buf[pos++] = (c >> 18) | 0xf0;
        buf[pos++] = ((c >> 12) & 0x3f) | 0x80;
        buf[pos++] = ((c >> 6) & 0x3f) | 0x80;
        buf[pos++] = (c & 0x3f) | 0x80;
      } else {
        // A lone surrogate is not text: U+FFFD, as Buffer.byteLength counts it and utf8Write writes it.
        if ((c & 0xf800) === 0xd800) c = 0xfffd;
        buf[pos++] = (c >> 12) | 0xe0;
        buf[pos++] = ((c >> 6) & 0x3f) | 0x80;
        buf[pos++] = (c & 0x3f) | 0x80;
      }
    }
    const length = pos - start - 1;
    if (length < 64) {
      buf[start] = length << 1; // the zig-zag varint of a length under 64
    } else {
      buf.copyWithin(start + 2, start + 1, pos);
      buf[start] = ((length << 1) & 0x7f) | 0x80;
      buf[start + 1] = length >> 6;
      pos += 1;
    }
    this.pos = pos;
    return;
  }
  const length = Buffer.byteLength(text);
  this.writeLong(length);
  const pos = this.pos;
  this.pos += length;
  // Past the buffer's end: avsc grows the buffer and writes the value again.
  if (this.pos <= buf.length) buf.utf8Write(text, pos, length);
}

const require = createRequire(import.meta.url);
const { Tap } = require('avsc/lib/utils.js') as { Tap: { prototype: { writeString: unknown } } };
Tap.prototype.writeString = writeString;
