import fc from 'fast-check';
import { deepValue, hostileRecord, hostileText, hostileValue } from './values.ts';

/** What is done to a request body once written: the ways a client (or a proxy) damages one. */
export type BodyDamage =
  | { kind: 'none' }
  | { kind: 'cut'; at: number }
  | { kind: 'bytes'; at: number; bytes: number[] }
  | { kind: 'prefix'; text: string }
  | { kind: 'suffix'; text: string }
  | { kind: 'replace'; text: string }
  | { kind: 'content-type'; contentType: string };

export const bodyDamage: fc.Arbitrary<BodyDamage> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ kind: 'cut' as const, at })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.array(fc.constantFrom(0x00, 0xff, 0xfe, 0xc3, 0x80, 0xe9, 0xef, 0xbb, 0xbf, 0x0a, 0x22, 0x5c), { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.constantFrom('\uFEFF', ' ', '\u0000', ']', '{', 'null', '[[').map((text) => ({ kind: 'prefix' as const, text })) },
  { weight: 1, arbitrary: fc.constantFrom(',', ']', '}', '\u0000', ' garbage', '\n{"GMSFHM":1}').map((text) => ({ kind: 'suffix' as const, text })) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('', '{}', 'null', '"x"', '42', '{"__proto__":{"a":1}}', '[{"constructor":{"prototype":{"x":1}}}]', '[{"a":1,"a":2}]', '[' .repeat(40) + ']'.repeat(40)), fc.jsonValue().map((v) => JSON.stringify(v)), hostileText).map((text) => ({ kind: 'replace' as const, text })) },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=gbk', 'application/x-ndjson', 'application/json', 'multipart/form-data; boundary=x', '').map((contentType) => ({ kind: 'content-type' as const, contentType })) },
);

export function damaged(text: string, damage: BodyDamage): Buffer {
  const bytes = Buffer.from(text);
  switch (damage.kind) {
    case 'none':
    case 'content-type':
      return bytes;
    case 'cut':
      return bytes.subarray(0, Math.floor(bytes.length * damage.at));
    case 'bytes': {
      const at = Math.floor(bytes.length * damage.at);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(damage.bytes), bytes.subarray(at)]);
    }
    case 'prefix':
      return Buffer.concat([Buffer.from(damage.text), bytes]);
    case 'suffix':
      return Buffer.concat([bytes, Buffer.from(damage.text)]);
    case 'replace':
      return Buffer.from(damage.text);
    default: {
      const _exhaustive: never = damage;
      return _exhaustive;
    }
  }
}

/** A push: hostile records (and things that are not records) with the good one at `goodAt`. */
export interface PushInput {
  records: unknown[];
  goodAt: number;
  damage: BodyDamage;
}

export function pushInput(columns: readonly string[], template: Record<string, string>): fc.Arbitrary<PushInput> {
  const item = fc.oneof(
    { weight: 8, arbitrary: hostileRecord(columns, template) },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...columns), deepValue).map(([column, deep]) => ({ ...template, [column]: deep })) },
  );
  return fc.record({ records: fc.array(item, { maxLength: 6 }), goodAt: fc.nat(6), damage: bodyDamage });
}

/** An NDJSON push: lines that are records, and lines that are anything else, the good record's among them. */
export interface NdjsonInput {
  lines: Array<{ record: unknown } | { text: string }>;
  goodAt: number;
  lineEnd: '\n' | '\r\n';
  damage: BodyDamage;
}

export function ndjsonInput(columns: readonly string[], template: Record<string, string>): fc.Arbitrary<NdjsonInput> {
  const line = fc.oneof(
    { weight: 6, arbitrary: hostileRecord(columns, template).map((record) => ({ record })) },
    { weight: 1, arbitrary: hostileValue.map((record) => ({ record })) },
    { weight: 2, arbitrary: fc.oneof(hostileText.map((t) => t.replace(/[\r\n]/g, ' ')), fc.constantFrom('', '   ', '{', '{"GMSFHM":', '[1,2]', '\u0000', '\uFEFF{}')).map((text) => ({ text })) },
    { weight: 1, arbitrary: deepValue.map((record) => ({ record })) },
    // a 10 MB line, once in a while: one rejected record, never a failed push
    { weight: 1, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30).map((n) => (n === 1 ? { text: `{"GMSFHM":"${'4'.repeat(10_000_000)}"}` } : { record: { ...template, XM: 'x'.repeat(n) } })) },
  );
  return fc.record({ lines: fc.array(line, { maxLength: 6 }), goodAt: fc.nat(6), lineEnd: fc.constantFrom('\n' as const, '\r\n' as const), damage: bodyDamage });
}

/** A case submission: a valid case with some of its fields spoilt or dropped, or no case at all. */
export interface CaseInput {
  body: unknown;
  damage: BodyDamage;
  idempotencyKey?: string;
}

const casePaths = ['applicant', 'applicant.type', 'applicant.name', 'applicant.idNumber', 'applicant.creditCode', 'applicant.phone', 'itemCode', 'itemName', 'centre', 'window', 'divisionCode', 'channel', 'submittedAt', 'documents', 'documents.0', 'documents.0.name', 'documents.0.fileRef', 'documents.0.kind', 'extra', 'applicant.extra'];

function withPath(value: unknown, path: readonly string[], replacement: unknown, drop: boolean): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  const copy: Record<string, unknown> = Array.isArray(value) ? ({ ...value } as Record<string, unknown>) : typeof value === 'object' && value !== null ? { ...(value as Record<string, unknown>) } : {};
  if (drop && rest.length === 0) delete copy[head];
  else copy[head] = withPath(copy[head], rest, replacement, drop);
  return Array.isArray(value) ? Object.values(copy) : copy;
}

export function caseInput(valid: Record<string, unknown>): fc.Arbitrary<CaseInput> {
  const spoilt = fc.array(fc.tuple(fc.constantFrom(...casePaths), hostileValue, fc.boolean()), { minLength: 1, maxLength: 3 })
    .map((changes) => changes.reduce<unknown>((body, [path, value, drop]) => withPath(body, path.split('.'), value, drop), valid));
  return fc.record({
    body: fc.oneof({ weight: 8, arbitrary: spoilt }, { weight: 1, arbitrary: hostileValue }, { weight: 1, arbitrary: fc.constant(valid) }),
    damage: bodyDamage,
    // what HTTP can carry in a header (a client cannot send the rest): tab, visible ASCII, obs-text
    idempotencyKey: fc.option(fc.oneof(hostileText, fc.constantFrom('k1', 'k2', 'x'.repeat(300))).map((k) => k.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')), { nil: undefined }),
  }, { requiredKeys: ['body', 'damage'] });
}
