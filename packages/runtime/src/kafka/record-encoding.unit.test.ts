import { createRequire } from 'node:module';
import { Partitioners } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { hubRecordHeaders, loadPristine } from './fixtures.ts';
import { crc32c, crc32cSlicingByEight, keyHashPartitioner, leanerEncoder, murmur2, produceRequest, recordEncoder } from './record-encoding.ts';

const require = createRequire(import.meta.url);
type Encoded = { buffer: Buffer };
type KafkajsRecord = (record: object) => Encoded;
// kafkajs' own encoder and murmur2, loaded from their files.
const load = loadPristine;
const kafkajsRecord = load<KafkajsRecord>('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const kafkajsMurmur2 = load<(key: Buffer | string) => number>('kafkajs/src/producer/partitioners/default/murmur2.js');
const kafkajsCrc32c = load<(buffer: Buffer) => number>('kafkajs/src/protocol/recordBatch/crc32C/index.js');
const encoderPrototype = (require('kafkajs/src/protocol/encoder.js') as { prototype: object }).prototype;
const fast = recordEncoder(encoderPrototype, kafkajsRecord as never) as unknown as KafkajsRecord;

describe('the fast kafkajs record encoder', () => {
  const headers = hubRecordHeaders;
  const cases: Array<[string, object]> = [
    ['a hub record', { key: '450102198503121233', value: Buffer.alloc(155, 3), headers, offsetDelta: 7, timestampDelta: 0 }],
    ['no headers, null key', { key: null, value: 'text value', offsetDelta: 0 }],
    ['a tombstone', { key: 'k', value: null, headers: {} }],
    ['Chinese text and Buffers', { key: Buffer.from('韦建国'), value: '广西壮族自治区南宁市兴宁区朝阳路12号', headers: { 名: '值', b: Buffer.from([0, 1, 2]) } }],
    ['repeated headers', { key: 'k', value: 'v', headers: { a: ['1', '22', Buffer.from('333')], b: 'x' } }],
    ['multi-byte varints', { key: 'k'.repeat(300), value: Buffer.alloc(70_000, 1), headers: { h: 'v'.repeat(20_000) }, offsetDelta: 99_999, timestampDelta: -123_456 }],
    ['a delta beyond 32 bits (kafkajs encodes it)', { key: 'k', value: 'v', timestampDelta: 2 ** 40 }],
    ['a key kafkajs turns to text', { key: undefined, value: 'v', headers: { a: '' } }],
  ];
  for (const [name, record] of cases) {
    it(`writes the bytes kafkajs writes: ${name}`, () => {
      expect(fast(record).buffer.equals(kafkajsRecord(record).buffer)).toBe(true);
    });
  }

  it('fails the way kafkajs fails on what kafkajs cannot encode', () => {
    const bad = { key: 'k', value: 'v', headers: { a: null } };
    expect(() => kafkajsRecord(bad)).toThrow();
    expect(() => fast(bad)).toThrow();
  });
});

describe('murmur2 in 32-bit arithmetic', () => {
  it('hashes every key as kafkajs does', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
    const keys: Array<string | Buffer> = ['', 'a', 'ab', 'abc', 'abcd', '450102198503121233', 'ps', '韦建国', 'gateway/req-1#17'];
    for (let i = 0; i < 2_000; i += 1) {
      const bytes = Buffer.alloc(next() % 40);
      for (let j = 0; j < bytes.length; j += 1) bytes[j] = next() & 0xff;
      keys.push(bytes, bytes.toString('latin1'), String(next()));
    }
    for (const key of keys) expect(murmur2(key)).toBe(kafkajsMurmur2(key));
  });

  it('picks the partition kafkajs would and leaves keyless messages to kafkajs', () => {
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
    const ours = keyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const key of ['450102198503121233', 'ps', 'x', Buffer.from('韦建国')]) {
      const args = { topic: 't', partitionMetadata, message: { key, value: 'v' } };
      expect(ours(args)).toBe(theirs(args));
    }
    expect(ours({ topic: 't', partitionMetadata, message: { key: 'k', value: 'v', partition: 2 } })).toBe(2);
    expect([0, 1, 2]).toContain(ours({ topic: 't', partitionMetadata, message: { key: null, value: 'v' } }));
  });
});

describe('CRC-32C', () => {
  it.each([
    ['the native one', crc32c],
    ['slicing by eight', crc32cSlicingByEight],
  ])('%s sums every length and content as kafkajs does', (_, sum) => {
    expect(sum(Buffer.from('123456789'))).toBe(0xe3069283); // the standard check value
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
    for (let length = 0; length < 300; length += 1) {
      const bytes = Buffer.alloc(length);
      for (let j = 0; j < length; j += 1) bytes[j] = next() >>> 24;
      expect(sum(bytes)).toBe(kafkajsCrc32c(bytes));
    }
    const large = Buffer.alloc(1_000_003, 0xa5);
    expect(sum(large)).toBe(kafkajsCrc32c(large));
    expect(sum(large.subarray(3, 70_001))).toBe(kafkajsCrc32c(large.subarray(3, 70_001)));
  });

  it('is the native one on this machine (its prebuilt binary installed with the packages)', () => {
    expect(crc32c).not.toBe(crc32cSlicingByEight);
  });
});

