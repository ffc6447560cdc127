import { describe, expect, it } from 'vitest';
import { officialCalendar } from '@hub/calendar';
import type { CaseEvent } from '@hub/router';
import { caseFacts, taskFacts, type CaseFacts } from './facts.ts';
import { addToTally, caseFigures, emptyTally, meanOfFractions, partOfCase, ratio } from './figures.ts';
import { foldCaseEvent, newProjectedCase, caseEventVersion } from './fold.ts';
import { caseScript, testItem } from './testing/script.ts';

const calendar = officialCalendar();
const plain = testItem('ITEM-PLAIN', { promisedDays: 5, legalDays: 20 });
const staged = testItem('ITEM-STAGED', { promisedDays: 5, legalDays: 20, stages: [{ departments: ['tax'], dueDays: 3 }] });

/** Given a case's events, when the projection folds them, then these are its facts. */
function factsOf(events: readonly CaseEvent[]): CaseFacts {
  const projected = newProjectedCase();
  for (const event of events) foldCaseEvent(projected, { caseId: event.data.caseId, version: caseEventVersion(event.data.caseId, event.data.eventId)!, event });
  return caseFacts(projected, calendar)!;
}

const figuresOf = (facts: readonly CaseFacts[]) => caseFigures(facts.reduce((tally, f) => addToTally(tally, partOfCase(f)), emptyTally()));

// Monday 2 March 2026; the week after has no holiday.
const onTime = caseScript({ caseId: 'GW-A', item: plain, calendar, submittedAt: '2026-03-02 09:00', steps: [
  { at: '2026-03-02 09:10', do: 'accept' }, { at: '2026-03-04 10:00', do: 'decide', approved: true }, { at: '2026-03-04 11:00', do: 'deliver' }, { at: '2026-03-04 11:05', do: 'review', grade: 5 },
] });
const refused = caseScript({ caseId: 'GW-B', item: plain, calendar, submittedAt: '2026-03-02 09:30', steps: [{ at: '2026-03-02 09:40', do: 'refuse-at-intake' }] });
const suspended = caseScript({ caseId: 'GW-C', item: staged, calendar, submittedAt: '2026-03-02 10:00', steps: [
  { at: '2026-03-02 10:10', do: 'accept' }, { at: '2026-03-03 10:00', do: 'supplement', by: 'tax' }, { at: '2026-03-09 15:00', do: 'resume' },
  { at: '2026-03-10 09:30', do: 'grant', by: 'tax' }, { at: '2026-03-12 16:00', do: 'decide', approved: true }, { at: '2026-03-12 16:30', do: 'deliver' }, { at: '2026-03-13 09:00', do: 'review', grade: 2 },
] });
const late = caseScript({ caseId: 'GW-D', item: plain, calendar, submittedAt: '2026-03-02 11:00', steps: [{ at: '2026-03-02 11:10', do: 'accept' }, { at: '2026-03-10 09:00', do: 'decide', approved: false }] });
const sameDay = caseScript({ caseId: 'GW-E', item: plain, calendar, submittedAt: '2026-03-02 13:00', steps: [{ at: '2026-03-02 13:05', do: 'accept' }, { at: '2026-03-02 16:00', do: 'decide', approved: true }, { at: '2026-03-02 16:30', do: 'deliver' }, { at: '2026-03-02 16:40', do: 'review', grade: 3 }] });
const open = caseScript({ caseId: 'GW-F', item: staged, calendar, submittedAt: '2026-03-03 09:00', steps: [{ at: '2026-03-03 09:10', do: 'accept' }] });
// Accepted late on a Friday in Beijing (the Saturday in UTC would be wrong): 2026-03-06 23:50 is 15:50 UTC the same day.
const lateEvening = caseScript({ caseId: 'GW-G', item: plain, calendar, submittedAt: '2026-03-06 23:30', steps: [{ at: '2026-03-06 23:50', do: 'accept' }, { at: '2026-03-09 00:30', do: 'decide', approved: true }] });

