import { expect } from 'vitest';
import { decide, type Answers, type RegistryCommand } from './decide.ts';
import type { RegistryError } from './errors.ts';
import type { RegistryEvent } from './events.ts';
import { evolve, initialState, type RegistryState } from './state.ts';

/**
 * Given these past events, when this command, then these new events (and this
 * answer), or this error. No I/O: the registry's decider is a pure function.
 */
export function given(...past: RegistryEvent[]) {
  const state = past.reduce(evolve, initialState);
  return {
    state,
    when<C extends RegistryCommand>(command: C) {
      const decision = decide(command, state);
      return {
        then(expected: RegistryEvent[], answer?: Answers[C['type']]): RegistryState {
          if (!decision.ok) throw new Error(`expected events, got ${JSON.stringify(decision.error)}`);
          expect(decision.events).toEqual(expected);
          if (answer !== undefined) expect(decision.answer).toEqual(answer);
          return decision.events.reduce(evolve, state);
        },
        thenAnswers(answer: Answers[C['type']]): RegistryEvent[] {
          if (!decision.ok) throw new Error(`expected an answer, got ${JSON.stringify(decision.error)}`);
          expect(decision.answer).toEqual(answer);
          return decision.events;
        },
        thenFails(error: Partial<RegistryError> & { type: RegistryError['type'] }): RegistryError {
          if (decision.ok) throw new Error(`expected ${error.type}, got events ${JSON.stringify(decision.events)}`);
          expect(decision.error).toMatchObject(error);
          return decision.error;
        },
      };
    },
  };
}
