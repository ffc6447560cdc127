import { describe, expect, it } from 'vitest';
import type { RegistryEvent } from '../registry/events.ts';
import { personV1, registered, softDeleted } from '../registry/fixtures.ts';
import { decodeRecord, encodeEvent } from './topic-records.ts';

describe('topic records', () => {
  const events: RegistryEvent[] = [
    registered('s', 1, 3, personV1, { metadata: { properties: { owner: 'ps' }, tags: { 'Person.name': ['NAME'] } }, references: [{ name: 'A', subject: 'a', version: 1 }], ruleSet: { domainRules: [] } }),
    softDeleted('s', 1, 3, personV1),
    { type: 'SubjectVersionPermanentlyDeleted', data: { subject: 's', version: 1 } },
    { type: 'CompatibilitySet', data: { subject: null, compatibility: 'FULL' } },
    { type: 'CompatibilitySet', data: { subject: 's', compatibility: 'NONE' } },
    { type: 'CompatibilityCleared', data: { subject: 's' } },
    { type: 'ModeSet', data: { subject: null, mode: 'READONLY' } },
    { type: 'ModeCleared', data: { subject: null } },
  ];

  it('round-trips every event through a key and a value (null for tombstones)', () => {
    for (const event of events) expect(decodeRecord(encodeEvent(event))).toEqual(event);
  });

  it('keys one thing with one key, whatever its state, so compaction keeps the latest', () => {
    expect(encodeEvent(events[0]!).key).toBe('{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}');
    expect(new Set(events.slice(0, 3).map((e) => encodeEvent(e).key)).size).toBe(1);
    expect(encodeEvent(events[2]!).value).toBeNull();
    expect(encodeEvent(events[4]!).key).toBe(encodeEvent(events[5]!).key);
  });

  it('ignores records it does not understand', () => {
    expect(decodeRecord({ key: '{"keytype":"NOOP","magic":0}', value: '{}' })).toBeUndefined();
    expect(decodeRecord({ key: 'not json', value: null })).toBeUndefined();
    expect(decodeRecord({ key: '{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}', value: '{"subject":"other","version":1,"id":1,"schema":"\\"int\\"","deleted":false}' })).toBeUndefined();
    expect(decodeRecord({ key: '{"keytype":"CONFIG","subject":null,"magic":0}', value: '{"compatibilityLevel":"SIDEWAYS"}' })).toBeUndefined();
  });
});
