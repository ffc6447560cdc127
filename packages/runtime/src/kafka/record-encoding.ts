import { createRequire } from 'node:module';
import './kafkajs-preload.ts'; // before kafkajs: see there
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import { Partitioners } from 'kafkajs';

/**
 * kafkajs 2.2.4 (its last release) encodes each record of a produce request
 * with one `Encoder` per record and one per header, each a fresh zero-filled
 * 512-byte buffer, and every varint through `Buffer.from([...])`: with the
 * seven CloudEvents headers of a hub record that is about half of a connector's
 * CPU time. `installFastRecordEncoding` puts an encoder in its place that
 * writes the same bytes (the Kafka v2 record format) into one buffer sized up
 * front; anything it does not handle the same way (64-bit timestamp deltas,
 * keys or values that are neither text nor Buffer) goes to kafkajs' own.
 *
 * The CRC-32C of each record batch (kafkajs computes it a byte at a time,
 * a few per cent of a producer's CPU) is likewise computed eight bytes at a time.
 *
 * It swaps the modules kafkajs' produce request (v3 and later) loads on its
 * first use, so it only takes effect when installed before the first produce
 * of the process, and only for the exact kafkajs version it was written
 * against; otherwise kafkajs is left as it is. Installed by `createKafka`.
 */

const require = createRequire(import.meta.url);
const KAFKAJS_VERSION = '2.2.4';

interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: unknown;
  value?: unknown;
  headers?: Record<string, unknown>;
}
interface EncoderLike {
  buf: Buffer;
  offset: number;
}
type RecordEncoder = (record: RecordInput) => EncoderLike;

let installed: boolean | undefined;

/** True when kafkajs now encodes records with `encodeRecord`; false when it could not be (and kafkajs is untouched). */
export function installFastRecordEncoding(): boolean {
  if (installed !== undefined) return installed;
  installed = false;
  try {
    const version = (require('kafkajs/package.json') as { version: string }).version;
    if (version !== KAFKAJS_VERSION) return false;
    const recordPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js');
    const crcPath = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/index.js');
    const producePath = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js');
    const batchPath = require.resolve('kafkajs/src/protocol/recordBatch/v0/index.js');
    // A produce request or record batch already loaded holds kafkajs' own encoder and checksum.
    if (require.cache[producePath] || require.cache[batchPath]) return false;
    const kafkajsRecord = require(recordPath) as RecordEncoder;
    const kafkajsCrc = require(crcPath) as (buffer: Buffer) => number;
    const encoderClass = require('kafkajs/src/protocol/encoder.js') as { prototype: object };
    const cachedRecord = require.cache[recordPath];
    const cachedCrc = require.cache[crcPath];
    if (typeof kafkajsRecord !== 'function' || typeof kafkajsCrc !== 'function' || !cachedRecord || !cachedCrc) return false;
    cachedRecord.exports = recordEncoder(encoderClass.prototype, kafkajsRecord);
    cachedCrc.exports = crc32c;
    leanerEncoder(encoderClass.prototype as EncoderPrototype);
    installed = true;
  } catch {
    installed = false;
  }
  return installed;
}

/**
 * Kafka record (v2 format): length, attributes, timestamp delta, offset delta,
 * key, value, headers, each length a zig-zag varint; -1 for a null key or value.
 * Returns an object kafkajs' record batch treats as its own `Encoder`.
 */
