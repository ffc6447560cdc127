import { describe, expect, it } from 'vitest';
import { deciderSpecification } from '@hub/decider/testing';
import { registryDecider, type RegistryCommand } from './decide.ts';
import { company, personV1, personWithAge, personWithPhone, personWithoutName, registered, softDeleted, version } from './fixtures.ts';

const { given } = deciderSpecification(registryDecider);

const S = 'records.ps.resident-identity-value';
const register = (schema: string | undefined, extra: Record<string, unknown> = {}, subject = S) =>
  ({ type: 'RegisterSchema' as const, data: { subject, ...(schema === undefined ? {} : { schema }), ...extra } });

describe('registering a schema', () => {
  it('given an empty registry, gives version 1 and id 1', () => {
    given().when(register(personV1)).then([registered(S, 1, 1, personV1)], { id: 1, version: 1 });
  });

  it('given the same schema registered, answers its id and writes nothing, however the text is spaced', () => {
    const reformatted = JSON.stringify(JSON.parse(personV1), null, 2);
    given(registered(S, 1, 1, personV1)).when(register(reformatted)).then([], { id: 1, version: 1 });
  });

  it('given the schema under another subject, reuses its id with version 1 of the new subject', () => {
    given(registered('other-value', 1, 7, personV1)).when(register(personV1)).then([registered(S, 1, 7, personV1)], { id: 7, version: 1 });
  });

  it('given a compatible change, adds version 2 with the next id', () => {
    given(registered(S, 1, 1, personV1), registered('x', 1, 4, company))
      .when(register(personWithPhone)).then([registered(S, 2, 5, personWithPhone)], { id: 5, version: 2 });
  });

  it('given BACKWARD (default), refuses a field added without a default, naming it', () => {
    const error = given(registered(S, 1, 1, personV1)).when(register(personWithAge)).thenFails({ type: 'IncompatibleSchema', subject: S });
    expect(error.type === 'IncompatibleSchema' && error.messages.join('\n')).toMatch(/READER_FIELD_MISSING_DEFAULT_VALUE at 'age'.*no default.*version 1 \(BACKWARD\)/);
  });

  it('given compatibility NONE for the subject, accepts any change', () => {
    given(registered(S, 1, 1, personV1), { type: 'CompatibilitySet', data: { subject: S, compatibility: 'NONE' } })
      .when(register(company)).then([registered(S, 2, 2, company)]);
  });

  it('refuses text that is not JSON, and JSON that is not Avro, as invalid schemas', () => {
    given().when(register('{"type": "record",')).thenFails({ type: 'InvalidSchema', reason: expect.stringMatching(/not valid JSON/) });
    given().when(register('{"type": "record", "name": "X", "fields": [{"name": "a", "type": "strin"}]}'))
      .thenFails({ type: 'InvalidSchema', reason: expect.stringMatching(/undefined type name: strin/) });
    given().when(register('{"type": "record", "name": "X", "fields": [{"name": "a", "type": ["null", "string"], "default": "x"}]}'))
      .thenFails({ type: 'InvalidSchema', reason: expect.stringMatching(/default/) });
  });

  it('refuses schema types other than AVRO', () => {
    given().when(register('syntax = "proto3";', { schemaType: 'PROTOBUF' })).thenFails({ type: 'InvalidSchema', reason: expect.stringMatching(/PROTOBUF is not supported.*AVRO schemas only/) });
  });

  it('refuses an empty schema on a new subject, and reuses the latest schema to change metadata only', () => {
    given().when(register(undefined)).thenFails({ type: 'InvalidSchema', reason: 'Empty schema' });
    const metadata = { properties: { owner: 'ps', sharing: 'conditional' } };
    given(registered(S, 1, 1, personV1)).when(register('', { metadata })).then([registered(S, 2, 2, personV1, { metadata })], { id: 2, version: 2 });
  });

  it('carries the latest metadata over when a client registers the bare schema again', () => {
    const metadata = { properties: { owner: 'ps', sharing: 'conditional' } };
    given(registered(S, 1, 1, personV1, { metadata })).when(register(personV1)).then([], { id: 1, version: 1 });
    given(registered(S, 1, 1, personV1, { metadata })).when(register(personWithPhone)).then([registered(S, 2, 2, personWithPhone, { metadata })]);
  });

  it('refuses government metadata with an unknown department, sharing condition or update cycle', () => {
    const error = given().when(register(personV1, { metadata: { properties: { owner: 'army', sharing: 'public', updateCycle: 'sometimes' } } }))
      .thenFails({ type: 'InvalidSchema' });
    expect(error.type === 'InvalidSchema' && error.reason).toMatch(/owner must be a department code .*"army".*sharing must be one of unconditional, conditional, not-shared, not "public".*updateCycle/);
  });

  it('refuses metadata.tags naming a field the schema does not have', () => {
    given().when(register(personV1, { metadata: { tags: { 'Person.idNum': ['ID_NUMBER'] } } }))
      .thenFails({ type: 'InvalidSchema', reason: expect.stringMatching(/"Person.idNum", which is no field/) });
    given().when(register(personV1, { metadata: { tags: { 'Person.name': ['NAME'], '**.idNumber': ['PII'] } } })).then([
      registered(S, 1, 1, personV1, { metadata: { tags: { 'Person.name': ['NAME'], '**.idNumber': ['PII'] } } }),
    ]);
  });

  it('stores the canonical form with normalize', () => {
    const decision = given().when(register(JSON.stringify(JSON.parse(personV1), null, 2), { normalize: true })).thenAnswers({ id: 1, version: 1 });
    expect(decision[0]?.type === 'SubjectVersionRegistered' && decision[0].data.schema).toBe(
      '{"fields":[{"confluent:tags":["ID_NUMBER"],"name":"idNumber","type":"string"},{"confluent:tags":["NAME"],"name":"name","type":"string"}],"name":"gov.hub.test.Person","type":"record"}',
    );
  });

  it('numbers versions after soft-deleted ones, and drops the soft-deleted version the same schema comes back from', () => {
    given(registered(S, 1, 1, personV1), softDeleted(S, 2, 2, personWithPhone))
      .when(register(personWithPhone)).then([
        { type: 'SubjectVersionPermanentlyDeleted', data: { subject: S, version: 2 } },
        registered(S, 3, 2, personWithPhone),
      ], { id: 2, version: 3 });
  });

  it('resolves references to registered schemas, and refuses references to nothing', () => {
    const address = JSON.stringify({ type: 'record', name: 'Address', namespace: 'gov.hub.common', fields: [{ name: 'line', type: 'string' }] });
    const withAddress = JSON.stringify({ type: 'record', name: 'Site', namespace: 'gov.hub.test', fields: [{ name: 'address', type: 'gov.hub.common.Address' }] });
    const references = [{ name: 'gov.hub.common.Address', subject: 'address', version: 1 }];
    given(registered('address', 1, 1, address)).when(register(withAddress, { references }))
      .then([registered(S, 1, 2, withAddress, { references })]);
    given().when(register(withAddress, { references })).thenFails({ type: 'InvalidSchema', reason: expect.stringMatching(/not registered/) });
    given(registered('address', 1, 1, address)).when(register(withAddress, { references: [{ ...references[0], version: -1 }] }))
      .then([registered(S, 1, 2, withAddress, { references })]);
  });

  it('refuses an invalid subject name', () => {
    given().when(register(personV1, {}, 'bad\u0000subject')).thenFails({ type: 'InvalidSubject' });
  });
});

