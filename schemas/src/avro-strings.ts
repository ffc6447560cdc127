import { createRequire } from 'node:module';

/**
 * avsc 5.7 writes a string of up to 64 UTF-8 bytes with a loop over
 * `charCodeAt` that runs to the string's UTF-8 length, not its length: for
 * Chinese text (three bytes a character) three times the characters there
 * are, the extra turns writing past the string into bytes the next field
 * overwrites. Most of the hub's strings are short, and many are Chinese
 * (names, addresses, item names), so the hub writes them with the same loop
 * bounded by the string's length, and longer ones with `utf8Write` as avsc
 * does. The bytes are the same UTF-8 (a lone surrogate, which is not text,
 * becomes U+FFFD, as it already did past 64 bytes). Put on avsc's one Tap prototype,
 * which every avsc type of the process (ours and the registry client's) writes
 * with.
 */

interface TapInternals {
  buf: Buffer & { utf8Write(text: string, offset: number, length: number): number };
  pos: number;
  writeLong(n: number): void;
}

export function writeString(this: TapInternals, text: string): void {
  const length = Buffer.byteLength(text);
  const buf = this.buf;
  this.writeLong(length);
  let pos = this.pos;
  this.pos += length;
  // Past the buffer's end: avsc grows the buffer and writes the value again.
  if (this.pos > buf.length) return;
  if (length > 64) {
    buf.utf8Write(text, pos, length);
    return;
  }
  for (let i = 0; i < text.length; i += 1) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
    } else if (c < 0x800) {
      buf[pos++] = (c >> 6) | 0xc0;
      buf[pos++] = (c & 0x3f) | 0x80;
    } else if ((c & 0xfc00) === 0xd800 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c & 0x03ff) << 10) + (text.charCodeAt(i + 1) & 0x03ff);
      i += 1;
      buf[pos++] = (c >> 18) | 0xf0;
      buf[pos++] = ((c >> 12) & 0x3f) | 0x80;
      buf[pos++] = ((c >> 6) & 0x3f) | 0x80;
      buf[pos++] = (c & 0x3f) | 0x80;
    } else {
      // A lone surrogate is not text: U+FFFD, as Buffer.byteLength counted it and utf8Write writes it.
      if ((c & 0xf800) === 0xd800) c = 0xfffd;
      buf[pos++] = (c >> 12) | 0xe0;
      buf[pos++] = ((c >> 6) & 0x3f) | 0x80;
      buf[pos++] = (c & 0x3f) | 0x80;
    }
  }
}

const require = createRequire(import.meta.url);
const { Tap } = require('avsc/lib/utils.js') as { Tap: { prototype: { writeString: unknown } } };
Tap.prototype.writeString = writeString;
