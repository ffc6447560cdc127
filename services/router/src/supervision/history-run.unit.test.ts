// A history run: cases driven through their events in time order, the
// router's clock the latest event time processed, a tick after each event.
// It must raise exactly the alerts live operation raises (ticks every half
// hour besides), with the same ids and times, and none again after a restart.
import { replay } from '@hub/decider';
import { describe, expect, it } from 'vitest';
import type { CaseCommand } from '../cases/decide.ts';
import type { CaseEvent, CaseState } from '../cases/events.ts';
import { decider as cases } from '../cases/fixtures.ts';
import type { SupervisionEvent, SupervisionState } from './events.ts';
import { bj, caseSubject, constructionPermit, hukouTransfer, raised, supervision, suspend, task, when } from './fixtures.ts';

/** What each case goes through, in the fixtures' commands. */
const lives: Record<string, CaseCommand[]> = {
  // Decided in time: nothing to say.
  A: [when.submit(hukouTransfer, bj('2026-03-02 09:00')), when.accept(bj('2026-03-02 10:00')), when.decide('ps', bj('2026-03-05 15:00'), true)],
  // Decided two days late.
  B: [when.submit(hukouTransfer, bj('2026-03-02 10:30')), when.accept(bj('2026-03-02 11:00')), when.decide('ps', bj('2026-03-11 10:00'), true)],
  // Two stages: market answers late, the rest in time.
  C: [
    when.submit(constructionPermit, bj('2026-03-03 08:30')),
    when.accept(bj('2026-03-03 09:00')),
    when.grant('land', bj('2026-03-04 10:00')),
    when.grant('market', bj('2026-03-06 09:00')),
    when.grant('hrss', bj('2026-03-09 14:00')),
    when.decide('housing', bj('2026-03-10 10:00'), true),
  ],
  // Suspended for expert review the day after acceptance, resumed 03-16, still open when the run ends.
  D: [when.submit(hukouTransfer, bj('2026-03-04 08:00')), when.accept(bj('2026-03-04 09:00')), suspend('ps', bj('2026-03-05 10:00'), 'EXPERT_REVIEW'), when.resume(bj('2026-03-16 09:00'))],
};
const end = bj('2026-03-31 18:00');

/** The alerts, exactly, worked out by hand on the official calendar. */
const expected: SupervisionEvent[] = [
  // B: due Mon 03-09, decided Wed 03-11.
  raised({ caseId: 'B', level: 'WARNING', subject: caseSubject, at: bj('2026-03-06 00:00'), to: 'ps', deadline: '2026-03-09', limitDays: 5, used: 4 }),
  raised({ caseId: 'B', level: 'OVERDUE', subject: caseSubject, at: bj('2026-03-10 00:00'), to: 'ps', deadline: '2026-03-09', limitDays: 5, used: 6 }),
  // C: land and market asked Tue 03-03, due Thu 03-05; hrss asked Fri 03-06, due Tue 03-10; the case due Tue 03-10, decided that morning.
  raised({ caseId: 'C', level: 'WARNING', subject: task('land', 1), at: bj('2026-03-04 00:00'), to: 'land', deadline: '2026-03-05', limitDays: 2, used: 1 }),
  raised({ caseId: 'C', level: 'WARNING', subject: task('market', 1), at: bj('2026-03-04 00:00'), to: 'market', deadline: '2026-03-05', limitDays: 2, used: 1 }),
  raised({ caseId: 'C', level: 'OVERDUE', subject: task('market', 1), at: bj('2026-03-06 00:00'), to: 'market', deadline: '2026-03-05', limitDays: 2, used: 3 }),
  raised({ caseId: 'C', level: 'WARNING', subject: caseSubject, at: bj('2026-03-09 00:00'), to: 'housing', deadline: '2026-03-10', limitDays: 5, used: 4 }),
  raised({ caseId: 'C', level: 'WARNING', subject: task('hrss', 2), at: bj('2026-03-09 00:00'), to: 'hrss', deadline: '2026-03-10', limitDays: 2, used: 1 }),
  // D: 03-05 counts (the suspension's day), then 03-17 to 03-20: due Fri 03-20; overdue from Sat 03-21; the legal limit runs into April.
  raised({ caseId: 'D', level: 'WARNING', subject: caseSubject, at: bj('2026-03-19 00:00'), to: 'ps', deadline: '2026-03-20', limitDays: 5, used: 4 }),
  raised({ caseId: 'D', level: 'OVERDUE', subject: caseSubject, at: bj('2026-03-21 00:00'), to: 'ps', deadline: '2026-03-20', limitDays: 5, used: 5 }),
];

/** A command of the fixtures (made for case `CASE`) for case `caseId`. */
function forCase<C extends CaseCommand>(caseId: string, command: C): C {
  return { ...command, data: { ...command.data, caseId } };
}

/** `cases.events` as the router reads it: each case's events, all cases merged in time order. */
function caseEventLog(): CaseEvent[] {
  const log: CaseEvent[] = [];
  for (const [caseId, commands] of Object.entries(lives)) {
    let state = cases.initialState();
    for (const command of commands) {
      const decision = cases.decide(forCase(caseId, command), state);
      if (!decision.ok) throw new Error(`${caseId}: ${command.type} refused: ${decision.error.message}`);
      for (const event of decision.events) {
        state = cases.evolve(state, event);
        log.push(event);
      }
    }
  }
  return log.sort((a, b) => a.data.occurredAt.getTime() - b.data.occurredAt.getTime());
}