describe('modes', () => {
  it('given READONLY globally or for the subject, refuses registration with 42205-style reasons', () => {
    given({ type: 'ModeSet', data: { subject: null, mode: 'READONLY' } }).when(register(personV1))
      .thenFails({ type: 'OperationNotPermitted', reason: `Subject ${S} is in read-only mode` });
    given({ type: 'ModeSet', data: { subject: S, mode: 'READONLY' } }).when(register(personV1)).thenFails({ type: 'OperationNotPermitted' });
  });

  it('given READONLY, still answers the id of a schema already registered (nothing is written)', () => {
    given(registered(S, 1, 1, personV1), { type: 'ModeSet', data: { subject: S, mode: 'READONLY' } })
      .when(register(personV1)).then([], { id: 1, version: 1 });
  });

  it('given IMPORT, keeps the id and version brought, without compatibility checks', () => {
    given({ type: 'ModeSet', data: { subject: null, mode: 'IMPORT' } })
      .when(register(personV1, { id: 42, version: 3 })).then([registered(S, 3, 42, personV1)], { id: 42, version: 3 });
    given({ type: 'ModeSet', data: { subject: null, mode: 'IMPORT' } }, registered('x', 1, 42, company))
      .when(register(personV1, { id: 42 })).thenFails({ type: 'IdDoesNotMatch', id: 42 });
    given({ type: 'ModeSet', data: { subject: null, mode: 'IMPORT' } }).when(register(personV1)).thenFails({ type: 'OperationNotPermitted', reason: expect.stringMatching(/not in read-write mode/) });
    given().when(register(personV1, { id: 5 })).thenFails({ type: 'OperationNotPermitted', reason: expect.stringMatching(/not in import mode/) });
  });

  it('refuses IMPORT over existing subjects unless forced, and unknown modes', () => {
    given(registered(S, 1, 1, personV1)).when({ type: 'SetMode', data: { subject: null, mode: 'IMPORT', force: false } })
      .thenFails({ type: 'OperationNotPermitted', reason: 'Cannot import since found existing subjects' });
    given(registered(S, 1, 1, personV1)).when({ type: 'SetMode', data: { subject: null, mode: 'import', force: true } })
      .then([{ type: 'ModeSet', data: { subject: null, mode: 'IMPORT' } }], { mode: 'IMPORT' });
    given().when({ type: 'SetMode', data: { subject: null, mode: 'WRITEONLY', force: false } }).thenFails({ type: 'InvalidMode', value: 'WRITEONLY' });
  });

  it('clears a subject mode, and says 40401 for a subject with neither mode nor versions', () => {
    given({ type: 'ModeSet', data: { subject: S, mode: 'READONLY' } }).when({ type: 'ClearMode', data: { subject: S } })
      .then([{ type: 'ModeCleared', data: { subject: S } }], { mode: 'READONLY' });
    given().when({ type: 'ClearMode', data: { subject: S } }).thenFails({ type: 'SubjectNotFound', subject: S });
  });
});