describe('the facts of a case, given its events', () => {
  it('counts working days from the day after acceptance to the decision, and is on time on or before the promised due date', () => {
    expect(factsOf(onTime)).toMatchObject({ day: '2026-03-02', acceptedOn: '2026-03-02', decidedOn: '2026-03-04', promisedDueDate: '2026-03-09', legalDueDate: '2026-03-30', workingDaysUsed: 2, onTime: 1, sameDay: 0, grade: 5, status: 'reviewed', leadDepartment: 'market' });
  });

  it('counts a refusal at intake on its day, with the lead department that refused', () => {
    expect(factsOf(refused)).toMatchObject({ day: '2026-03-02', acceptedOn: null, refusedAtIntake: 1, decidedOn: null, leadDepartment: 'market', status: 'refused-at-intake' });
  });

  it('leaves the working days of a suspension out (its own day counts) and moves the due date by them', () => {
    // 3 March counts (the suspension's day), 4–9 March do not (up to and including the resumption), then 10, 11, 12.
    expect(factsOf(suspended)).toMatchObject({ workingDaysUsed: 4, promisedDueDate: '2026-03-13', onTime: 1, suspendedSince: null, grade: 2 });
  });

  it('is late after the promised due date, and same-day when decided on the day of acceptance', () => {
    expect(factsOf(late)).toMatchObject({ decidedOn: '2026-03-10', promisedDueDate: '2026-03-09', workingDaysUsed: 6, onTime: 0, approved: 0 });
    expect(factsOf(sameDay)).toMatchObject({ workingDaysUsed: 0, onTime: 1, sameDay: 1 });
  });

  it('dates by Asia/Shanghai: a step at 00:30 in Beijing is that day, not the day before in UTC', () => {
    expect(factsOf(lateEvening)).toMatchObject({ acceptedOn: '2026-03-06', decidedOn: '2026-03-09', workingDaysUsed: 1 });
  });

  it('gives each co-approval task its due date and the working days it took, suspensions while it was open left out', () => {
    const projected = newProjectedCase();
    for (const event of suspended) foldCaseEvent(projected, { caseId: 'GW-C', version: caseEventVersion('GW-C', event.data.eventId)!, event });
    const facts = caseFacts(projected, calendar)!;
    expect(taskFacts(projected, facts, calendar)).toEqual([expect.objectContaining({ department: 'tax', stage: 1, requestedOn: '2026-03-02', answeredOn: '2026-03-10', status: 'granted', workingDays: 2, dueDate: '2026-03-11' })]);
  });

  it('folds an event again without changing anything (a batch read twice)', () => {
    const projected = newProjectedCase();
    const versioned = onTime.map((event) => ({ caseId: 'GW-A', version: caseEventVersion('GW-A', event.data.eventId)!, event }));
    for (const v of versioned) foldCaseEvent(projected, v);
    const once = caseFacts(projected, calendar);
    for (const v of versioned) expect(foldCaseEvent(projected, v).applied).toBe(false);
    expect(caseFacts(projected, calendar)).toEqual(once);
  });
});

describe('the case figures of a group', () => {
  it('are the issue\'s definitions over the cases\' facts', () => {
    const facts = [onTime, refused, suspended, late, sameDay, open].map(factsOf);
    expect(figuresOf(facts)).toEqual({
      submitted: 6,
      accepted: 5,
      refusedAtIntake: 1,
      completed: 4,
      inProgress: 1,
      onTime: 3,
      onTimeRate: 0.75,
      // (1 − 2/20 + 1 − 4/20 + 1 − 6/20 + 1 − 0/20) / 4
      handlingSpeedUp: 0.85,
      // 1 − 5/20 for each of the five accepted cases
      promisedSpeedUp: 0.75,
      sameDay: 1,
      sameDayRate: 0.2,
      reviews: 3,
      // grades 5, 2 and 3: 基本满意 (3) and better are satisfied
      satisfied: 2,
      satisfaction: 0.666666666667,
    });
  });

  it('are null where their denominator is 0', () => {
    expect(figuresOf([factsOf(refused)])).toMatchObject({ onTimeRate: null, handlingSpeedUp: null, promisedSpeedUp: null, sameDayRate: null, satisfaction: null, inProgress: 0 });
  });

  it('work a mean out as one exact fraction, whatever the order of its terms', () => {
    // 1/3 + 1/7 + 1/11 summed in floating point differs by order; the exact fraction does not.
    const fractions = new Map([[3, 1], [7, 1], [11, 1]]);
    expect(meanOfFractions(fractions, 3)).toBe(Math.round(((1 / 3 + 1 / 7 + 1 / 11) / 3) * 1e12) / 1e12);
    expect(meanOfFractions(new Map([[20, -5]]), 1)).toBe(-0.25);
    expect(ratio(2, 3)).toBe(0.666666666667);
    expect(ratio(1, 0)).toBeNull();
  });
});
