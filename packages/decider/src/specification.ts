import { expect } from 'vitest';
import { replay, type Decider } from './decider.ts';

/**
 * Given these past events, when this command, then these new events (and this
 * answer), or this refusal. No I/O: a decider is pure, so a specification is a
 * plain function call.
 *
 * ```ts
 * const spec = deciderSpecification(caseDecider(calendar, items));
 * spec.given(submitted, accepted).when(grant).then([coApprovalGranted, stageOpened]);
 * spec.given(submitted).when(grantFromStranger).thenFails({ type: 'NotAsked' });
 * ```
 */
export function deciderSpecification<Command, Event, State, Answer, Failure>(decider: Decider<Command, Event, State, Answer, Failure>) {
  return {
    given(...past: Event[]) {
      return {
        /** The state these events leave (to check `evolve`, or a query over it). */
        state(): State {
          return replay(decider, past);
        },
        when(command: Command) {
          const state = replay(decider, past);
          const decision = decider.decide(command, state);
          return {
            /** These events (and, if given, this answer); returns the state after them. */
            then(expected: readonly Event[], answer?: Answer): State {
              if (!decision.ok) throw new Error(`expected events, got the refusal ${JSON.stringify(decision.error)}`);
              expect(decision.events).toEqual(expected);
              if (answer !== undefined) expect(decision.answer).toEqual(answer);
              let after = state;
              for (const event of decision.events) after = decider.evolve(after, event);
              return after;
            },
            /** This answer, whatever the events; returns the events. */
            thenAnswers(answer: Answer): readonly Event[] {
              if (!decision.ok) throw new Error(`expected an answer, got the refusal ${JSON.stringify(decision.error)}`);
              expect(decision.answer).toEqual(answer);
              return decision.events;
            },
            /** A refusal matching this (its `type` at least); returns it. */
            thenFails(error: Partial<Failure>): Failure {
              if (decision.ok) throw new Error(`expected a refusal, got the events ${JSON.stringify(decision.events)}`);
              expect(decision.error).toMatchObject(error as object);
              return decision.error;
            },
          };
        },
      };
    },
  };
}