describe('compatibility settings', () => {
  it('sets a level in any case, writes nothing when unchanged, refuses unknown levels', () => {
    given().when({ type: 'SetCompatibility', data: { subject: S, compatibility: 'full_transitive' } })
      .then([{ type: 'CompatibilitySet', data: { subject: S, compatibility: 'FULL_TRANSITIVE' } }], { compatibility: 'FULL_TRANSITIVE' });
    given({ type: 'CompatibilitySet', data: { subject: null, compatibility: 'FULL' } })
      .when({ type: 'SetCompatibility', data: { subject: null, compatibility: 'FULL' } }).then([], { compatibility: 'FULL' });
    given().when({ type: 'SetCompatibility', data: { subject: null, compatibility: 'SIDEWAYS' } }).thenFails({ type: 'InvalidCompatibilityLevel', value: 'SIDEWAYS' });
  });

  it('clears the global level back to BACKWARD and answers the previous one', () => {
    given({ type: 'CompatibilitySet', data: { subject: null, compatibility: 'NONE' } })
      .when({ type: 'ClearCompatibility', data: { subject: null } })
      .then([{ type: 'CompatibilityCleared', data: { subject: null } }], { compatibilityLevel: 'NONE' });
  });
});

describe('deleting', () => {
  const past = [registered(S, 1, 1, personV1), registered(S, 2, 2, personWithPhone)];

  it('soft-deletes a subject: every live version, and its own level and mode, answering the versions', () => {
    given(...past, { type: 'CompatibilitySet', data: { subject: S, compatibility: 'FULL' } })
      .when({ type: 'DeleteSubject', data: { subject: S, permanent: false } })
      .then([softDeleted(S, 1, 1, personV1), softDeleted(S, 2, 2, personWithPhone), { type: 'CompatibilityCleared', data: { subject: S } }], [1, 2]);
  });

  it('deletes permanently only after a soft delete (40405), and says 40404 to a second soft delete', () => {
    given(...past).when({ type: 'DeleteSubject', data: { subject: S, permanent: true } }).thenFails({ type: 'SubjectNotSoftDeleted', subject: S });
    const soft = [softDeleted(S, 1, 1, personV1), softDeleted(S, 2, 2, personWithPhone)];
    given(...past, ...soft).when({ type: 'DeleteSubject', data: { subject: S, permanent: false } }).thenFails({ type: 'SubjectSoftDeleted' });
    given(...past, ...soft).when({ type: 'DeleteSubject', data: { subject: S, permanent: true } }).then([
      { type: 'SubjectVersionPermanentlyDeleted', data: { subject: S, version: 1 } },
      { type: 'SubjectVersionPermanentlyDeleted', data: { subject: S, version: 2 } },
    ], [1, 2]);
    given().when({ type: 'DeleteSubject', data: { subject: S, permanent: false } }).thenFails({ type: 'SubjectNotFound' });
  });

  it('deletes one version, latest included, with 40406/40407 rules and 42202 for bad version strings', () => {
    given(...past).when({ type: 'DeleteSubjectVersion', data: { subject: S, version: 'latest', permanent: false } }).then([softDeleted(S, 2, 2, personWithPhone)], 2);
    given(...past).when({ type: 'DeleteSubjectVersion', data: { subject: S, version: '1', permanent: true } }).thenFails({ type: 'VersionNotSoftDeleted', version: 1 });
    given(...past, softDeleted(S, 1, 1, personV1)).when({ type: 'DeleteSubjectVersion', data: { subject: S, version: '1', permanent: false } }).thenFails({ type: 'VersionSoftDeleted', version: 1 });
    given(...past, softDeleted(S, 1, 1, personV1)).when({ type: 'DeleteSubjectVersion', data: { subject: S, version: '1', permanent: true } })
      .then([{ type: 'SubjectVersionPermanentlyDeleted', data: { subject: S, version: 1 } }], 1);
    given(...past).when({ type: 'DeleteSubjectVersion', data: { subject: S, version: '9', permanent: false } }).thenFails({ type: 'VersionNotFound', version: 9 });
    given(...past).when({ type: 'DeleteSubjectVersion', data: { subject: 'nobody', version: '1', permanent: false } }).thenFails({ type: 'SubjectNotFound' });
    for (const bad of ['abc', '0', '-2', '1.5', '']) {
      given(...past).when({ type: 'DeleteSubjectVersion', data: { subject: S, version: bad, permanent: false } }).thenFails({ type: 'InvalidVersion', version: bad });
    }
  });

  it('refuses to delete a version another schema references (42206)', () => {
    const address = JSON.stringify({ type: 'record', name: 'Address', fields: [{ name: 'line', type: 'string' }] });
    const site = JSON.stringify({ type: 'record', name: 'Site', fields: [{ name: 'address', type: 'Address' }] });
    given(registered('address', 1, 1, address), registered('site', 1, 2, site, { references: [{ name: 'Address', subject: 'address', version: 1 }] }))
      .when({ type: 'DeleteSubject', data: { subject: 'address', permanent: false } })
      .thenFails({ type: 'ReferenceExists', subject: 'address', version: 1, referencedBy: [2] });
  });

  it('refuses deletes in READONLY', () => {
    given(...past, { type: 'ModeSet', data: { subject: S, mode: 'READONLY' } })
      .when({ type: 'DeleteSubject', data: { subject: S, permanent: false } }).thenFails({ type: 'OperationNotPermitted' });
  });
});

