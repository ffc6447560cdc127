import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, recordEventId, rejectionId, uuidV5 } from './event-id.ts';

describe('deterministic event ids', () => {
  const native = { GMSFHM: '450102198503121233', XM: '韦建国', XB: '男', NL: 40, SF: true, BZ: null };

  it('writes canonical JSON with sorted keys and no undefined values', () => {
    expect(canonicalJson({ b: 1, a: 'x', c: undefined, d: null })).toBe('{"a":"x","b":1,"d":null}');
  });

  it('gives the same record the same id, whatever the key order', () => {
    const reordered = { XB: '男', BZ: null, SF: true, NL: 40, XM: '韦建国', GMSFHM: '450102198503121233' };
    expect(recordEventId('ps', 'resident-identity', native.GMSFHM, native)).toBe(recordEventId('ps', 'resident-identity', native.GMSFHM, reordered));
    expect(contentHash(native)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives changed content, another key, resource or department a new id', () => {
    const id = recordEventId('ps', 'resident-identity', native.GMSFHM, native);
    expect(recordEventId('ps', 'resident-identity', native.GMSFHM, { ...native, XM: '韦建军' })).not.toBe(id);
    expect(recordEventId('ps', 'resident-identity', '450102198503121234', native)).not.toBe(id);
    expect(recordEventId('ps', 'household', native.GMSFHM, native)).not.toBe(id);
    expect(recordEventId('civil', 'resident-identity', native.GMSFHM, native)).not.toBe(id);
  });

  it('never gives a rejection the id of an event', () => {
    expect(rejectionId('ps', 'resident-identity', native.GMSFHM, native)).not.toBe(recordEventId('ps', 'resident-identity', native.GMSFHM, native));
  });

  it('lays the id out as an RFC 4122 version-5 UUID', () => {
    const id = recordEventId('ps', 'resident-identity', native.GMSFHM, native);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('computes RFC 4122 v5 UUIDs (DNS namespace, "www.example.com")', () => {
    // The well-known test vector of name-based SHA-1 UUIDs.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('keeps the ids published so far: the same record still gets the same id', () => {
    expect(recordEventId('ps', 'resident-identity', native.GMSFHM, native)).toBe('2a60613e-f1a6-5e35-be43-de6cddc02d01');
  });

  it('writes the same canonical JSON whatever the shape, one shape after another', () => {
    // The plain definition: keys sorted as strings, each key and value as JSON.stringify writes it.
    const reference = (record: Record<string, unknown>) =>
      `{${Object.keys(record).filter((k) => record[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(record[k])}`).join(',')}}`;
    const shapes: Array<Record<string, unknown>> = [
      native, native, { ...native, XM: undefined }, { 10: 'a', 9: 'b', x: 1 }, { '01': 1, 1: 2 },
      JSON.parse('{"__proto__":"x","a":1}') as Record<string, unknown>, { z: 'é\u2028"\\\n', 'a\u0000': -0, n: Number.NaN, i: Number.POSITIVE_INFINITY },
      {}, { a: undefined }, { é: 1, e: 2, E: 3 }, { '\ud800': 'lone \udc00' }, native,
    ];
    for (const shape of shapes) expect(canonicalJson(shape as never)).toBe(reference(shape));
  });
});

