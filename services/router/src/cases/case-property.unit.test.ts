// Random answer sequences, each checked against the end state its answers
// imply, on every shipped item with co-approvers. Seeded, so a failure names
// the seed that reproduces it.
import { replay } from '@hub/decider';
import { describe, expect, it } from 'vitest';
import { shippedItems } from '../items/catalogue.ts';
import { coApprovers, type Item } from '../items/item.ts';
import type { CaseCommand } from './decide.ts';
import type { CaseEvent, CaseState } from './events.ts';
import { bj, calendar, CASE, decider, when } from './fixtures.ts';
import { caseView } from './view.ts';

/** mulberry32: a small seeded generator, enough for test data. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const staged = shippedItems.filter((item) => item.stages.length > 0);

interface Run {
  events: CaseEvent[];
  state: CaseState;
  /** What the answers imply, kept apart from the decider. */
  granted: Set<string>;
  refusedBy: string | undefined;
  supplements: number;
}

function randomRun(seed: number, item: Item): Run {
  const random = seeded(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  let clock = bj('2026-03-02 09:00');
  const tick = () => (clock = new Date(clock.getTime() + (1 + Math.floor(random() * 600)) * 60_000));
  let state = decider.initialState();
  const events: CaseEvent[] = [];
  const run: Run = { events, state, granted: new Set(), refusedBy: undefined, supplements: 0 };

  const apply = (command: CaseCommand): boolean => {
    const decision = decider.decide(command, state);
    if (!decision.ok) return false;
    for (const event of decision.events) {
      state = decider.evolve(state, event);
      events.push(event);
    }
    return true;
  };
  const mustApply = (command: CaseCommand) => {
    if (!apply(command)) throw new Error(`seed ${seed}: ${command.type} refused`);
  };

  mustApply(when.submit(item, clock));
  mustApply(when.accept(tick()));
  for (let steps = 0; steps < 200 && (state.status === 'co-approval' || state.status === 'suspended'); steps++) {
    const open = state.tasks.filter((task) => task.status === 'open').map((task) => task.department);
    const awaiting = state.tasks.filter((task) => task.status === 'awaiting-supplement').map((task) => task.department);
    const draw = random();
    if (draw < 0.08) {
      // Noise that must change nothing: a stranger, a department of a later stage, or one that is waiting for its material.
      const strangers = ['tax', 'ps', 'land', 'market', 'civil', 'hrss', 'housing'].filter((d) => d !== item.leadDepartment && !open.includes(d));
      const before = structuredClone(state);
      expect(apply(when.grant(pick(strangers), tick())), `seed ${seed}`).toBe(false);
      expect(state).toEqual(before);
      continue;
    }
    if (state.status === 'suspended') {
      if (open.length > 0 && draw < 0.3) {
        mustApply(when.supplement(pick(open), tick(), ['补充材料']));
        run.supplements++;
      } else mustApply(when.resume(tick()));
      continue;
    }
    const department = pick(open);
    const answer = random();
    if (answer < 0.08) {
      mustApply(when.refuse(department, tick(), '不符合法定条件'));
      run.refusedBy = department;
    } else if (answer < 0.25) {
      mustApply(when.supplement(department, tick(), ['补充材料']));
      run.supplements++;
    } else {
      mustApply(when.grant(department, tick()));
      run.granted.add(department);
    }
    expect(awaiting, `seed ${seed}`).toEqual([]);
  }
  run.state = state;
  return run;
}

describe('random answer sequences reach the end state their answers imply', () => {
  const seeds = Array.from({ length: 200 }, (_, n) => n + 1);

  it.each(staged.map((item) => [item.name, item] as const))('%s', (_name, item) => {
    let refusals = 0;
    let suspensions = 0;
    for (const seed of seeds) {
      const { events, state, granted, refusedBy, supplements } = randomRun(seed * 7919 + item.code.length, item);
      const context = `seed ${seed}, ${item.name}`;
      expect(state.status, context).toBe('awaiting-decision');

      // Ids are the case's versions, and a replay gives the same state.
      expect(events.map((event) => event.data.eventId), context).toEqual(events.map((_, n) => `${CASE}:${n + 1}`));
      expect(replay(decider, events), context).toEqual(state);

      // Stages open one after another, each department asked once.
      const requested = events.flatMap((event) => (event.type === 'CoApprovalRequested' ? [event.data.coApprover] : []));
      expect(new Set(requested).size, context).toBe(requested.length);
      const fullyGranted = item.stages.filter((stage) => stage.departments.every((d) => granted.has(d))).length;
      const reached = Math.min(item.stages.length, fullyGranted + 1);
      expect(requested, context).toEqual(item.stages.slice(0, reached).flatMap((stage) => stage.departments));

      // Every suspension ended; the clock counts again.
      const suspended = events.filter((event) => event.type === 'CaseSuspended').length;
      expect(events.filter((event) => event.type === 'CaseResumed').length, context).toBe(suspended);
      expect(suspended > 0, context).toBe(supplements > 0);
      expect(caseView(state, calendar, '2026-12-31').promisedDueDate, context).not.toBeNull();

      const decide = (approved: boolean) => decider.decide(when.decide(item.leadDepartment, new Date(state.lastStepAt!.getTime() + 60_000), approved, '依法决定'), state);
      if (refusedBy === undefined) {
        expect([...granted].sort(), context).toEqual(coApprovers(item).sort());
        expect(state.tasks.every((task) => task.status === 'granted'), context).toBe(true);
        expect(decide(true).ok, context).toBe(true);
      } else {
        refusals++;
        expect(state.coApprovalRefusal?.department, context).toBe(refusedBy);
        expect(state.tasks.filter((task) => task.status === 'refused').map((task) => task.department), context).toEqual([refusedBy]);
        expect(state.tasks.some((task) => task.status === 'open' || task.status === 'awaiting-supplement'), context).toBe(false);
        const approval = decide(true);
        expect(!approval.ok && approval.error.type, context).toBe('CoApproverRefused');
        expect(decide(false).ok, context).toBe(true);
      }
      if (suspended > 0) suspensions++;
    }
    // The seeds meet both endings and the suspensions, or the property says little.
    expect(refusals).toBeGreaterThan(0);
    expect(refusals).toBeLessThan(seeds.length);
    expect(suspensions).toBeGreaterThan(0);
  });
});
