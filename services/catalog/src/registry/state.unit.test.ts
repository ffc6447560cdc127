import { describe, expect, it } from 'vitest';
import type { RegistryEvent } from './events.ts';
import { company, personV1, personWithPhone, registered, softDeleted } from './fixtures.ts';
import { getVersion, listSubjects, schemaById, usesOfId } from './queries.ts';
import { evolve, initialState } from './state.ts';

const replay = (events: RegistryEvent[]) => events.reduce(evolve, initialState);

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
    const state = replay([
      registered('a', 1, 1, personV1), registered('b', 1, 1, personV1), softDeleted('a', 1, 1, personV1),
      { type: 'SubjectVersionPermanentlyDeleted', data: { subject: 'a', version: 1 } },
    ]);
    expect(schemaById(state, 1).ok).toBe(true);
    const after = evolve(evolve(state, softDeleted('b', 1, 1, personV1)), { type: 'SubjectVersionPermanentlyDeleted', data: { subject: 'b', version: 1 } });
    expect(schemaById(after, 1)).toMatchObject({ ok: false, error: { type: 'SchemaNotFound', id: 1 } });
    expect(after.maxId).toBe(1);
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
    const twice = log.reduce(evolve, once);
    expect(twice.refused).toBe(0);
    expect([...twice.subjects.entries()]).toEqual([...once.subjects.entries()]);
  });
});