describe('compatibility of each level, with real schema pairs', () => {
  const levels = [
    // [level, schemas registered before, candidate, compatible]
    ['BACKWARD', [personV1], personWithPhone, true],
    ['BACKWARD', [personV1], personWithAge, false],
    ['BACKWARD', [personV1], personWithoutName, true],
    ['FORWARD', [personV1], personWithAge, true],
    ['FORWARD', [personV1], personWithoutName, false],
    ['FULL', [personV1], personWithPhone, true],
    ['FULL', [personV1], personWithAge, false],
    ['FULL', [personV1], personWithoutName, false],
    ['NONE', [personV1], company, true],
    // Transitive levels look past the latest version: name dropped in v2, back without default in v3.
    ['BACKWARD', [personV1, personWithoutName], personWithAge, false],
    ['FORWARD', [personV1, personWithAge], personWithPhone, false],
    ['FORWARD_TRANSITIVE', [personWithAge, personV1], personWithoutName, false],
  ] as const;

  for (const [level, before, candidate, compatible] of levels) {
    it(`${level}: ${before.length} earlier version(s), candidate ${compatible ? 'accepted' : 'refused'}`, () => {
      const past = [
        { type: 'CompatibilitySet' as const, data: { subject: S, compatibility: 'NONE' as const } },
        ...before.map((schema, i) => registered(S, i + 1, i + 1, schema)),
        { type: 'CompatibilitySet' as const, data: { subject: S, compatibility: level } },
      ];
      const decision = given(...past).when(register(candidate));
      if (compatible) decision.thenAnswers({ id: before.length + 1, version: before.length + 1 });
      else decision.thenFails({ type: 'IncompatibleSchema' });
    });
  }

  it('BACKWARD_TRANSITIVE refuses what plain BACKWARD lets through', () => {
    // v1 had no name, v2 added it (registered under NONE). A candidate that needs the name
    // reads v2 data (BACKWARD is fine) but not v1 data (BACKWARD_TRANSITIVE is not).
    const past = [registered(S, 1, 1, personWithoutName), registered(S, 2, 2, personV1)];
    given(...past, { type: 'CompatibilitySet', data: { subject: S, compatibility: 'BACKWARD' } }).when(register(personWithPhone)).thenAnswers({ id: 3, version: 3 });
    const error = given(...past, { type: 'CompatibilitySet', data: { subject: S, compatibility: 'BACKWARD_TRANSITIVE' } }).when(register(personWithPhone)).thenFails({ type: 'IncompatibleSchema' });
    expect(error.type === 'IncompatibleSchema' && error.messages).toEqual([
      expect.stringMatching(/^READER_FIELD_MISSING_DEFAULT_VALUE at 'name': field 'name' of gov.hub.test.Person has no default.*version 1 \(BACKWARD_TRANSITIVE\)$/),
    ]);
  });

  it('leaves soft-deleted versions out of the check', () => {
    given(registered(S, 1, 1, personV1), softDeleted(S, 1, 1, personV1)).when(register(company)).thenAnswers({ id: 2, version: 2 });
  });
});

