import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 decodes every fetched record with 64-bit arithmetic in
 * BigInt: its timestamp delta a `Long` built a byte at a time, then the
 * batch's first timestamp and first offset parsed from their text, added to
 * and printed again, for each record; and its headers folded into an object
 * copied once per header (`{ ...obj, [key]: value }`), seven copies for a hub
 * record's seven CloudEvents headers. It was the largest single function of
 * every consumer's profile (the analytics rebuild, the router's deliveries,
 * the audit scribe). `recordDecoder` returns the same record, field for
 * field, with numbers where they are exact (a delta of up to 49 bits, a first
 * offset and first timestamp under 2^53, as every real one is) and a header
 * object filled in place; a record outside that (or cut short) is left to
 * kafkajs' own decoder. Swapped in the module cache before kafkajs loads its
 * record batch decoder, as `read-committed.ts` is, by the files of this
 * package that load kafkajs.
 */

const require = createRequire(import.meta.url);

interface RecordDecoderInput {
  buffer: Buffer;
  offset: number;
}
interface BatchContext {
  firstOffset?: string;
  firstTimestamp?: string;
  magicByte?: number;
  isControlBatch?: boolean;
  timestampType?: number;
  maxTimestamp?: string;
}
export type KafkajsRecordDecoder = (decoder: RecordDecoderInput, batchContext?: BatchContext) => unknown;

const LOG_APPEND_TIME = 1; // kafkajs' TimestampTypes.LOG_APPEND_TIME

/** Where the record being decoded is read. */
let at = 0;

/** A zig-zag varint as kafkajs reads it (the same arithmetic, so the same answer for any bytes). */
function varInt(buf: Buffer): number {
  let byte: number;
  let result = 0;
  let shift = 0;
  do {
    byte = buf[at++]!;
    result += (byte & 0x7f) << shift;
    shift += 7;
  } while (byte >= 0x80);
  return (result >>> 1) ^ -(result & 1);
}

/** A zig-zag varlong of up to seven bytes (49 bits, exact in a number); NaN for a longer one. */
function varLong(buf: Buffer): number {
  let byte: number;
  let result = 0;
  let scale = 1;
  do {
    byte = buf[at++]!;
    result += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte >= 0x80 && scale < 2 ** 49);
  if (byte >= 0x80) return Number.NaN;
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
}

/** A length-prefixed byte string as a slice of the record (null for -1); undefined for a length kafkajs reads otherwise. */
function bytes(buf: Buffer): Buffer | null | undefined {
  const length = varInt(buf);
  if (length === -1) return null;
  if (length < 0) return undefined;
  const value = buf.subarray(at, at + length);
  at += length;
  return value;
}

function sameBytes(buf: Buffer, from: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i += 1) if (buf[from + i] !== bytes[i]) return false;
  return true;
}

/** The text of a number kafkajs keeps as text, when it is exact as a number. */
function exact(text: string | undefined): number {
  const value = typeof text === 'string' ? Number(text) : Number.NaN;
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

export function recordDecoder(fallback: KafkajsRecordDecoder): KafkajsRecordDecoder {
  // The batch's first offset and first timestamp as numbers, worked out once a batch.
  let context: BatchContext | undefined;
  let firstOffset = Number.NaN;
  let firstTimestamp = Number.NaN;
  // The header names of the record before, by position: the same few on every record, decoded once.
  const names: Array<{ bytes: Uint8Array; name: string } | undefined> = [];
  return (decoder, batchContext = {}) => {
    if (batchContext !== context) {
      context = batchContext;
      firstOffset = exact(batchContext.firstOffset);
      firstTimestamp = exact(batchContext.firstTimestamp);
    }
    const start = decoder.offset;
    const buf = decoder.buffer;
    at = start;
    const attributes = (buf[at++]! << 24) >> 24;
    const timestampDelta = varLong(buf);
    const offsetDelta = varInt(buf);
    const key = bytes(buf);
    const value = key === undefined ? undefined : bytes(buf);
    // kafkajs' timestamp: the batch's append time where the broker set it, else the first timestamp plus the delta.
    const appendTime = batchContext.timestampType === LOG_APPEND_TIME && batchContext.maxTimestamp;
    const timestamp = firstTimestamp + timestampDelta;
    const offset = firstOffset + offsetDelta;
    const headers: Record<string, unknown> = {};
    let well = value !== undefined && !Number.isNaN(timestampDelta) && (appendTime || Number.isSafeInteger(timestamp)) && Number.isSafeInteger(offset);
    const count = well ? varInt(buf) : 0;
    if (count < -1) well = false; // kafkajs throws
    for (let i = 0; well && i < count && at <= buf.length; i += 1) {
      const length = varInt(buf);
      let name: string | null = null;
      if (length >= 0) {
        const known = names[i];
        if (known !== undefined && known.bytes.length === length && sameBytes(buf, at, known.bytes)) name = known.name;
        else {
          name = buf.toString('utf8', at, at + length);
          if (i < 32 && length <= 64) names[i] = { bytes: Uint8Array.from(buf.subarray(at, at + length)), name };
        }
        at += length;
      } else if (length !== -1) {
        well = false;
        break;
      }
      const header = bytes(buf);
      if (header === undefined) {
        well = false;
        break;
      }
      // kafkajs' fold: the first value as it is, a second makes an array, a third and later join it.
      const held = headers[name as string];
      const folded = held === undefined ? header : Array.isArray(held) ? held.concat([header]) : [held, header];
      if (name === '__proto__') Object.defineProperty(headers, name, { value: folded, writable: true, enumerable: true, configurable: true });
      else headers[name as string] = folded;
    }
    // Cut short (kafkajs reads past the end as zeros) or beyond what a number holds: kafkajs' own decoder.
    if (!well || at > buf.length) {
      decoder.offset = start;
      return fallback(decoder, batchContext);
    }
    decoder.offset = at;
    return {
      magicByte: batchContext.magicByte,
      attributes,
      timestamp: appendTime ? batchContext.maxTimestamp : String(timestamp),
      offset: String(offset),
      key,
      value,
      headers,
      isControlRecord: batchContext.isControlBatch === undefined ? false : batchContext.isControlBatch,
      batchContext,
    };
  };
}

const recordPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');
const batchPath = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder.js');

/** True when kafkajs' record batches decode their records with `recordDecoder`. */
export const fastRecordDecoding: boolean = (() => {
  // Only before kafkajs' record batch decoder has loaded the module, and only for the version it was written against.
  if (require.cache[batchPath] || (require('kafkajs/package.json') as { version: string }).version !== '2.2.4') return false;
  const kafkajsDecoder = require(recordPath) as KafkajsRecordDecoder;
  const cached = require.cache[recordPath];
  if (!cached || typeof kafkajsDecoder !== 'function') return false;
  cached.exports = recordDecoder(kafkajsDecoder);
  return true;
})();
