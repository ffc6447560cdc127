import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRead } from './compat.ts';
import { avroType, createAvroType, loadSchema, packageRoot, schemaHistory } from './load.ts';
import { isEventName } from './manifest.ts';
import { samples } from './samples/index.ts';
import type { FieldJson, RecordSchemaJson } from './schema-json.ts';

const historyFiles = readdirSync(fileURLToPath(new URL('history/', packageRoot))).filter((file) => file.endsWith('.avsc'));
const historyNames = [...new Set(historyFiles.map((file) => file.split('.')[0] ?? ''))];

/** A copy of a schema with its top-level fields changed. */
function withFields(schema: RecordSchemaJson, change: (fields: FieldJson[]) => FieldJson[]): RecordSchemaJson {
  const copy = structuredClone(schema) as RecordSchemaJson;
  return { ...copy, fields: change(copy.fields) };
}

describe('history', () => {
  it('holds real evolutions, each named <Name>.v<N>.avsc after a current event type', () => {
    expect(historyNames).toEqual(expect.arrayContaining(['CaseSubmitted', 'CaseAccepted', 'ResidentIdentity']));
    for (const file of historyFiles) expect(file).toMatch(/^[A-Za-z]+\.v\d+\.avsc$/);
    for (const name of historyNames) expect(isEventName(name), name).toBe(true);
  });

  describe.each(historyNames.filter(isEventName).map((name) => [name] as const))('%s', (name) => {
    const versions = schemaHistory(name);

    it('numbers the versions 1..n with the current one last', () => {
      expect(versions.map(({ version }) => version)).toEqual(versions.map((_, i) => i + 1));
      expect(versions.at(-1)?.schema).toBe(loadSchema(name));
      expect(versions.length).toBeGreaterThan(1);
    });

    it('stays BACKWARD compatible: the current schema reads every released version', () => {
      for (const { version, schema } of versions) {
        expect({ version, ...canRead(avroType(name), createAvroType(schema)) }).toEqual({ version, compatible: true });
      }
    });

    it('really changed between versions', () => {
      const fingerprints = versions.map(({ schema }) => createAvroType(schema).fingerprint('sha256').toString('hex'));
      expect(new Set(fingerprints).size).toBe(fingerprints.length);
    });
  });

  it('fills fields added since v1 with their defaults when reading v1 data', () => {
    const [v1] = schemaHistory('ResidentIdentity');
    const writer = createAvroType(v1!.schema);
    const { previousIdNumber: _added, ...asWrittenByV1 } = samples.ResidentIdentity;
    const read = avroType('ResidentIdentity').fromBuffer(writer.toBuffer(asWrittenByV1), avroType('ResidentIdentity').createResolver(writer));
    expect(read).toEqual({ ...asWrittenByV1, previousIdNumber: null });
  });

  it('reads an acceptance written before the co-approval plan with stages null', () => {
    const [v1] = schemaHistory('CaseAccepted');
    const writer = createAvroType(v1!.schema);
    const { stages: _added, ...asWrittenByV1 } = samples.CaseAccepted;
    const read = avroType('CaseAccepted').fromBuffer(writer.toBuffer(asWrittenByV1), avroType('CaseAccepted').createResolver(writer));
    expect(read).toEqual({ ...asWrittenByV1, stages: null });
  });
});

describe('an incompatible change is detected', () => {
  const current = loadSchema('CaseSubmitted');

  it.each<[string, (fields: FieldJson[]) => FieldJson[]]>([
    ['a new field without a default', (fields) => [...fields, { name: 'priority', type: 'int', doc: '优先级' }]],
    ['a field changing type', (fields) => fields.map((f) => (f.name === 'itemCode' ? { ...f, type: 'int' } : f))],
    ['an enum losing a symbol', (fields) => fields.map((f) => (f.name === 'channel' ? { ...f, type: { type: 'enum', name: 'Channel', symbols: ['WINDOW', 'ONLINE'] } } : f))],
    ['an optional field becoming required', (fields) => fields.map((f) => (f.name === 'windowId' ? { name: f.name, doc: f.doc, type: 'string' } : f))],
  ])('%s', (_, change) => {
    const next = createAvroType(withFields(current, change));
    const verdict = canRead(next, avroType('CaseSubmitted'));
    expect(verdict.compatible).toBe(false);
  });

  it('a decimal changing scale', () => {
    const fee = loadSchema('FeeAssessed');
    const rescaled = withFields(fee, (fields) =>
      fields.map((f) => (f.name === 'amount' ? { ...f, type: { type: 'bytes', logicalType: 'decimal', precision: 14, scale: 3 } } : f)),
    );
    expect(canRead(createAvroType(rescaled), avroType('FeeAssessed'))).toMatchObject({ compatible: false });
  });
});