/** The router's part, without Kafka: the case table, the supervision state, the clock, and the alerts it produced with the clock at each. */
class Router {
  readonly cases = new Map<string, CaseState>();
  supervision: SupervisionState;
  clock = new Date(0);
  readonly produced: { alert: SupervisionEvent; clock: Date }[] = [];

  constructor(alertsSoFar: readonly SupervisionEvent[] = []) {
    this.supervision = replay(supervision, alertsSoFar);
  }

  /** Applies a case event, moves the clock to its time if later, and ticks. */
  consume(event: CaseEvent): void {
    const { caseId } = event.data;
    this.cases.set(caseId, cases.evolve(this.cases.get(caseId) ?? cases.initialState(), event));
    if (event.data.occurredAt > this.clock) this.clock = event.data.occurredAt;
    this.tick(this.clock);
  }

  /** A tick: over every case, or only those `nextAlertAt` says are due (as a scheduler would pick them). */
  tick(now: Date, scheduled = false): void {
    if (now > this.clock) this.clock = now;
    const all = [...this.cases.values()];
    const due = scheduled ? all.filter((state) => (supervision.nextAlertAt(this.supervision, state) ?? Infinity) <= now) : all;
    const decision = supervision.decide({ type: 'Tick', data: { now: this.clock, cases: due } }, this.supervision);
    if (!decision.ok) throw new Error(decision.error.message);
    for (const alert of decision.events) {
      this.supervision = supervision.evolve(this.supervision, alert);
      this.produced.push({ alert, clock: this.clock });
    }
  }

  get alerts(): SupervisionEvent[] {
    return this.produced.map(({ alert }) => alert);
  }
}

const byId = (alerts: readonly SupervisionEvent[]) => [...alerts].sort((a, b) => a.data.eventId.localeCompare(b.data.eventId));
const HALF_HOUR = 30 * 60_000;

describe('a history run raises what live operation would have, and nothing else', () => {
  const log = caseEventLog();

  it('driven by event times, with a tick at each: exactly the alerts the cases earned', () => {
    const router = new Router();
    for (const event of log) router.consume(event);
    router.tick(end);
    expect(byId(router.alerts)).toEqual(byId(expected));
    // Raised when the clock, moved by some case's event, had passed the threshold: later than live, dated the same.
    for (const { alert, clock } of router.produced) expect(alert.data.occurredAt.getTime()).toBeLessThanOrEqual(clock.getTime());
    // B's warning fell due at 00:00 on Friday 03-06; the next event of any case was market's grant at 09:00.
    expect(router.produced.find(({ alert }) => alert.data.eventId === 'B:alert:case:WARNING')?.clock).toEqual(bj('2026-03-06 09:00'));
  });

  it('live, with wall-clock ticks every half hour besides: the same alerts, each within the half hour of its threshold', () => {
    const router = new Router();
    let next = log[0]?.data.occurredAt.getTime() ?? end.getTime();
    for (const event of log) {
      for (; next < event.data.occurredAt.getTime(); next += HALF_HOUR) router.tick(new Date(next));
      router.consume(event);
    }
    for (; next <= end.getTime(); next += HALF_HOUR) router.tick(new Date(next));
    expect(byId(router.alerts)).toEqual(byId(expected));
    for (const { alert, clock } of router.produced) expect(clock.getTime() - alert.data.occurredAt.getTime()).toBeLessThanOrEqual(HALF_HOUR);
  });

  it('ticking only the cases nextAlertAt names (as a scheduler would) gives the same alerts', () => {
    const router = new Router();
    for (const event of log) {
      const { caseId } = event.data;
      router.cases.set(caseId, cases.evolve(router.cases.get(caseId) ?? cases.initialState(), event));
      router.tick(event.data.occurredAt, true);
    }
    router.tick(end, true);
    expect(byId(router.alerts)).toEqual(byId(expected));
  });

  it('restarted half way (state rebuilt from cases.events and supervision.alerts): nothing raised twice, nothing missed', () => {
    const half = log.findIndex((event) => event.data.occurredAt >= bj('2026-03-09 12:00'));
    const first = new Router();
    for (const event of log.slice(0, half)) first.consume(event);
    const raisedBefore = first.alerts;
    expect(raisedBefore.length).toBeGreaterThan(0);

    const restarted = new Router(raisedBefore);
    for (const event of log.slice(0, half)) restarted.cases.set(event.data.caseId, cases.evolve(restarted.cases.get(event.data.caseId) ?? cases.initialState(), event));
    // The replayed part, ticked again at its last time, raises nothing.
    restarted.tick(log[half - 1]?.data.occurredAt ?? end);
    expect(restarted.alerts).toEqual([]);
    for (const event of log.slice(half)) restarted.consume(event);
    restarted.tick(end);
    expect(byId([...raisedBefore, ...restarted.alerts])).toEqual(byId(expected));
  });

  it('a history run that stops early, then live time takes over: the open case is flagged at once', () => {
    const router = new Router();
    for (const event of log) router.consume(event);
    // The history ended with D's resume on 03-16; live operation starts on 03-25.
    expect(router.alerts.filter((alert) => alert.data.caseId === 'D')).toEqual([]);
    router.tick(bj('2026-03-25 08:00'));
    expect(router.alerts.filter((alert) => alert.data.caseId === 'D')).toEqual(expected.filter((alert) => alert.data.caseId === 'D'));
  });
});
