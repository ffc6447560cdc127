import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { hubRecordHeaders, loadPristine } from './fixtures.ts';
import { fastRecordDecoding, recordDecoder, type KafkajsRecordDecoder } from './record-decoding.ts';

const require = createRequire(import.meta.url);
// kafkajs' own record encoder and decoder, loaded from their files.
const load = loadPristine;
type Decoder = { buffer: Buffer; offset: number; readVarIntBytes(): Buffer };
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => Decoder;
const kafkajsEncode = load<(record: object) => { buffer: Buffer }>('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const kafkajsDecode = load<KafkajsRecordDecoder>('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');

/** A record's bytes as kafkajs' batch decoder hands them to the record decoder (without their length). */
const recordBytes = (record: object) => new Decoder(kafkajsEncode(record).buffer).readVarIntBytes();
/** What a decoder makes of the bytes: the record, or the class of the error it threw. */
const outcome = (decode: KafkajsRecordDecoder, bytes: Buffer, context: object) => {
  try {
    return { record: decode(new Decoder(bytes), context) };
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
};

const batch = { firstOffset: '4096', firstTimestamp: '1733280000000', magicByte: 2, isControlBatch: false, timestampType: 0, maxTimestamp: '1733280009999' };

describe('the fast kafkajs record decoder', () => {
  const records: Array<[string, object]> = [
    ['a hub record', { key: '450102198503121233', value: Buffer.alloc(155, 3), headers: hubRecordHeaders, offsetDelta: 7, timestampDelta: 12 }],
    ['no headers, null key', { key: null, value: 'text value', offsetDelta: 0 }],
    ['a tombstone', { key: 'k', value: null, headers: {} }],
    ['empty key and value', { key: '', value: Buffer.alloc(0) }],
    ['Chinese header names and values', { key: Buffer.from('韦建国'), value: '广西壮族自治区南宁市兴宁区朝阳路12号', headers: { 名: '值', b: Buffer.from([0, 1, 2]) } }],
    ['a header repeated three times', { key: 'k', value: 'v', headers: { a: ['1', '22', '333'], b: 'x' } }],
    ['multi-byte varints, a negative delta', { key: 'k'.repeat(300), value: Buffer.alloc(70_000, 1), headers: { h: 'v'.repeat(20_000) }, offsetDelta: 99_999, timestampDelta: -123_456 }],
    ['a delta of 48 bits', { key: 'k', value: 'v', timestampDelta: 2 ** 48 - 1 }],
    ['a delta beyond 49 bits (left to kafkajs)', { key: 'k', value: 'v', timestampDelta: 2 ** 52 + 3 }],
  ];
  const contexts: Array<[string, object]> = [
    ['a batch', batch],
    ['a control batch at offset 0', { ...batch, firstOffset: '0', isControlBatch: true }],
    ['the broker\'s append time', { ...batch, timestampType: 1 }],
    ['no timestamp', { ...batch, firstTimestamp: '-1' }],
    ['offsets beyond 2^53 (left to kafkajs)', { ...batch, firstOffset: '9007199254740993' }],
    ['no isControlBatch', { firstOffset: '1', firstTimestamp: '2', magicByte: 2, timestampType: 0, maxTimestamp: '3' }],
  ];

  it.each(records.flatMap(([name, record]) => contexts.map(([where, context]) => [`${name}, ${where}`, record, context] as const)))(
    'decodes %s as kafkajs does',
    (_, record, context) => {
      const bytes = recordBytes(record);
      const kafkajs = outcome(kafkajsDecode, bytes, context);
      expect(kafkajs).toHaveProperty('record');
      expect(outcome(recordDecoder(kafkajsDecode), bytes, context)).toStrictEqual(kafkajs);
    },
  );

  it('folds header names of Object.prototype as kafkajs does (its inherited value first)', () => {
    const headers = Object.defineProperty({ toString: 't', constructor: ['c', 'd'] }, '__proto__', { value: ['p', 'q'], enumerable: true });
    const bytes = recordBytes({ key: 'k', value: 'v', headers });
    type Decoded = { headers: Record<string, unknown> };
    // The inherited values are this realm's or the test's (vitest may run the test in a context of its own): compared by kind.
    const kinds = ({ headers: decoded }: Decoded) => Object.entries(decoded).map(([name, value]) => [name, ([] as unknown[]).concat(value).map((v) => (Buffer.isBuffer(v) ? v.toString() : typeof v === 'function' ? `function ${v.name}` : typeof v))]);
    const ours = recordDecoder(kafkajsDecode)(new Decoder(bytes), batch) as Decoded;
    expect(kinds(ours)).toStrictEqual(kinds(kafkajsDecode(new Decoder(bytes), batch) as Decoded));
    expect(kinds(ours)).toStrictEqual([['toString', ['function toString', 't']], ['constructor', ['function Object', 'c', 'd']], ['__proto__', ['object', 'p', 'q']]]);
    expect(Object.getPrototypeOf(ours.headers)).not.toBeInstanceOf(Array);
  });

  it('leaves to kafkajs only what a number cannot hold exactly', () => {
    const fallback = vi.fn(kafkajsDecode);
    const decode = recordDecoder(fallback);
    const hub = recordBytes({ key: 'k', value: 'v', headers: hubRecordHeaders, timestampDelta: 5 });
    decode(new Decoder(hub), batch);
    decode(new Decoder(hub), { ...batch, firstTimestamp: '-1' });
    expect(fallback).not.toHaveBeenCalled();
    decode(new Decoder(recordBytes({ key: 'k', value: 'v', timestampDelta: 2 ** 52 })), batch);
    decode(new Decoder(hub), { ...batch, firstOffset: '9007199254740993' });
    expect(fallback).toHaveBeenCalledTimes(2);
  });

  it('answers as kafkajs does for a record cut short anywhere, and for one with any byte changed', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) >>> 24;
    const whole = recordBytes({ key: '450102198503121233', value: Buffer.alloc(40, 9), headers: hubRecordHeaders, offsetDelta: 3 });
    const samples = Array.from({ length: whole.length }, (_, cut) => whole.subarray(0, cut));
    for (let i = 0; i < 3_000; i += 1) {
      const changed = Buffer.from(whole);
      changed[i % whole.length] = next();
      samples.push(changed);
    }
    // One decoder for all, as a consumer has: the header names it keeps from record to record must not leak.
    const decode = recordDecoder(kafkajsDecode);
    for (const bytes of samples) {
      expect(outcome(decode, bytes, batch)).toStrictEqual(outcome(kafkajsDecode, bytes, batch));
      expect(outcome(decode, whole, batch)).toStrictEqual(outcome(kafkajsDecode, whole, batch));
    }
  });

  it('is what kafkajs\' record batches load in this process', () => {
    expect(fastRecordDecoding).toBe(true);
    const inUse = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js') as KafkajsRecordDecoder;
    expect(inUse).not.toBe(kafkajsDecode);
    expect(inUse(new Decoder(recordBytes({ key: 'k', value: 'v', headers: { a: 'b' } })), batch)).toStrictEqual(kafkajsDecode(new Decoder(recordBytes({ key: 'k', value: 'v', headers: { a: 'b' } })), batch));
  });
});
