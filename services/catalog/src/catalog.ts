import { decide, type Answers, type RegistryCommand } from './registry/decide.ts';
import type { RegistryError } from './registry/errors.ts';
import { evolve, initialState, type MutableRegistryState, type RegistryState } from './registry/state.ts';
import { StoreUnavailable, type SchemaStore } from './store/schema-store.ts';

/** A command the registry refused, or a query it cannot answer; mapped to Confluent's error codes at the edge. */
export class RegistryFailure extends Error {
  override name = 'RegistryFailure';
  constructor(readonly error: RegistryError) {
    super(error.type);
  }
}

/**
 * The catalog as one instance serves it: the registry state folded from the
 * store's events, and commands decided on it and written through the store.
 */
export class Catalog {
  /** This instance's fold of the log: evolve updates it in place, readers get it read-only. */
  #state: MutableRegistryState = initialState();

  constructor(private readonly store: SchemaStore) {}

  /**
   * Everything the store held when it opened, and every event since (also
   * other instances'). The live state, not a snapshot: it changes as events
   * arrive, so read what you need from it before the next await.
   */
  get state(): RegistryState {
    return this.#state;
  }

  async open(): Promise<void> {
    await this.store.open((event) => {
      this.#state = evolve(this.#state, event);
    });
  }

  /** Decides the command on caught-up state, writes its events, and answers once they are read back. */
  async execute<C extends RegistryCommand>(command: C): Promise<Answers[C['type']]> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const answer = await this.store.write(() => {
        const decision = decide(command, this.#state);
        if (!decision.ok) throw new RegistryFailure(decision.error);
        return { events: decision.events, answer: decision.answer };
      });
      if (this.confirmed(command, answer)) return answer;
    }
    throw new StoreUnavailable('another writer keeps taking the version this registration decided; try again');
  }

  /** Read-back check: a registration must find its version under its id (evolve refuses a conflicting record). */
  private confirmed(command: RegistryCommand, answer: unknown): boolean {
    if (command.type !== 'RegisterSchema') return true;
    const { id, version } = answer as Answers['RegisterSchema'];
    return this.#state.subjects.get(command.data.subject)?.get(version)?.id === id;
  }

  check(): Promise<void> {
    return this.store.check();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** The value of a query result, or the failure the HTTP layer turns into Confluent's answer. */
export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: RegistryError }): T {
  if (!result.ok) throw new RegistryFailure(result.error);
  return result.value;
}
