import { describe, expect, it } from 'vitest';
import { taggedFields, unmatchedTagPatterns } from './field-tags.ts';

const title = {
  type: 'record', name: 'RealEstateTitle', namespace: 'gov.hub.records.land',
  fields: [
    { name: 'rightsHolders', type: { type: 'array', items: { type: 'record', name: 'RightsHolder', fields: [
      { name: 'name', type: 'string', 'confluent:tags': ['NAME'] },
      { name: 'idNumber', type: ['null', 'string'], default: null, 'confluent:tags': ['ID_NUMBER'] },
    ] } } },
    { name: 'location', type: 'string' },
    { name: 'previousHolder', type: ['null', 'RightsHolder'], default: null },
  ],
};

describe('tagged fields', () => {
  it('reads inline confluent:tags with the data path of each field, following named types', () => {
    expect(taggedFields(title)).toEqual([
      { path: 'rightsHolders[].name', record: 'gov.hub.records.land.RightsHolder', field: 'name', tags: ['NAME'] },
      { path: 'rightsHolders[].idNumber', record: 'gov.hub.records.land.RightsHolder', field: 'idNumber', tags: ['ID_NUMBER'] },
      { path: 'previousHolder.name', record: 'gov.hub.records.land.RightsHolder', field: 'name', tags: ['NAME'] },
      { path: 'previousHolder.idNumber', record: 'gov.hub.records.land.RightsHolder', field: 'idNumber', tags: ['ID_NUMBER'] },
    ]);
  });

  it('adds metadata.tags by Record.field (short or full name) and wildcards', () => {
    const fields = taggedFields(title, { 'RealEstateTitle.location': ['ADDRESS'], '**.idNumber': ['PII'] });
    expect(fields.find((f) => f.path === 'location')).toEqual({ path: 'location', record: 'gov.hub.records.land.RealEstateTitle', field: 'location', tags: ['ADDRESS'] });
    expect(fields.find((f) => f.path === 'rightsHolders[].idNumber')?.tags).toEqual(['ID_NUMBER', 'PII']);
    expect(taggedFields(title, { 'gov.hub.records.land.RealEstateTitle.location': ['ADDRESS'] }).some((f) => f.path === 'location')).toBe(true);
  });

  it('lists metadata.tags keys that name no field', () => {
    expect(unmatchedTagPatterns(title, { 'RealEstateTitle.location': ['ADDRESS'], 'RealEstateTitle.lokation': ['ADDRESS'], '**.nothing': ['X'] })).toEqual(['RealEstateTitle.lokation']);
  });

  it('stops at recursive records', () => {
    const tree = { type: 'record', name: 'Node', fields: [{ name: 'label', type: 'string', 'confluent:tags': ['NAME'] }, { name: 'children', type: { type: 'array', items: 'Node' } }] };
    expect(taggedFields(tree).map((f) => f.path)).toEqual(['label']);
  });
});