export function recordEncoder(encoderPrototype: object, fallback: RecordEncoder): RecordEncoder {
  // Header byte lengths of the record being encoded, reused from record to record (no arrays per record).
  const valueLengths: number[] = [];
  return (record) => {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers = {} } = record;
    if (!isSmallInteger(timestampDelta) || !isSmallInteger(offsetDelta) || !isBytes(key) || !isBytes(value)) return fallback(record);
    let count = 0;
    let headerBytes = 0;
    for (const name in headers) {
      if (!Object.hasOwn(headers, name)) continue;
      const header = headers[name];
      if (Array.isArray(header)) {
        for (const item of header as unknown[]) {
          // kafkajs measures a header value before it looks at it: only text and Buffers get through.
          if (typeof item !== 'string' && !Buffer.isBuffer(item)) return fallback(record);
          const length = byteLength(item);
          valueLengths[count++] = length;
          headerBytes += bytesSize(nameLength(name)) + bytesSize(length);
        }
      } else {
        if (typeof header !== 'string' && !Buffer.isBuffer(header)) return fallback(record);
        const length = byteLength(header);
        valueLengths[count++] = length;
        headerBytes += bytesSize(nameLength(name)) + bytesSize(length);
      }
    }
    const keyLength = byteLength(key);
    const valueLength = byteLength(value);
    const body = 1 + varIntSize(timestampDelta) + varIntSize(offsetDelta) + bytesSize(keyLength) + bytesSize(valueLength) + varIntSize(count) + headerBytes;
    const size = varIntSize(body) + body;
    const buf = Buffer.allocUnsafe(size);
    let at = writeVarInt(buf, 0, body);
    buf[at++] = 0; // attributes: none
    at = writeVarInt(buf, at, timestampDelta);
    at = writeVarInt(buf, at, offsetDelta);
    at = writeBytes(buf, at, key, keyLength);
    at = writeBytes(buf, at, value, valueLength);
    at = writeVarInt(buf, at, count);
    let n = 0;
    for (const name in headers) {
      if (!Object.hasOwn(headers, name)) continue;
      const header = headers[name];
      if (!Array.isArray(header)) {
        at = writeBytes(buf, at, name, nameLength(name));
        at = writeBytes(buf, at, header as string | Buffer, valueLengths[n++]!);
        continue;
      }
      for (const item of header as Array<string | Buffer>) {
        at = writeBytes(buf, at, name, nameLength(name));
        at = writeBytes(buf, at, item, valueLengths[n++]!);
      }
    }
    if (at !== size) return fallback(record); // cannot happen; kafkajs' bytes rather than wrong ones
    const encoder = Object.create(encoderPrototype) as EncoderLike;
    encoder.buf = buf;
    encoder.offset = size;
    return encoder;
  };
}

/** UTF-8 length of a header name: the same few names on every record. */
const nameLengths = new Map<string, number>();
function nameLength(name: string): number {
  let length = nameLengths.get(name);
  if (length === undefined) {
    length = Buffer.byteLength(name);
    if (nameLengths.size < 1_000) nameLengths.set(name, length);
  }
  return length;
}

interface EncoderPrototype {
  ensureAvailable(this: EncoderLike, length: number): void;
  writeEncoderArray(this: EncoderLike, value: unknown): EncoderLike;
}

/**
 * Two costs of kafkajs' `Encoder` for a request of thousands of records: it grows its buffer
 * zero-filled (each level of a produce request, batch, partition, topic and request, copies the
 * records again into a buffer it zeroes first), and it writes an array of record encoders through
 * one `Buffer` slice per record. Grown without zeroing (only the bytes written are ever read:
 * `buffer` is cut at `offset`) and the array written straight from each encoder's bytes, once
 * sized; the same bytes come out.
 */
export function leanerEncoder(prototype: EncoderPrototype): void {
  const kafkajsWriteEncoderArray = prototype.writeEncoderArray;
  prototype.ensureAvailable = function ensureAvailable(length) {
    if (this.offset + length <= this.buf.length) return;
    let size = 1;
    while (size < this.offset + length) size *= 2; // kafkajs' power of two, for the same growth
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.offset);
    this.buf = grown;
  };
  prototype.writeEncoderArray = function writeEncoderArray(value) {
    if (!Array.isArray(value) || !value.every((v: EncoderLike | null | undefined) => v != null && Buffer.isBuffer(v.buf))) return kafkajsWriteEncoderArray.call(this, value);
    let total = 0;
    for (const encoder of value as EncoderLike[]) total += encoder.offset;
    prototype.ensureAvailable.call(this, total);
    for (const encoder of value as EncoderLike[]) {
      encoder.buf.copy(this.buf, this.offset, 0, encoder.offset);
      this.offset += encoder.offset;
    }
    return this;
  };
}

