import { replay } from '@hub/decider';
import { deciderSpecification } from '@hub/decider/testing';
import type { AlertLevel } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import type { SupervisionEvent } from '../supervision/events.ts';
import { raised as caseAlert, caseSubject } from '../supervision/fixtures.ts';
import type { AgreementCommand } from './decide.ts';
import type { AgreementState } from './events.ts';
import { AGREEMENT, bj, businessLicence, calendar, decider, history, residentIdentity, taxpayersNotShared, when } from './fixtures.ts';
import { agreementAlertId } from './schedule.ts';
import { agreementSupervisionDecider, type AgreementSupervisionCommand } from './supervision.ts';

const supervision = agreementSupervisionDecider({ calendar });
const spec = deciderSpecification(supervision);

const agreementAfter = (...commands: AgreementCommand[]): AgreementState => replay(decider, history(...commands));
const tick = (now: Date, ...agreements: AgreementState[]): AgreementSupervisionCommand => ({ type: 'Tick', data: { now, agreements } });

// Civil affairs asks public security on Mon 2 March 2026: the 10th working day is Mon 03-16, warned Fri 03-13, overdue from Tue 03-17.
const requested = bj('2026-03-02 10:00');
const pending = () => agreementAfter(when.request(residentIdentity, requested));

function alert(level: AlertLevel, at: Date, used: number, { round = 1, deadline = '2026-03-16', to = 'ps' } = {}): SupervisionEvent {
  return {
    type: 'SupervisionAlertRaised',
    data: {
      eventId: agreementAlertId(AGREEMENT, round, level),
      occurredAt: at,
      level,
      caseId: null,
      requestId: AGREEMENT,
      responsibleDepartment: to,
      deadline,
      limitDays: 10,
      workingDaysUsed: used,
      workingDaysRemaining: 10 - used,
    },
  };
}

const warning = alert('WARNING', bj('2026-03-13 00:00'), 9);
const overdue = alert('OVERDUE', bj('2026-03-17 00:00'), 11);

describe('supervision (电子监察) of the owner’s 10 working days', () => {
  it('raises nothing before the warning day', () => {
    spec.given().when(tick(bj('2026-03-12 23:59'), pending())).then([]);
  });

  it('warns the owner (预警) at 00:00 of the working day before the due date, the agreement as the request', () => {
    const after = spec.given().when(tick(bj('2026-03-13 00:00'), pending())).then([warning]);
    expect(warning.data).toMatchObject({ eventId: `${AGREEMENT}:alert:answer@1:WARNING`, caseId: null, requestId: AGREEMENT, workingDaysRemaining: 1 });
    expect(after.raised.get(AGREEMENT)).toEqual(new Set([warning.data.eventId]));
  });

  it('flags it overdue (超时) the day after the due date', () => {
    spec.given(warning).when(tick(bj('2026-03-16 23:59'), pending())).then([]);
    spec.given(warning).when(tick(bj('2026-03-17 00:00'), pending())).then([overdue]);
  });

  it('a late tick raises every alert that came due, each dated at its threshold', () => {
    spec.given().when(tick(bj('2026-05-01 12:00'), pending())).then([warning, overdue]);
  });

  it('raises each alert once: after a replay of supervision.alerts, nothing again; a case’s alerts are not its to remember', () => {
    spec.given(warning, overdue).when(tick(bj('2026-05-01 12:00'), pending())).then([]);
    const ofCase = caseAlert({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-13 00:00'), to: 'ps', deadline: '2026-03-16', limitDays: 5, used: 4 });
    expect(spec.given(ofCase).state().raised.size).toBe(0);
    spec.given().when(tick(bj('2026-03-13 00:00'), pending(), pending())).then([warning]);
  });

  it('an answer ends the wait: before the warning nothing, between warning and overdue the warning alone, even on a late tick', () => {
    const early = agreementAfter(when.request(residentIdentity, requested), when.approve('ps', bj('2026-03-12 17:00')));
    spec.given().when(tick(bj('2026-05-01 12:00'), early)).then([]);
    const late = agreementAfter(when.request(residentIdentity, requested), when.refuse('ps', bj('2026-03-16 17:00'), '申请用途与共享依据不符'));
    spec.given().when(tick(bj('2026-05-01 12:00'), late)).then([warning]);
    const answeredOverdue = agreementAfter(when.request(residentIdentity, requested), when.approve('ps', bj('2026-03-18 09:00')));
    spec.given().when(tick(bj('2026-05-01 12:00'), answeredOverdue)).then([warning, overdue]);
  });

  it('a revoked request, one granted or refused by the hub, and one refused once the resource is not shared, owe nothing', () => {
    const withdrawn = agreementAfter(when.request(residentIdentity, requested), when.revoke('civil', bj('2026-03-04 09:00')));
    const unconditional = agreementAfter(when.request(businessLicence, requested));
    const notShared = agreementAfter(when.request(taxpayersNotShared, requested));
    const closed = agreementAfter(when.request(residentIdentity, requested), when.change('ps.resident-identity', 'not-shared', bj('2026-03-10 09:00')));
    spec.given().when(tick(bj('2026-05-01 12:00'), withdrawn, unconditional, notShared, closed)).then([]);
  });

  it('an agreement granted by the hub and suspended until the owner approves: the owner has 10 working days from the suspension, with alerts of their own', () => {
    // Suspended Wed 04-01 (Qingming 04-04..06 off): due Thu 04-16, warned Wed 04-15, overdue from Fri 04-17.
    const awaiting = agreementAfter(when.request(businessLicence, requested), when.change('market.business-licence', 'conditional', bj('2026-04-01 09:00')));
    spec
      .given()
      .when(tick(bj('2026-04-17 00:00'), awaiting))
      .then([
        alert('WARNING', bj('2026-04-15 00:00'), 9, { round: 3, deadline: '2026-04-16', to: 'market' }),
        alert('OVERDUE', bj('2026-04-17 00:00'), 11, { round: 3, deadline: '2026-04-16', to: 'market' }),
      ]);
  });

  it('tells the router when an agreement needs its next tick', () => {
    expect(supervision.nextAlertAt(supervision.initialState(), pending())).toEqual(bj('2026-03-13 00:00'));
    expect(supervision.nextAlertAt(spec.given(warning).state(), pending())).toEqual(bj('2026-03-17 00:00'));
    expect(supervision.nextAlertAt(spec.given(warning, overdue).state(), pending())).toBeUndefined();
    expect(supervision.nextAlertAt(supervision.initialState(), agreementAfter(when.request(businessLicence, requested)))).toBeUndefined();
  });

  it('refuses a tick without a valid time', () => {
    spec.given().when(tick(new Date(Number.NaN), pending())).thenFails({ type: 'InvalidTime' });
  });

  it('warns at once when the warning day has already begun (warningDays beyond the limit)', () => {
    const eager = deciderSpecification(agreementSupervisionDecider({ calendar, warningDays: 12 }));
    eager.given().when(tick(requested, pending())).then([alert('WARNING', requested, 0)]);
    expect(() => agreementSupervisionDecider({ calendar, warningDays: -1 })).toThrow(/warningDays/);
  });
});
