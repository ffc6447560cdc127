import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { avroType, loadSchema, packageRoot } from './load.ts';
import { eventTypes } from './manifest.ts';
import { sensitiveTags } from './schema-json.ts';
import type { AvroTypeJson, ComplexTypeJson, FieldJson } from './schema-json.ts';

const CJK = /[\u3400-\u9fff]/;
const avroFiles = readdirSync(fileURLToPath(new URL('avro/', packageRoot)), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.avsc'))
  .map((file) => `avro/${file}`)
  .sort();

/** Every named type and every field in a schema, with a readable path. */
function walk(type: AvroTypeJson, path: string, visit: (node: ComplexTypeJson | FieldJson, path: string) => void): void {
  if (Array.isArray(type)) return type.forEach((branch) => walk(branch, path, visit));
  if (typeof type === 'string') return;
  if (type.name) visit(type, `${path}<${type.name}>`);
  if (type.items !== undefined) walk(type.items, `${path}[]`, visit);
  if (type.values !== undefined) walk(type.values, `${path}{}`, visit);
  for (const field of type.fields ?? []) {
    visit(field, `${path}.${field.name}`);
    walk(field.type, `${path}.${field.name}`, visit);
  }
}

describe('the manifest and the .avsc files', () => {
  it('list the same event types, file for file', () => {
    expect(eventTypes.map((eventType) => eventType.file).sort()).toEqual(avroFiles);
  });

  it('has unique names, full names and subjects', () => {
    for (const key of ['name', 'fullName', 'subject'] as const) {
      expect(new Set(eventTypes.map((eventType) => eventType[key])).size).toBe(eventTypes.length);
    }
  });
});

describe.each(eventTypes.map((eventType) => [eventType.name, eventType] as const))('%s', (name, eventType) => {
  const schema = loadSchema(name);

  it('parses with avsc under the full name the manifest gives', () => {
    expect(avroType(name).name).toBe(eventType.fullName);
    expect(`${schema.namespace}.${schema.name}`).toBe(eventType.fullName);
  });

  it('carries the common header and its key fields', () => {
    const fields = schema.fields.map((field) => field.name);
    expect(fields.slice(0, 2)).toEqual(['eventId', 'occurredAt']);
    expect(schema.fields[1]?.type).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
    for (const key of eventType.keyFields) expect(fields).toContain(key);
    if (eventType.area === 'records') expect(fields).toEqual(expect.arrayContaining(['sourceDepartment', 'divisionCode']));
  });

  it('documents every record, enum and field with the Chinese term', () => {
    const undocumented: string[] = [];
    if (!CJK.test(schema.doc)) undocumented.push(schema.name);
    walk(schema, schema.name, (node, path) => {
      if (!(typeof node.doc === 'string' && CJK.test(node.doc))) undocumented.push(path);
    });
    expect(undocumented).toEqual([]);
  });

  it('makes optional fields ["null", T] with a null default', () => {
    walk(schema, schema.name, (node, path) => {
      if (!('default' in node) && !(Array.isArray(node.type) && node.type.includes('null'))) return;
      expect({ path, type: Array.isArray(node.type) ? node.type[0] : 'null', default: node.default }).toEqual({
        path,
        type: 'null',
        default: null,
      });
    });
  });

  it('uses only the known sensitivity tags', () => {
    walk(schema, schema.name, (node) => {
      for (const tag of (node as FieldJson)['confluent:tags'] ?? []) expect(sensitiveTags).toContain(tag);
    });
  });

  it('puts its topic where the architecture says', () => {
    const expected = {
      cases: /^cases\.events$/,
      items: /^items\.events$/,
      exchange: /^exchange\.(requests|responses|agreements|monitoring)$/,
      records: /^records\.[a-z]+\.[a-z-]+$/,
      supervision: /^supervision\.alerts$/,
      delivery: /^deliveries\.<dept>$/,
    }[eventType.area];
    expect(eventType.topic).toMatch(expected);
    expect(eventType.subject).toBe(`${eventType.topic}-${eventType.fullName}`);
  });
});