/** A delta whose zig-zag form fits an unsigned 32-bit varint the same way kafkajs' 64-bit one does. */
function isSmallInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -0x40000000 && value < 0x40000000;
}

function isBytes(value: unknown): value is string | Buffer | null | undefined {
  return value === null || value === undefined || typeof value === 'string' || Buffer.isBuffer(value);
}

/** -1 for null. */
function byteLength(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return -1;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function bytesSize(length: number): number {
  return length < 0 ? 1 : varIntSize(length) + length;
}

function varIntSize(value: number): number {
  let zigZag = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (zigZag > 0x7f) {
    bytes += 1;
    zigZag >>>= 7;
  }
  return bytes;
}

function writeVarInt(buf: Buffer, at: number, value: number): number {
  let zigZag = ((value << 1) ^ (value >> 31)) >>> 0;
  while (zigZag > 0x7f) {
    buf[at++] = (zigZag & 0x7f) | 0x80;
    zigZag >>>= 7;
  }
  buf[at++] = zigZag;
  return at;
}

function writeBytes(buf: Buffer, at: number, value: string | Buffer | null | undefined, length: number): number {
  if (value === null || value === undefined) return writeVarInt(buf, at, -1);
  at = writeVarInt(buf, at, length);
  if (typeof value === 'string') buf.write(value, at, length, 'utf8');
  else value.copy(buf, at);
  return at + length;
}

/** CRC-32C (Castagnoli), unsigned, as Kafka's record batches carry it: slicing by eight. */
export function crc32c(buffer: Uint8Array): number {
  let crc = ~0;
  let i = 0;
  const end8 = buffer.length - (buffer.length % 8);
  for (; i < end8; i += 8) {
    crc ^= buffer[i]! | (buffer[i + 1]! << 8) | (buffer[i + 2]! << 16) | (buffer[i + 3]! << 24);
    crc = CRC_TABLES[7 * 256 + (crc & 0xff)]! ^ CRC_TABLES[6 * 256 + ((crc >>> 8) & 0xff)]!
      ^ CRC_TABLES[5 * 256 + ((crc >>> 16) & 0xff)]! ^ CRC_TABLES[4 * 256 + (crc >>> 24)]!
      ^ CRC_TABLES[3 * 256 + buffer[i + 4]!]! ^ CRC_TABLES[2 * 256 + buffer[i + 5]!]!
      ^ CRC_TABLES[256 + buffer[i + 6]!]! ^ CRC_TABLES[buffer[i + 7]!]!;
  }
  for (; i < buffer.length; i += 1) crc = CRC_TABLES[(crc ^ buffer[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** Eight tables of 256: table k holds the CRC of a byte followed by k zero bytes (reflected polynomial 0x82F63B78). */
const CRC_TABLES = (() => {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n += 1) {
    for (let k = 1; k < 8; k += 1) tables[k * 256 + n] = tables[(tables[(k - 1) * 256 + n]! & 0xff)]! ^ (tables[(k - 1) * 256 + n]! >>> 8);
  }
  return tables;
})();

/**
 * kafkajs' default (Java-compatible) partitioner with its murmur2 in 32-bit
 * integer arithmetic instead of emulated 64-bit longs: the same partition for
 * every key, a tenth of the time. Messages without a key, or with a partition
 * set, go to kafkajs' own.
 */
export const keyHashPartitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args: PartitionerArgs) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== undefined && message.partition !== null) return fallback(args);
    if (message.key === undefined || message.key === null) return fallback(args);
    return (murmur2(message.key) & 0x7fffffff) % partitionMetadata.length;
  };
};

/** Kafka's murmur2 (the Java client's `Utils.murmur2`) of a key's bytes (a string as UTF-8). */
export function murmur2(key: Buffer | string): number {
  const data = Buffer.isBuffer(key) ? key : Buffer.from(String(key));
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The last one to three bytes.
  const rest = length & 3;
  if (rest === 3) h ^= data[length4 + 2]! << 16;
  if (rest >= 2) h ^= data[length4 + 1]! << 8;
  if (rest >= 1) {
    h ^= data[length4]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}