describe('the leaner Encoder', () => {
  it('grows and fills a request the way kafkajs\' Encoder does, with the same bytes', () => {
    type EncoderClass = new () => { writeInt32(v: number): unknown; writeArray(a: unknown[], t?: string): unknown; writeEncoder(e: unknown): unknown; writeBytes(b: Buffer): unknown; buffer: Buffer };
    const Pristine = load<EncoderClass>('kafkajs/src/protocol/encoder.js');
    const Lean = load<EncoderClass & { prototype: never }>('kafkajs/src/protocol/encoder.js');
    leanerEncoder(Lean.prototype);
    const records = Array.from({ length: 3_000 }, (_, i) => fast({ key: `45010219850312${i}`, value: Buffer.alloc(150 + (i % 50), i % 256), headers: { ce_id: `id-${i}`, 名: '值' }, offsetDelta: i }));
    const request = (Encoder: EncoderClass) => {
      const batch = new Encoder();
      batch.writeInt32(7);
      batch.writeArray(records, 'object');
      const partition = new Encoder();
      partition.writeInt32(2);
      partition.writeBytes(batch.buffer);
      const whole = new Encoder();
      whole.writeEncoder(partition);
      return whole.buffer;
    };
    const pristine = request(Pristine);
    expect(pristine.length).toBeGreaterThan(512 * 1024);
    expect(request(Lean).equals(pristine)).toBe(true);
  });
});

describe('the produce request written in one buffer', () => {
  type Request = { apiKey: number; apiVersion: number; encode: () => Promise<Encoded> };
  type RequestOf = (args: object) => Request;
  // kafkajs' own request, loaded afresh with its own record encoder and checksum.
  const kafkajsRequest = load<RequestOf>('kafkajs/src/protocol/requests/produce/v3/request.js');
  const Encoder = require('kafkajs/src/protocol/encoder.js') as Parameters<typeof produceRequest>[1];
  const Long = require('kafkajs/src/utils/long.js') as { fromInt(n: number): unknown; fromValue(v: unknown): unknown };
  // Counts the requests whose bytes kafkajs wrote itself.
  let leftToKafkajs = 0;
  const counted: RequestOf = (args) => {
    const request = kafkajsRequest(args);
    return { ...request, encode: () => { leftToKafkajs += 1; return request.encode(); } };
  };
  const ours = produceRequest(counted as never, Encoder) as unknown as RequestOf;
  const hubRecord = (i: number) => ({
    key: `45010219850312${String(i).padStart(4, '0')}`,
    value: Buffer.alloc(150 + (i % 40), i % 256),
    headers: { ce_specversion: '1.0', ce_id: `0b9c2c35-5a4a-5b53-9b1f-${String(i).padStart(12, '0')}`, ce_type: 'gov.hub.ps.ResidentIdentity', ce_subject: `45010219850312${i}`, 名: '值' },
  });
  const transactional = { acks: -1, timeout: 30_000, transactionalId: 'hub-connector-ps-0', producerId: Long.fromValue('4001'), producerEpoch: 3 };
  const cases: Array<[string, object, 'ours' | 'kafkajs']> = [
    ['a transaction of two topics and three partitions', {
      ...transactional,
      topicData: [
        { topic: 'records.ps.resident-identity', partitions: [0, 1].map((partition) => ({ partition, firstSequence: 17 * partition, messages: Array.from({ length: 2_500 }, (_, i) => hubRecord(i + partition)) })) },
        { topic: 'connectors.ledger', partitions: [{ partition: 0, firstSequence: 5, messages: [{ key: 'ps', value: JSON.stringify({ eventIds: ['a', 'b'] }) }] }] },
      ],
    }, 'ours'],
    ['messages with their own timestamps, as numbers and text', {
      ...transactional,
      topicData: [{ topic: 't', partitions: [{ partition: 2, firstSequence: 0, messages: [
        { key: 'a', value: 'v', timestamp: 1_764_000_000_123 },
        { key: 'b', value: 'v' },
        { key: 'c', value: 'v', timestamp: '1764000000100' },
        { key: 'd', value: 'v', timestamp: 1_764_000_000_050 },
      ] }] }],
    }, 'ours'],
    ['not transactional, null keys, tombstones, repeated headers', {
      acks: 1, timeout: 5_000, topicData: [{ topic: '主题', partitions: [{ partition: 0, messages: [
        { key: null, value: 'text' }, { key: 'k', value: null, headers: { a: ['1', Buffer.from('22')] } }, { key: Buffer.from('韦建国'), value: '广西壮族自治区南宁市' },
      ] }] }],
    }, 'ours'],
    ['a partition without messages and a topic without partitions', { ...transactional, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [] }] }, { topic: 'u', partitions: [] }] }, 'ours'],
    ['a record the fast encoder leaves to kafkajs (a delta beyond 32 bits)', {
      ...transactional, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'a', value: 'v', timestamp: 1 }, { key: 'b', value: 'v', timestamp: 2 ** 41 }] }] }],
    }, 'kafkajs'],
    ['a compressed request (gzip)', { ...transactional, compression: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [hubRecord(1), hubRecord(2)] }] }] }, 'kafkajs'],
  ];
  for (const [name, args, writer] of cases) {
    it(`writes the bytes kafkajs writes: ${name} (written by ${writer === 'ours' ? 'this encoder' : 'kafkajs'})`, async () => {
      leftToKafkajs = 0;
      const now = 1_764_000_000_000;
      const spy = vi.spyOn(Date, 'now').mockReturnValue(now); // both read the clock for records without a timestamp
      try {
        const theirs = await kafkajsRequest(args).encode();
        const request = ours(args);
        expect(request.apiKey).toBe(kafkajsRequest(args).apiKey);
        expect((await request.encode()).buffer.equals(theirs.buffer)).toBe(true);
        expect(leftToKafkajs).toBe(writer === 'ours' ? 0 : 1);
      } finally {
        spy.mockRestore();
      }
    });
  }
});
