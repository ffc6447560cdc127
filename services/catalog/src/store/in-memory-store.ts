import type { RegistryEvent } from '../registry/events.ts';
import type { SchemaStore, WriteAttempt } from './schema-store.ts';
import { SerialQueue } from '@hub/runtime';

/** A log in memory that several stores (several catalog instances in a test) can share. */
export class InMemoryLog {
  readonly events: RegistryEvent[] = [];
  readonly readers = new Set<(event: RegistryEvent) => void>();
  readonly writes = new SerialQueue();
}

/** The in-memory adapter of the store port, for unit tests and the contract suite. */
export function inMemorySchemaStore(log: InMemoryLog = new InMemoryLog()): SchemaStore {
  let reader: ((event: RegistryEvent) => void) | undefined;
  return {
    async open(apply) {
      reader = apply;
      for (const event of log.events) apply(event);
      log.readers.add(apply);
    },
    write<T>(attempt: () => WriteAttempt<T>): Promise<T> {
      if (!reader) return Promise.reject(new Error('the store is not open'));
      // Every reader applies synchronously, so the attempt always sees the whole log.
      return log.writes.run(() => {
        const { events, answer } = attempt();
        for (const event of events) {
          log.events.push(event);
          for (const apply of log.readers) apply(event);
        }
        return answer;
      });
    },
    async check() {
      if (!reader) throw new Error('the store is not open');
    },
    async close() {
      if (reader) log.readers.delete(reader);
      reader = undefined;
    },
  };
}
