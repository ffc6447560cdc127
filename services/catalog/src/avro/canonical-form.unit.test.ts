import { describe, expect, it } from 'vitest';
import { canonicalForm } from './canonical-form.ts';

describe('canonical form', () => {
  it('ignores spacing, key order, primitive spelling and how the namespace is written', () => {
    const a = { type: 'record', name: 'Person', namespace: 'gov.hub', fields: [{ name: 'id', type: 'string' }, { name: 'home', type: { type: 'record', name: 'Address', fields: [{ name: 'line', type: { type: 'string' } }] } }, { name: 'work', type: 'Address' }] };
    const b = { fields: [{ type: { type: 'string' }, name: 'id' }, { name: 'home', type: { name: 'gov.hub.Address', type: 'record', fields: [{ type: 'string', name: 'line' }] } }, { name: 'work', type: 'gov.hub.Address' }], name: 'gov.hub.Person', type: 'record' };
    expect(canonicalForm(a)).toBe(canonicalForm(b));
  });

  it('keeps what changes meaning: defaults, docs, field order, symbols order, tags, logical types', () => {
    const base = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }] };
    const variants = [
      { ...base, fields: [{ name: 'a', type: 'int', default: 0 }, { name: 'b', type: 'int' }] },
      { ...base, doc: '记录' },
      { ...base, fields: [{ name: 'b', type: 'int' }, { name: 'a', type: 'int' }] },
      { ...base, fields: [{ name: 'a', type: 'int', 'confluent:tags': ['NAME'] }, { name: 'b', type: 'int' }] },
      { ...base, fields: [{ name: 'a', type: { type: 'int', logicalType: 'date' } }, { name: 'b', type: 'int' }] },
    ];
    for (const variant of variants) expect(canonicalForm(variant)).not.toBe(canonicalForm(base));
    expect(canonicalForm({ type: 'enum', name: 'E', symbols: ['A', 'B'] })).not.toBe(canonicalForm({ type: 'enum', name: 'E', symbols: ['B', 'A'] }));
  });
});
