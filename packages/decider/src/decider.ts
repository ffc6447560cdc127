/**
 * A message of the hub's aggregates: commands and events are `{ type, data, metadata? }`
 * string-literal unions, so every `switch` over them can end with
 * `const _exhaustive: never = message`.
 */
export interface Message<Type extends string = string, Data = unknown, Metadata = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: Metadata;
}

/** Why a command was refused, in the aggregate's words: a code (`type`) and what a person reads. */
export interface Refusal<Type extends string = string> {
  readonly type: Type;
  readonly message: string;
}

/** What a decider made of a command: the events to record and the caller's answer, or a refusal. */
export type Decision<Event, Answer = undefined, Failure = Refusal> =
  | { readonly ok: true; readonly events: readonly Event[]; readonly answer: Answer }
  | { readonly ok: false; readonly error: Failure };

/**
 * An aggregate as three pure functions (no I/O, no clock, no globals: time,
 * ids, calendars and catalogues come in the command's data or through the
 * factory that builds the decider).
 *
 * - `decide` never changes the state it is given.
 * - `evolve` may update the state it is given in place and return it: the
 *   state belongs to whoever folds the events (a replay, a partition's table),
 *   and copying a table of thousands of entries per event makes a replay
 *   quadratic. Write it as `(state, event) => state`, returning the same
 *   object, or a new one for a small state.
 * - `initialState` makes a fresh state each time, since `evolve` may change it.
 */
export interface Decider<Command, Event, State, Answer = undefined, Failure = Refusal> {
  decide(command: Command, state: State): Decision<Event, Answer, Failure>;
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export function accept<Event>(events: readonly Event[]): { ok: true; events: readonly Event[]; answer: undefined };
export function accept<Event, Answer>(events: readonly Event[], answer: Answer): { ok: true; events: readonly Event[]; answer: Answer };
export function accept<Event, Answer>(events: readonly Event[], answer?: Answer) {
  return { ok: true as const, events, answer };
}

export function refuse<Failure>(error: Failure): { ok: false; error: Failure } {
  return { ok: false, error };
}

/** The state after these events, from a fresh initial state. */
export function replay<Event, State>(decider: Pick<Decider<never, Event, State, unknown, unknown>, 'evolve' | 'initialState'>, events: Iterable<Event>): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
