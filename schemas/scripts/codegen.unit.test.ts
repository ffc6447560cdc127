import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { EventName, EventTypeMap } from '../generated/types.ts';
import { createAvroType, type AvroSchema } from '../src/load.ts';
import { eventTypes } from '../src/manifest.ts';
import { renderTypes } from './codegen.ts';
import { generatedTypesFile, readSchemaSources } from './sources.ts';

const source = (file: string, schema: AvroSchema) => ({ file, type: createAvroType(schema) });

describe('generated/types.ts', () => {
  it('is up to date with the .avsc files (run `npm run build -w @hub/schemas` if not)', () => {
    expect(existsSync(generatedTypesFile), 'generated/types.ts is missing: run the build').toBe(true);
    expect(readFileSync(generatedTypesFile, 'utf8')).toBe(renderTypes(readSchemaSources()));
  });

  it('exports one interface per manifest entry and maps every event name to it', () => {
    const generated = readFileSync(generatedTypesFile, 'utf8');
    const mapBody = /export interface EventTypeMap \{([^}]*)\}/.exec(generated)?.[1] ?? '';
    const mapped = [...mapBody.matchAll(/^\s+(\w+): (\w+);$/gm)].map(([, key, value]) => [key, value]);
    expect(mapped.map(([key]) => key).sort()).toEqual(eventTypes.map((entry) => entry.name).sort());
    for (const [key, value] of mapped) {
      expect(value).toBe(key);
      expect(generated).toContain(`export interface ${key} {`);
    }
  });

  it('maps logical types, enums and optional fields to the values avsc yields', () => {
    expectTypeOf<EventName>().toEqualTypeOf<keyof EventTypeMap>();
    expectTypeOf<EventTypeMap['FeePaid']['amount']>().toEqualTypeOf<string>();
    expectTypeOf<EventTypeMap['FeePaid']['paidAt']>().toEqualTypeOf<Date>();
    expectTypeOf<EventTypeMap['ResidentIdentity']['birthDate']>().toEqualTypeOf<string>();
    expectTypeOf<EventTypeMap['ResidentIdentity']['sex']>().toEqualTypeOf<'UNKNOWN' | 'MALE' | 'FEMALE' | 'UNSPECIFIED'>();
    expectTypeOf<EventTypeMap['CertificateIssued']['validUntil']>().toEqualTypeOf<string | null>();
    expectTypeOf<EventTypeMap['ExchangeResponded']['answer']>().toEqualTypeOf<Record<string, string> | null>();
    expectTypeOf<EventTypeMap['DeliveryEnvelope']['payload']>().toEqualTypeOf<Buffer>();
    expectTypeOf<EventTypeMap['SupplementRequested']['missingMaterials']>().toEqualTypeOf<string[]>();
  });
});

describe('renderTypes', () => {
  it('writes docs as JSDoc and qualifies simple names that two namespaces share', () => {
    const enumIn = (namespace: string) => ({ type: 'enum', name: 'Status', namespace, doc: '状态', symbols: ['A'] });
    const ts = renderTypes([
      source('a.avsc', { type: 'record', name: 'A', namespace: 'x.one', doc: '甲', fields: [{ name: 's', type: enumIn('x.one'), doc: '状态' }] }),
      source('b.avsc', { type: 'record', name: 'B', namespace: 'x.two', doc: '乙', fields: [{ name: 's', type: enumIn('x.two'), doc: '状态' }] }),
    ]);
    expect(ts).toContain('export type XOneStatus = \'A\';');
    expect(ts).toContain('export type XTwoStatus = \'A\';');
    expect(ts).toContain('  /** 状态 */\n  s: XOneStatus;');
  });

  it('refuses one full name defined two ways', () => {
    const sex = (symbols: string[]) => ({ type: 'enum', name: 'Sex', namespace: 'gov.hub.codes', symbols });
    const record = (name: string, symbols: string[]) => ({ type: 'record', name, fields: [{ name: 'sex', type: sex(symbols) }] });
    expect(() => renderTypes([source('a.avsc', record('A', ['MALE'])), source('b.avsc', record('B', ['MALE', 'FEMALE']))])).toThrow(
      /gov\.hub\.codes\.Sex is defined differently in a\.avsc and b\.avsc/,
    );
  });
});
