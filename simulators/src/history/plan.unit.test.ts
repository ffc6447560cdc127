import { officialCalendar, shanghaiDate } from '@hub/calendar';
import { describe, expect, it } from 'vitest';
import { GatewayClient } from '../cases/gateway-client.ts';
import { FakeGateway } from '../cases/testing/fake-gateway.ts';
import { catalogueItems } from '../cases/testing/items.ts';
import { ManualClock } from '../manual-clock.ts';
import { OFFICE_HOURS, secondOfDay } from './office-hours.ts';
import { type CaseKind, type HistoryPlan, caseKinds, historyProfiles, planHistory } from './plan.ts';
import { replayCase } from './replay.ts';
import { sendHistory } from './sender.ts';
import { groundTruth } from './truth.ts';

const calendar = officialCalendar();
// Across the 2026 Spring Festival (Feb 15–23 off, Sat Feb 14 and Sat Feb 28 make-up working days).
const options = { from: '2026-01-26', to: '2026-03-13', seed: 7, perDay: 12, items: catalogueItems, calendar };
const plan = planHistory(options);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

const allSteps = (p: HistoryPlan) => p.cases.flatMap((c) => c.steps.map((s) => ({ planned: c, ...s })));

describe('the history planner (planHistory)', () => {
  it('given the same options, when planned twice, then the plans are equal; another seed gives another plan', () => {
    expect(planHistory(options)).toEqual(plan);
    const other = planHistory({ ...options, seed: 8 });
    expect(other.cases.map((c) => c.kind)).not.toEqual(plan.cases.map((c) => c.kind));
  });

  it('does not depend on the order the gateway lists the items in', () => {
    expect(planHistory({ ...options, items: [...catalogueItems].reverse() })).toEqual(plan);
  });

  it('submits perDay cases on each working day, none on the holidays', () => {
    expect(plan.workingDays).toContain('2026-02-14'); // make-up Saturday
    expect(plan.workingDays).not.toContain('2026-02-16'); // Spring Festival
    expect(plan.workingDays).not.toContain('2026-02-07'); // an ordinary Saturday
    expect(plan.cases).toHaveLength(plan.workingDays.length * options.perDay);
    const perDay = new Map<string, number>();
    for (const c of plan.cases) perDay.set(shanghaiDate(c.steps[0]!.at), (perDay.get(shanghaiDate(c.steps[0]!.at)) ?? 0) + 1);
    expect([...perDay.keys()]).toEqual(plan.workingDays);
    expect(new Set(perDay.values())).toEqual(new Set([options.perDay]));
  });

  it('has every kind of case in its mix, each with the facts its kind stands for', () => {
    const kinds = new Set<CaseKind>(plan.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual([...caseKinds].sort());
    const facts = plan.cases.map((c) => ({ kind: c.kind, facts: replayCase(c.item, c.steps, calendar, plan.to) }));
    const some = (kind: CaseKind, test: (f: (typeof facts)[number]['facts']) => boolean) => facts.some((f) => f.kind === kind && test(f.facts));
    expect(some('on-time', (f) => f.onTime === true && f.approved === true)).toBe(true);
    expect(some('late-co-approver', (f) => f.tasks.some((t) => t.overdue && t.status === 'granted'))).toBe(true);
    expect(some('late-lead', (f) => f.onTime === false && f.tasks.every((t) => !t.overdue))).toBe(true);
    expect(some('suspended', (f) => f.suspensions.length === 1 && f.suspensions[0]!.resumedOn !== undefined && f.onTime === true)).toBe(true);
    expect(some('refused-at-intake', (f) => f.status === 'refused-at-intake')).toBe(true);
    expect(some('refused-by-co-approver', (f) => f.approved === false && f.tasks.some((t) => t.status === 'refused'))).toBe(true);
    expect(some('refused-by-lead', (f) => f.approved === false && f.tasks.every((t) => t.status === 'granted'))).toBe(true);
    // And the days themselves: some cases are decided the day they are accepted, some are still running at the end.
    expect(facts.some((f) => f.facts.sameDay === true)).toBe(true);
    expect(facts.some((f) => f.facts.acceptedOn !== undefined && f.facts.decidedOn === undefined)).toBe(true);
  });

  it('times every step on a working day within office hours, Asia/Shanghai, and nothing after the end', () => {
    for (const { at } of allSteps(plan)) {
      const day = shanghaiDate(at);
      expect(calendar.isWorkingDay(day), at.toISOString()).toBe(true);
      expect(secondOfDay(at)).toBeGreaterThanOrEqual(OFFICE_HOURS.opens);
      expect(secondOfDay(at)).toBeLessThan(OFFICE_HOURS.closes);
      expect(day >= plan.from && day <= plan.to).toBe(true);
    }
  });

  it('orders the steps of a case in time, a minute apart at least, accepted or refused the day it was submitted', () => {
    for (const c of plan.cases) {
      for (let i = 1; i < c.steps.length; i += 1) expect(c.steps[i]!.at.getTime() - c.steps[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(60_000);
      expect(c.steps[0]!.step.type).toBe('submit');
      if (c.steps[1]) expect(shanghaiDate(c.steps[1].at)).toBe(shanghaiDate(c.steps[0]!.at));
    }
  });

  it('has answers only from departments of the open stage, a fee only for items with one, a certificate only for items that issue one', () => {
    for (const { planned, step } of allSteps(plan)) {
      if (step.type === 'answer') expect(planned.item.stages[(step.stage ?? 1) - 1]?.departments).toContain(step.department);
      if (step.type === 'assess-fee' || step.type === 'pay-fee') expect(planned.item.fee).not.toBeNull();
      if (step.type === 'issue-certificate') expect(planned.item.certificateType).not.toBeNull();
      if (step.type === 'decide') expect(step.department).toBe(planned.item.leadDepartment);
    }
    // The planner's own model of a case refuses nothing it planned (it throws on a step the state does not allow).
    for (const c of plan.cases) expect(() => replayCase(c.item, c.steps, calendar, plan.to)).not.toThrow();
  });

  it('plans only steps the hub allows: sent to a gateway over the router\'s case rules, every one is answered, and every case ends as the truth says', async () => {
    const small = planHistory({ ...options, from: '2026-02-09', to: '2026-03-06', perDay: 6 });
    const endOfRun = new Date('2026-03-06T15:00:00Z'); // 23:00 in Beijing on the last day
    const gateway = new FakeGateway(() => endOfRun);
    const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: new Map(), logger: silent, fetch: gateway.fetch, clock: new ManualClock() });
    const { outcomes, progress } = await sendHistory(small, { gateway: client, concurrency: 8 });
    expect(progress.failures).toBe(0);
    expect(gateway.requests.filter((r) => r.status >= 300)).toEqual([]);
    const truth = groundTruth(small, calendar, outcomes);
    for (const expected of truth.cases) {
      const view = gateway.view(expected.caseId ?? '', endOfRun);
      expect(view?.status, expected.key).toBe(expected.status);
      expect(view?.promisedDueDate, expected.key).toBe(expected.promisedDueDate);
      expect(view?.legalDueDate, expected.key).toBe(expected.legalDueDate);
      if (expected.decidedOn !== null) expect(view?.workingDaysUsed, expected.key).toBe(expected.workingDaysUsed);
    }
    // Task by task, the due dates the hub works out are the planner's.
    for (const c of small.cases) {
      const facts = replayCase(c.item, c.steps, calendar, small.to);
      const view = gateway.view(outcomes[c.index]?.caseId ?? '', endOfRun);
      expect(view?.tasks.map((t) => [t.department, t.stage, t.status, t.dueDate])).toEqual(facts.tasks.map((t) => [t.department, t.stage, t.status, t.dueDate]));
    }
  });

  it('given the Guangxi profile, when a few months are planned, then the truth lands on the region\'s reported figures (on-time 99.7%, speed-up 82.8%, satisfaction 99.9%)', () => {
    const guangxi = planHistory({ ...options, from: '2026-03-02', to: '2026-05-29', perDay: 30, profile: historyProfiles.guangxi });
    const { overall } = groundTruth(guangxi, calendar);
    expect(overall.completed).toBeGreaterThan(1_500);
    expect(Math.abs(overall.onTimeRate! - 0.997)).toBeLessThan(0.002);
    expect(Math.abs(overall.handlingSpeedUp! - 0.828)).toBeLessThan(0.01);
    expect(Math.abs(overall.satisfaction! - 0.999)).toBeLessThan(0.001);
    // Still every step a case allows, and late cases among them, only few.
    for (const c of guangxi.cases) expect(() => replayCase(c.item, c.steps, calendar, guangxi.to)).not.toThrow();
    expect(overall.onTime).toBeLessThan(overall.completed);
  });

  it('refuses a period the wrong way round, and a fractional count', () => {
    expect(() => planHistory({ ...options, from: '2026-03-01', to: '2026-02-01' })).toThrow(/after/);
    expect(() => planHistory({ ...options, perDay: 1.5 })).toThrow(/perDay/);
    expect(() => planHistory({ ...options, from: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
  });
});
