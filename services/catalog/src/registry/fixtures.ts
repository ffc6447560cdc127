import type { RegistryEvent, SchemaVersion } from './events.ts';

/** Schema texts for the registry's tests: a resident record as the public-security department shares it. */
export const personV1 = JSON.stringify({
  type: 'record', name: 'Person', namespace: 'gov.hub.test',
  fields: [
    { name: 'idNumber', type: 'string', 'confluent:tags': ['ID_NUMBER'] },
    { name: 'name', type: 'string', 'confluent:tags': ['NAME'] },
  ],
});

/** v1 plus an optional phone: BACKWARD and FORWARD compatible. */
export const personWithPhone = JSON.stringify({
  type: 'record', name: 'Person', namespace: 'gov.hub.test',
  fields: [
    { name: 'idNumber', type: 'string', 'confluent:tags': ['ID_NUMBER'] },
    { name: 'name', type: 'string', 'confluent:tags': ['NAME'] },
    { name: 'phone', type: ['null', 'string'], default: null, 'confluent:tags': ['PHONE'] },
  ],
});

/** v1 plus a required age without default: breaks BACKWARD (new cannot read old), keeps FORWARD. */
export const personWithAge = JSON.stringify({
  type: 'record', name: 'Person', namespace: 'gov.hub.test',
  fields: [
    { name: 'idNumber', type: 'string', 'confluent:tags': ['ID_NUMBER'] },
    { name: 'name', type: 'string', 'confluent:tags': ['NAME'] },
    { name: 'age', type: 'int' },
  ],
});

/** v1 without the name: keeps BACKWARD (new ignores it), breaks FORWARD (old needs it). */
export const personWithoutName = JSON.stringify({
  type: 'record', name: 'Person', namespace: 'gov.hub.test',
  fields: [{ name: 'idNumber', type: 'string', 'confluent:tags': ['ID_NUMBER'] }],
});

export const company = JSON.stringify({
  type: 'record', name: 'Company', namespace: 'gov.hub.test',
  fields: [{ name: 'creditCode', type: 'string' }],
});

export function version(subject: string, versionNumber: number, id: number, schema: string, extra: Partial<SchemaVersion> = {}): SchemaVersion {
  return { subject, version: versionNumber, id, schemaType: 'AVRO', schema, references: [], deleted: false, ...extra };
}

export function registered(subject: string, versionNumber: number, id: number, schema: string, extra: Partial<SchemaVersion> = {}): RegistryEvent {
  return { type: 'SubjectVersionRegistered', data: version(subject, versionNumber, id, schema, extra) };
}

export function softDeleted(subject: string, versionNumber: number, id: number, schema: string, extra: Partial<SchemaVersion> = {}): RegistryEvent {
  return { type: 'SubjectVersionSoftDeleted', data: version(subject, versionNumber, id, schema, { ...extra, deleted: true }) };
}
