import { open } from 'node:fs/promises';

/** One entry of a ZIP file's central directory, with the sizes it declares. */
export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** The file is not a ZIP, or not a whole one (truncated): the reason in a sentence. */
export class NotAZipError extends Error {
  override name = 'NotAZipError';
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
/** The end record is 22 bytes and a comment of at most 65,535 after it. */
const TAIL_BYTES = 22 + 0xffff;

/**
 * Reads the central directory of a ZIP file (an XLSX) without inflating
 * anything: what it holds and how large each entry says it inflates to, so a
 * workbook that would inflate to gigabytes is refused before it is read. A file
 * that is not a ZIP, or is cut short, has no end record or a directory outside
 * the file.
 */
export async function zipEntries(path: string): Promise<ZipEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      if (position < 0 || position + length > size) throw new NotAZipError('it is cut short (its directory points past its end)');
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    const tailLength = Math.min(size, TAIL_BYTES);
    const tail = await read(size - tailLength, tailLength);
    let end = -1;
    for (let i = tail.length - 22; i >= 0; i -= 1) {
      if (tail.readUInt32LE(i) === EOCD) { end = i; break; }
    }
    if (end < 0) throw new NotAZipError('it is not a ZIP file (an XLSX is one), or it is cut short: it has no end of central directory');
    let count = tail.readUInt16LE(end + 10);
    let directorySize = tail.readUInt32LE(end + 12);
    let directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      const locatorAt = size - tailLength + end - 20;
      const locator = await read(locatorAt, 20);
      if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new NotAZipError('its ZIP64 end record is missing');
      const record = await read(Number(locator.readBigUInt64LE(8)), 56);
      if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new NotAZipError('its ZIP64 end record is damaged');
      count = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    const directory = await read(directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let n = 0; n < count; n += 1) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new NotAZipError('its central directory is damaged');
      let compressedSize = directory.readUInt32LE(at + 20);
      let uncompressedSize = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const name = directory.subarray(at + 46, at + 46 + nameLength).toString('utf8');
      if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff) {
        // ZIP64 extra field (0x0001): the 64-bit sizes, uncompressed first, of those set to 0xFFFFFFFF.
        const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
        for (let e = 0; e + 4 <= extra.length;) {
          const id = extra.readUInt16LE(e);
          const length = extra.readUInt16LE(e + 2);
          if (id === 0x0001) {
            let f = e + 4;
            if (uncompressedSize === 0xffffffff && f + 8 <= extra.length) { uncompressedSize = Number(extra.readBigUInt64LE(f)); f += 8; }
            if (compressedSize === 0xffffffff && f + 8 <= extra.length) compressedSize = Number(extra.readBigUInt64LE(f));
            break;
          }
          e += 4 + length;
        }
      }
      entries.push({ name, compressedSize, uncompressedSize });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await file.close();
  }
}
