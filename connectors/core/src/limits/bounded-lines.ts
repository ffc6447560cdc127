/** One line of a text file: its text, or, when it is longer than the bound, its length and first bytes only. */
export type BoundedLine =
  | { number: number; text: string }
  | { number: number; tooLong: { bytes: number; head: string } };

/** Bytes of an over-long line kept to show in its dead letter. */
const HEAD_BYTES = 1024;

/**
 * Splits UTF-8 bytes into lines (LF, with a CR before it dropped) holding at
 * most `maxLineBytes` of a line in memory: a longer line is reported by its
 * length and head, and the rest of it skipped, so one poison line is one bad
 * record, never a file that cannot be read or a process out of memory.
 */
export async function* boundedLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let skipped: { bytes: number; head: string } | undefined;
  let number = 0;
  const finish = (): BoundedLine => {
    number += 1;
    if (skipped) {
      const line = { number, tooLong: skipped };
      skipped = undefined;
      return line;
    }
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    parts = [];
    length = 0;
    return { number, text: bytes.toString('utf8') };
  };
  const take = (piece: Buffer): void => {
    if (skipped) {
      skipped.bytes += piece.length;
      return;
    }
    if (length + piece.length <= maxLineBytes) {
      parts.push(piece);
      length += piece.length;
      return;
    }
    const head = Buffer.concat([...parts, piece], length + piece.length).subarray(0, HEAD_BYTES).toString('utf8');
    skipped = { bytes: length + piece.length, head };
    parts = [];
    length = 0;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a, start); end !== -1; end = chunk.indexOf(0x0a, start)) {
      take(chunk.subarray(start, end));
      yield finish();
      start = end + 1;
    }
    if (start < chunk.length) take(Buffer.from(chunk.subarray(start)));
  }
  if (skipped || length > 0) yield finish();
}
