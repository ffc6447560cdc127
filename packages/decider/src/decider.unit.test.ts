import { describe, expect, it } from 'vitest';
import { accept, refuse, replay, type Decider, type Message, type Refusal } from './decider.ts';
import { deciderSpecification } from './specification.ts';

// A counter of tickets per window: enough to pin the kit's behaviour, small enough to read.
type Event = Message<'TicketIssued', { window: string; number: number }> | Message<'WindowClosed', { window: string }>;
type Command = Message<'IssueTicket', { window: string }> | Message<'CloseWindow', { window: string }>;
interface State { issued: Map<string, number>; closed: Set<string> }
type Failure = Refusal<'WindowClosed' | 'UnknownWindow'>;

const tickets: Decider<Command, Event, State, number, Failure> = {
  initialState: () => ({ issued: new Map(), closed: new Set() }),
  decide(command, state) {
    const { window } = command.data;
    if (state.closed.has(window)) return refuse({ type: 'WindowClosed', message: `window ${window} is closed` });
    switch (command.type) {
      case 'IssueTicket': {
        const number = (state.issued.get(window) ?? 0) + 1;
        return accept([{ type: 'TicketIssued', data: { window, number } }], number);
      }
      case 'CloseWindow':
        if (!state.issued.has(window)) return refuse({ type: 'UnknownWindow', message: `window ${window} issued nothing` });
        return accept([{ type: 'WindowClosed', data: { window } }], state.issued.get(window) ?? 0);
      default: {
        const _exhaustive: never = command;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  },
  evolve(state, event) {
    // In place: the folder owns the state (see Decider).
    switch (event.type) {
      case 'TicketIssued': state.issued.set(event.data.window, event.data.number); return state;
      case 'WindowClosed': state.closed.add(event.data.window); return state;
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },
};

const spec = deciderSpecification(tickets);
const issued = (window: string, number: number): Event => ({ type: 'TicketIssued', data: { window, number } });

describe('deciderSpecification', () => {
  it('given past events, when a command, then its events and answer', () => {
    const after = spec.given(issued('A', 1)).when({ type: 'IssueTicket', data: { window: 'A' } }).then([issued('A', 2)], 2);
    expect(after.issued.get('A')).toBe(2);
  });

  it('then fails with the refusal the decider gives', () => {
    spec.given().when({ type: 'CloseWindow', data: { window: 'B' } }).thenFails({ type: 'UnknownWindow' });
    spec.given(issued('B', 1), { type: 'WindowClosed', data: { window: 'B' } })
      .when({ type: 'IssueTicket', data: { window: 'B' } })
      .thenFails({ type: 'WindowClosed', message: 'window B is closed' });
  });

  it('reports events where a refusal was expected, and the reverse', () => {
    expect(() => spec.given().when({ type: 'IssueTicket', data: { window: 'A' } }).thenFails({ type: 'WindowClosed' })).toThrow(/expected a refusal/);
    expect(() => spec.given().when({ type: 'CloseWindow', data: { window: 'A' } }).then([])).toThrow(/expected events/);
    expect(() => spec.given().when({ type: 'IssueTicket', data: { window: 'A' } }).then([issued('A', 9)])).toThrow();
  });

  it('answers without naming the events', () => {
    expect(spec.given(issued('C', 4)).when({ type: 'CloseWindow', data: { window: 'C' } }).thenAnswers(4)).toEqual([{ type: 'WindowClosed', data: { window: 'C' } }]);
  });

  it('builds each given from a fresh state, so an in-place evolve leaks nothing between specs', () => {
    spec.given(issued('D', 7)).when({ type: 'IssueTicket', data: { window: 'D' } }).then([issued('D', 8)]);
    expect(spec.given().state().issued.size).toBe(0);
  });
});

describe('replay', () => {
  it('folds events from a fresh initial state, one pass, no copies', () => {
    const events = Array.from({ length: 10_000 }, (_, n) => issued(`W${n % 10}`, Math.floor(n / 10) + 1));
    const state = replay(tickets, events);
    expect(state.issued.size).toBe(10);
    expect(state.issued.get('W3')).toBe(1_000);
  });
});
