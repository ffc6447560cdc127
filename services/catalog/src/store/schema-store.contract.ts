import { afterEach, describe, expect, it } from 'vitest';
import { decide, type RegistryCommand } from '../registry/decide.ts';
import type { RegistryEvent } from '../registry/events.ts';
import { evolve, initialState } from '../registry/state.ts';
import type { SchemaStore } from './schema-store.ts';

/** Makes stores over one fresh log: call it again for another instance on the same log. */
export type StoreFactory = () => { store: () => SchemaStore };

/** A store with the registry state it feeds, as a catalog instance keeps it. */
class Instance {
  state = initialState();
  readonly seen: RegistryEvent[] = [];
  constructor(readonly store: SchemaStore) {}
  open() {
    return this.store.open((event) => {
      this.seen.push(event);
      this.state = evolve(this.state, event);
    });
  }
  execute(command: RegistryCommand) {
    return this.store.write(() => {
      const decision = decide(command, this.state);
      if (!decision.ok) throw new Error(decision.error.type);
      return { events: decision.events, answer: decision.answer };
    });
  }
}

const schema = (name: string) => JSON.stringify({ type: 'record', name, fields: [{ name: 'id', type: 'string' }] });
const register = (subject: string, name: string): RegistryCommand => ({ type: 'RegisterSchema', data: { subject, schema: schema(name) } });

/** One contract for every adapter of the store port. */
export function schemaStoreContract(adapter: string, makeLog: StoreFactory, timeoutMs = 30_000): void {
  describe(`SchemaStore contract: ${adapter}`, () => {
    const opened: Instance[] = [];
    const instance = async (log: ReturnType<StoreFactory>) => {
      const created = new Instance(log.store());
      opened.push(created);
      await created.open();
      return created;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((i) => i.store.close()));
    });

    it('opens an empty log, and a write is read back before it resolves', async () => {
      const one = await instance(makeLog());
      expect(one.seen).toEqual([]);
      const answer = await one.execute(register('a', 'A'));
      expect(answer).toEqual({ id: 1, version: 1 });
      expect(one.seen.map((e) => e.type)).toEqual(['SubjectVersionRegistered']);
    }, timeoutMs);

    it('replays the whole log, in order, to an instance opened later', async () => {
      const log = makeLog();
      const one = await instance(log);
      await one.execute(register('a', 'A'));
      await one.execute({ type: 'SetCompatibility', data: { subject: 'a', compatibility: 'NONE' } });
      await one.execute(register('a', 'B'));
      await one.execute({ type: 'DeleteSubjectVersion', data: { subject: 'a', version: '1', permanent: false } });
      const two = await instance(log);
      expect(two.seen).toEqual(one.seen);
      expect(two.state.maxId).toBe(2);
    }, timeoutMs);

    it('follows the writes of another instance', async () => {
      const log = makeLog();
      const one = await instance(log);
      const two = await instance(log);
      await one.execute(register('a', 'A'));
      await expect.poll(() => two.seen.length, { timeout: timeoutMs }).toBe(1);
    }, timeoutMs);

    it('writes nothing when the attempt refuses or decides nothing', async () => {
      const log = makeLog();
      const one = await instance(log);
      await expect(one.store.write(() => { throw new Error('refused'); })).rejects.toThrow('refused');
      await expect(one.store.write(() => ({ events: [], answer: 'nothing' }))).resolves.toBe('nothing');
      await one.execute(register('a', 'A'));
      expect(one.seen).toHaveLength(1);
      const two = await instance(log);
      expect(two.seen).toHaveLength(1);
    }, timeoutMs);

    it('never gives one id to two schemas when two instances register at once', async () => {
      const log = makeLog();
      const one = await instance(log);
      const two = await instance(log);
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => one.execute(register(`one-${i}`, `One${i}`))),
        ...Array.from({ length: 6 }, (_, i) => two.execute(register(`two-${i}`, `Two${i}`))),
      ]);
      const ids = answers.map((a) => (a as { id: number }).id);
      expect(new Set(ids).size).toBe(12);
      const three = await instance(log);
      expect(three.state.refused).toBe(0);
      expect([...three.state.schemas.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      const versions = [...three.state.subjects.values()].flatMap((versions) => [...versions.values()]);
      expect(versions).toHaveLength(12);
    }, timeoutMs * 2);
  });
}
