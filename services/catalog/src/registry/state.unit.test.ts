import { describe, expect, it } from 'vitest';
import { replay as replayWith } from '@hub/decider';
import type { RegistryEvent } from './events.ts';
import { company, personV1, personWithPhone, registered, softDeleted } from './fixtures.ts';
import { getVersion, listSubjects, listVersions, schemaById, usesOfId } from './queries.ts';
import { evolve, initialState } from './state.ts';

/** The state these events leave, each time from a fresh initial state (evolve changes the state it is given). */
const replay = (events: Iterable<RegistryEvent>) => replayWith({ evolve, initialState }, events);

describe('evolve', () => {
  it('indexes versions by subject and schemas by id, and remembers the highest id', () => {
    const state = replay([registered('a', 1, 1, personV1), registered('b', 1, 1, personV1), registered('a', 2, 5, personWithPhone)]);
    expect(listSubjects(state)).toEqual(['a', 'b']);
    expect(state.maxId).toBe(5);
    expect(usesOfId(state, 1)).toEqual({ ok: true, value: [{ subject: 'a', version: 1 }, { subject: 'b', version: 1 }] });
  });

  it('keeps the first writer: a record giving a taken id or a taken subject version to another schema is refused', () => {
    const state = replay([registered('a', 1, 1, personV1), registered('b', 1, 1, company), registered('a', 1, 2, company)]);
    expect(state.refused).toBe(2);
    expect(schemaById(state, 1)).toMatchObject({ ok: true, value: { schema: personV1 } });
    expect(state.subjects.has('b')).toBe(false);
    expect(getVersion(state, 'a', '1')).toMatchObject({ ok: true, value: { id: 1, schema: personV1 } });
  });

  it('a soft delete rewrites the same key: the version is hidden but its id still decodes', () => {
    const state = replay([registered('a', 1, 1, personV1), softDeleted('a', 1, 1, personV1)]);
    expect(listSubjects(state)).toEqual([]);
    expect(listSubjects(state, { deleted: 'include' })).toEqual(['a']);
    expect(getVersion(state, 'a', '1')).toMatchObject({ ok: false, error: { type: 'SubjectNotFound' } });
    expect(getVersion(state, 'a', '1', true)).toMatchObject({ ok: true, value: { deleted: true } });
    expect(schemaById(state, 1).ok).toBe(true);
  });

  it('a permanent delete (tombstone) forgets the version, and the id once no version uses it', () => {
    const log: RegistryEvent[] = [
      registered('a', 1, 1, personV1), registered('b', 1, 1, personV1), softDeleted('a', 1, 1, personV1),
      { type: 'SubjectVersionPermanentlyDeleted', data: { subject: 'a', version: 1 } },
    ];
    const oneLeft = replay(log);
    expect(schemaById(oneLeft, 1).ok).toBe(true);
    expect(usesOfId(oneLeft, 1, true)).toEqual({ ok: true, value: [{ subject: 'b', version: 1 }] });
    const noneLeft = replay([...log, softDeleted('b', 1, 1, personV1), { type: 'SubjectVersionPermanentlyDeleted', data: { subject: 'b', version: 1 } }]);
    expect(schemaById(noneLeft, 1)).toMatchObject({ ok: false, error: { type: 'SchemaNotFound', id: 1 } });
    expect(noneLeft.subjects.size).toBe(0);
    expect(noneLeft.idsByIdentity.size).toBe(0);
    expect(noneLeft.maxId).toBe(1);
  });

  it('gives the same state from the compacted log (latest record per key, in order) as from the full log', () => {
    const full: RegistryEvent[] = [
      registered('a', 1, 1, personV1),
      { type: 'CompatibilitySet', data: { subject: null, compatibility: 'FULL' } },
      registered('a', 2, 2, personWithPhone),
      softDeleted('a', 1, 1, personV1),
      { type: 'ModeSet', data: { subject: 'a', mode: 'READONLY' } },
      { type: 'CompatibilitySet', data: { subject: null, compatibility: 'NONE' } },
      { type: 'ModeCleared', data: { subject: 'a' } },
    ];
    const compacted: RegistryEvent[] = [full[2]!, full[3]!, full[5]!, full[6]!];
    const a = replay(full);
    const b = replay(compacted);
    expect([...b.subjects.entries()]).toEqual([...a.subjects.entries()]);
    expect(b.globalCompatibility).toBe('NONE');
    expect(b.subjectModes).toEqual(a.subjectModes);
    expect([...b.schemas.keys()].sort()).toEqual([...a.schemas.keys()].sort());
  });

  it('replaying the log twice changes nothing', () => {
    const log = [registered('a', 1, 1, personV1), softDeleted('a', 1, 1, personV1), registered('a', 2, 2, personWithPhone)];
    const once = replay(log);
    const twice = replay([...log, ...log]);
    expect(twice).not.toBe(once);
    expect(twice.refused).toBe(0);
    expect(twice).toEqual(once);
  });

  it('starts every fold from its own empty state, and updates the state it is given in place', () => {
    const first = initialState();
    expect(initialState()).not.toBe(first);
    expect(initialState().subjects).not.toBe(first.subjects);
    const after = evolve(first, registered('a', 1, 1, personV1));
    expect(after).toBe(first);
    expect(listSubjects(first)).toEqual(['a']);
    expect(listSubjects(initialState())).toEqual([]);
  });

  it('replays a long log in one pass: 20,000 versions over 2,000 subjects', () => {
    const subjects = 2_000;
    const shared = JSON.stringify({ type: 'record', name: 'Shared', fields: [{ name: 'id', type: 'string' }] });
    const sharedId = 9 * subjects + 1;
    // Versions 1 to 9 of each subject have a schema of their own; version 10 of every subject is one shared schema,
    // so one id is used by 2,000 versions.
    function* log(): Generator<RegistryEvent> {
      for (let v = 1; v <= 10; v++) {
        for (let s = 0; s < subjects; s++) {
          const own = JSON.stringify({ type: 'record', name: `R${s}`, fields: [{ name: `f${v}`, type: 'string' }] });
          yield v === 10 ? registered(`subject-${s}`, v, sharedId, shared) : registered(`subject-${s}`, v, (v - 1) * subjects + s + 1, own);
        }
      }
    }
    const events = [...log()];
    expect(events).toHaveLength(20_000);
    const state = replay(events);
    expect(state.refused).toBe(0);
    expect(state.subjects.size).toBe(subjects);
    expect(state.schemas.size).toBe(sharedId);
    expect(state.idsByIdentity.size).toBe(sharedId);
    expect(state.maxId).toBe(sharedId);
    expect(listVersions(state, 'subject-1234')).toEqual({ ok: true, value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(getVersion(state, 'subject-1999', '9')).toMatchObject({ ok: true, value: { version: 9, id: 18_000 } });
    expect(getVersion(state, 'subject-1999', 'latest')).toMatchObject({ ok: true, value: { version: 10, id: sharedId, schema: shared } });
    expect(usesOfId(state, 2_001)).toEqual({ ok: true, value: [{ subject: 'subject-0', version: 2 }] });
    const sharedUses = usesOfId(state, sharedId);
    expect(sharedUses.ok && sharedUses.value).toHaveLength(subjects);
  });
});
