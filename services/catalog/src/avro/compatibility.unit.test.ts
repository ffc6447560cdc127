import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { checkCompatibility, incompatibilities } from './compatibility.ts';

const t = (schema: unknown) => avro.Type.forSchema(schema as never);
const record = (fields: unknown[], name = 'Applicant') => t({ type: 'record', name, namespace: 'gov.hub.test', fields });

describe('incompatibilities (reader, writer)', () => {
  it('is empty when avsc resolves them, including type promotions', () => {
    expect(incompatibilities(t('long'), t('int'))).toEqual([]);
    expect(incompatibilities(t(['null', 'string']), t('string'))).toEqual([]);
    expect(incompatibilities(record([{ name: 'a', type: 'string' }]), record([{ name: 'a', type: 'string' }, { name: 'b', type: 'int' }]))).toEqual([]);
  });

  it('names a field added without a default', () => {
    expect(incompatibilities(record([{ name: 'a', type: 'string' }, { name: 'age', type: 'int' }]), record([{ name: 'a', type: 'string' }]))).toEqual([
      { kind: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: 'age', message: "field 'age' of gov.hub.test.Applicant has no default, and the writer's gov.hub.test.Applicant has no such field to take it from" },
    ]);
  });

  it('names a nested field whose type changed, through arrays and unions', () => {
    const reader = record([{ name: 'docs', type: { type: 'array', items: { type: 'record', name: 'Doc', fields: [{ name: 'pages', type: 'int' }] } } }]);
    const writer = record([{ name: 'docs', type: { type: 'array', items: { type: 'record', name: 'Doc', fields: [{ name: 'pages', type: 'string' }] } } }]);
    expect(incompatibilities(reader, writer)).toEqual([{ kind: 'TYPE_MISMATCH', path: 'docs[].pages', message: '"string" written cannot be read as "int"' }]);
    const narrowed = incompatibilities(record([{ name: 'phone', type: 'string' }]), record([{ name: 'phone', type: ['null', 'string'], default: null }]));
    expect(narrowed).toEqual([{ kind: 'TYPE_MISMATCH', path: 'phone', message: '"null" written cannot be read as "string"' }]);
    const union = incompatibilities(record([{ name: 'x', type: ['null', 'string'], default: null }]), record([{ name: 'x', type: ['null', 'string', 'int'], default: null }]));
    expect(union).toEqual([{ kind: 'MISSING_UNION_BRANCH', path: 'x', message: 'the writer\'s union branch "int" has no branch in the reader\'s union ["null", "string"] that can read it' }]);
    const widened = incompatibilities(t('string'), t(['string', 'int']));
    expect(widened).toEqual([{ kind: 'TYPE_MISMATCH', path: '', message: '"int" written cannot be read as "string"' }]);
  });

  it('names enum symbols the reader lacks, and records renamed', () => {
    const enumOf = (symbols: string[]) => record([{ name: 'kind', type: { type: 'enum', name: 'Kind', symbols } }]);
    expect(incompatibilities(enumOf(['PERSON']), enumOf(['PERSON', 'ORGANISATION']))).toEqual([
      { kind: 'MISSING_ENUM_SYMBOLS', path: 'kind', message: 'enum gov.hub.test.Kind cannot read the writer\'s symbols ORGANISATION and has no default symbol' },
    ]);
    expect(incompatibilities(record([], 'A'), record([], 'B'))[0]).toMatchObject({ kind: 'NAME_MISMATCH', path: '' });
  });
});

describe('checkCompatibility', () => {
  const v1 = { version: 1, type: record([{ name: 'a', type: 'string' }]) };
  const v2 = { version: 2, type: record([{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }]) };
  const needsB = record([{ name: 'a', type: 'string' }, { name: 'b', type: 'int' }]);

  it('checks only the latest version unless transitive', () => {
    expect(checkCompatibility('BACKWARD', needsB, [v1, v2]).compatible).toBe(true);
    expect(checkCompatibility('BACKWARD_TRANSITIVE', needsB, [v1, v2])).toEqual({
      compatible: false,
      messages: [expect.stringMatching(/^READER_FIELD_MISSING_DEFAULT_VALUE at 'b': .* the new schema cannot read data written with version 1 \(BACKWARD_TRANSITIVE\)$/)],
    });
  });

  it('FORWARD asks the old schema to read the new one; FULL asks both; NONE nothing', () => {
    const dropsA = record([{ name: 'b', type: 'int', default: 0 }]);
    expect(checkCompatibility('FORWARD', dropsA, [v2]).messages).toEqual([expect.stringMatching(/at 'a'.*version 2 cannot read data written with the new schema \(FORWARD\)/)]);
    expect(checkCompatibility('BACKWARD', dropsA, [v2]).compatible).toBe(true);
    expect(checkCompatibility('FULL', dropsA, [v2]).compatible).toBe(false);
    expect(checkCompatibility('NONE', t('string'), [v2]).compatible).toBe(true);
  });
});
