import fc from 'fast-check';
import { hostileText, hostileValue, jsonText, RawJson } from './values.ts';

/** What a hostile client sends the schema registry. */
export interface SchemaInput {
  /** Where: a registration, a look-up, or a compatibility check (against the good subject when `atGood`). */
  route: 'register' | 'lookup' | 'compatibility';
  atGood: boolean;
  subject: string;
  body: unknown;
  version: string;
}

const avroName = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/) }, { weight: 1, arbitrary: hostileText });
const primitive = fc.constantFrom('null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string');

/** Avro-shaped schemas, mostly valid, with wrong parts. */
const avroType: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  type: fc.oneof({ depthSize: 'small', maxDepth: 4 }, primitive, tie('record'), tie('union'), tie('array'), tie('map'), tie('enum'), tie('fixed'), tie('logical'), fc.constantFrom('Self', 'gov.hub.Unknown', 'record', ''), hostileValue),
  record: fc.record({ type: fc.constant('record'), name: avroName, namespace: fc.option(fc.oneof(fc.constant('gov.hub.fuzz'), hostileText), { nil: undefined }), fields: fc.array(fc.record({ name: avroName, type: tie('type'), default: fc.option(hostileValue, { nil: undefined }) }, { requiredKeys: ['name', 'type'] }), { maxLength: 4 }) }, { requiredKeys: ['type', 'name', 'fields'] }),
  union: fc.array(tie('type'), { maxLength: 4 }),
  array: fc.record({ type: fc.constant('array'), items: tie('type') }),
  map: fc.record({ type: fc.constant('map'), values: tie('type') }),
  enum: fc.record({ type: fc.constant('enum'), name: avroName, symbols: fc.array(avroName, { maxLength: 4 }), default: fc.option(avroName, { nil: undefined }) }, { requiredKeys: ['type', 'name', 'symbols'] }),
  fixed: fc.record({ type: fc.constant('fixed'), name: avroName, size: fc.oneof(fc.integer({ min: -1, max: 64 }), fc.constant(2 ** 31), hostileValue) }),
  logical: fc.record({ type: fc.constantFrom('int', 'long', 'bytes', 'string', 'fixed'), logicalType: fc.constantFrom('date', 'timestamp-millis', 'decimal', 'uuid', 'bogus'), precision: fc.option(fc.integer({ min: -5, max: 100 }), { nil: undefined }), scale: fc.option(fc.integer({ min: -5, max: 100 }), { nil: undefined }) }, { requiredKeys: ['type', 'logicalType'] }),
})).type;

/** Self-recursive records: a linked list (valid), a record that must hold itself (valid Avro, no finite value), mutual recursion. */
const recursive = fc.constantFrom(
  { type: 'record', name: 'Node', fields: [{ name: 'value', type: 'string' }, { name: 'next', type: ['null', 'Node'], default: null }] },
  { type: 'record', name: 'Loop', fields: [{ name: 'self', type: 'Loop' }] },
  { type: 'record', name: 'A', fields: [{ name: 'b', type: { type: 'record', name: 'B', fields: [{ name: 'a', type: ['null', 'A'] }] } }] },
  { type: 'record', name: 'Tree', fields: [{ name: 'children', type: { type: 'array', items: 'Tree' } }, { name: 'byName', type: { type: 'map', values: 'Tree' } }] },
  { type: 'record', name: 'ResidentIdentity', namespace: 'gov.hub.fuzz', fields: [{ name: 'idNumber', type: 'string' }, { name: 'next', type: ['null', 'gov.hub.fuzz.ResidentIdentity'], default: null }] },
);

/** Huge schemas: many fields, long names, records nested thousands deep, unions of hundreds. */
const huge = fc.constantFrom(200, 5_000, 20_000).chain((n) => fc.constantFrom<unknown>(
  { type: 'record', name: 'Wide', fields: Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'string' })) },
  { type: 'record', name: 'N'.repeat(n), fields: [] },
  new RawJson(`${'{"type":"record","name":"R","fields":[{"name":"f","type":'.repeat(Math.min(n, 5_000)).replace(/"name":"R"/g, () => `"name":"R${Math.random().toString(36).slice(2, 8)}"`)}"string"${'}]}'.repeat(Math.min(n, 5_000))}`),
  new RawJson(`${'{"type":"array","items":'.repeat(Math.min(n, 5_000))}"int"${'}'.repeat(Math.min(n, 5_000))}`),
  Array.from({ length: Math.min(n, 1_000) }, (_, i) => ({ type: 'record', name: `U${i}`, fields: [] })),
));

const schemaText = fc.oneof(
  { weight: 5, arbitrary: avroType.map((t) => jsonText(t)) },
  { weight: 2, arbitrary: recursive.map((t) => JSON.stringify(t)) },
  { weight: 1, arbitrary: huge.map((t) => jsonText(t)) },
  { weight: 1, arbitrary: fc.oneof(hostileText, fc.constantFrom('', '{', '"string"', 'null', '[]', '{"type":"record"}', '{"type":"record","name":"X","fields":[{"name":"a","type":"X"}]}')) },
);

export const schemaInput: fc.Arbitrary<SchemaInput> = fc.record({
  route: fc.constantFrom('register' as const, 'register' as const, 'lookup' as const, 'compatibility' as const),
  atGood: fc.boolean(),
  subject: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('records.fuzz.x-value', 'a', 'fuzz-value') }, { weight: 1, arbitrary: hostileText.filter((s) => s.length > 0 && s.length < 2_000) }),
  body: fc.oneof(
    { weight: 8, arbitrary: fc.record({ schema: schemaText, schemaType: fc.option(fc.oneof(fc.constantFrom('AVRO', 'JSON', 'PROTOBUF', 'avro'), hostileText), { nil: undefined }), references: fc.option(fc.oneof(fc.constant([]), fc.array(fc.record({ name: hostileText, subject: hostileText, version: hostileValue }), { maxLength: 2 }), hostileValue), { nil: undefined }), metadata: fc.option(fc.oneof(fc.record({ properties: fc.dictionary(hostileText, hostileValue, { maxKeys: 3 }) }), hostileValue), { nil: undefined }) }, { requiredKeys: ['schema'] }) },
    { weight: 1, arbitrary: hostileValue },
  ),
  version: fc.oneof(fc.constantFrom('latest', '1', '-1', '0', '2147483648', 'abc', '1.5', '%00'), fc.integer().map(String)),
});
