import { describe, expect, it } from 'vitest';
import { createAvroType } from './load.ts';

const text = createAvroType('string');
const record = createAvroType({ type: 'record', name: 'Person', fields: [{ name: 'name', type: 'string' }, { name: 'address', type: 'string' }, { name: 'age', type: 'int' }] });
/** Avro's string: its UTF-8 length as a zig-zag varint, then its UTF-8 bytes. */
const avroString = (value: string) => {
  const bytes = Buffer.from(value, 'utf8');
  const length: number[] = [];
  for (let n = bytes.length * 2; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      length.push(n);
      break;
    }
    length.push((n % 128) | 0x80);
  }
  return Buffer.concat([Buffer.from(length), bytes]);
};

describe('strings as the hub writes them with avsc', () => {
  it.each([
    ['ASCII', '450102198503120123'],
    ['Chinese', '韦建国'],
    ['a Chinese address', '广西壮族自治区南宁市青秀区民族大道100号'],
    ['mixed', 'ID 450102 韦建国 ✓'],
    ['outside the BMP', '𠀋𠀋 (U+2000B)'],
    ['empty', ''],
    ['long Chinese', '南宁市'.repeat(40)],
    ['ASCII of 63 characters (its length one byte)', 'a'.repeat(63)],
    ['ASCII of 64 characters (past the one-pass writer)', 'b'.repeat(64)],
    ['Chinese of 21 characters (63 bytes: a length of one byte)', '南'.repeat(21)],
    ['Chinese of 22 characters (66 bytes: the bytes moved on for a length of two)', '南'.repeat(22)],
    ['Chinese of 63 characters (189 bytes)', '宁'.repeat(63)],
    ['ASCII and Chinese making 64 bytes', 'x'.repeat(61) + '南'],
  ])('writes %s as its UTF-8 bytes and reads it back', (_kind, value) => {
    const written = text.toBuffer(value);
    expect(written).toEqual(avroString(value));
    expect(text.fromBuffer(written)).toBe(value);
  });

  it('writes a lone surrogate (not text) as U+FFFD, as Buffer and avsc past 64 bytes do', () => {
    expect(text.toBuffer('a\ud800b')).toEqual(avroString('a\ufffdb'));
    expect(text.toBuffer('a\udc00')).toEqual(avroString('a\ufffd'));
  });

  it('leaves the fields after a short Chinese string as they are', () => {
    const person = { name: '欧阳春花', address: '南宁', age: 41 };
    const written = record.toBuffer(person);
    expect(written).toEqual(Buffer.concat([avroString('欧阳春花'), avroString('南宁'), Buffer.from([82])]));
    expect(record.fromBuffer(written)).toEqual(person);
  });

  it('writes nothing past the string into a buffer it is given (avsc 5.7 wrote there, running to the UTF-8 length)', () => {
    const buffer = Buffer.alloc(64, 0xaa);
    const end = text.encode('韦建国', buffer, 0);
    expect(end).toBe(10);
    expect(buffer.subarray(0, end)).toEqual(avroString('韦建国'));
    expect([...buffer.subarray(end)].every((byte) => byte === 0xaa)).toBe(true);
  });

  it('grows the buffer for a string longer than what is left of it', () => {
    const value = '民族大道'.repeat(5_000);
    expect(text.fromBuffer(text.toBuffer(value))).toBe(value);
  });

  it('writes a string near the end of a buffer exactly, or answers the room it needs', () => {
    const value = '韦建国 450102';
    const bytes = avroString(value);
    // Room for the bytes but not for three bytes a character: measured first, then written.
    const fits = Buffer.alloc(4 + bytes.length, 0xaa);
    expect(text.encode(value, fits, 4)).toBe(fits.length);
    expect(fits.subarray(4)).toEqual(bytes);
    // One byte short: avsc's answer for a buffer too small (minus the room missing), nothing written past it.
    const short = Buffer.alloc(4 + bytes.length - 1, 0xaa);
    expect(text.encode(value, short, 4)).toBe(-1);
  });
});