describe('deciding reads the state and never changes it', () => {
  const past = [
    registered(S, 1, 1, personV1), registered(S, 2, 2, personWithPhone), softDeleted('old', 1, 3, company),
    { type: 'CompatibilitySet' as const, data: { subject: S, compatibility: 'FULL' as const } },
    { type: 'ModeSet' as const, data: { subject: S, mode: 'READWRITE' as const } },
  ];
  const commands: RegistryCommand[] = [
    register(personWithoutName, { metadata: { properties: { owner: 'ps' } } }),
    register(company),
    { type: 'DeleteSubject', data: { subject: S, permanent: false } },
    { type: 'DeleteSubjectVersion', data: { subject: 'old', version: '1', permanent: true } },
    { type: 'SetCompatibility', data: { subject: null, compatibility: 'NONE' } },
    { type: 'ClearCompatibility', data: { subject: S } },
    { type: 'SetMode', data: { subject: S, mode: 'READONLY', force: false } },
    { type: 'ClearMode', data: { subject: S } },
  ];

  for (const command of commands) {
    it(`${command.type} leaves the state as it was`, () => {
      const state = given(...past).state();
      const before = structuredClone(state);
      registryDecider.decide(command, state);
      expect(state).toEqual(before);
    });
  }
});

describe('the version fixture', () => {
  it('builds live versions', () => {
    expect(version(S, 1, 1, personV1).deleted).toBe(false);
  });
});
