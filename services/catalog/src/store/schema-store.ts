import type { RegistryEvent } from '../registry/events.ts';

/** What one write decides: the events to append (none: nothing to write) and what to answer. */
export interface WriteAttempt<T> {
  events: readonly RegistryEvent[];
  answer: T;
}

/**
 * Where the registry's events live (the port). The Kafka adapter keeps them
 * in a compacted single-partition topic; the in-memory one in an array.
 */
export interface SchemaStore {
  /** Reads every event from the start, then follows new ones (also other writers'); `apply` sees them in log order. Resolves once caught up. */
  open(apply: (event: RegistryEvent) => void): Promise<void>;
  /**
   * Appends what `attempt` decides, atomically, and resolves once the events
   * are read back (so the caller's state holds them). `attempt` runs against
   * state that holds every event any writer appended before, and may run
   * again when another writer got in first; it throws to refuse.
   */
  write<T>(attempt: () => WriteAttempt<T>): Promise<T>;
  /** Throws when the store cannot serve, for /health. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** The store failed (50001): the message is safe to show to callers. */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}

/** The store did not answer in time (50002). */
export class StoreTimeout extends Error {
  override name = 'StoreTimeout';
}

/** A record is larger than the store accepts (42209). */
export class RecordTooLarge extends Error {
  override name = 'RecordTooLarge';
}
