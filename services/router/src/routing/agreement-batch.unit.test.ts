import type { AlertLevel } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { AGREEMENT, bj, businessLicence, history, requestOf, residentIdentity, when } from '../agreements/fixtures.ts';
import { agreementAlertId } from '../agreements/schedule.ts';
import type { AgreementSupervisionDecider } from '../agreements/supervision.ts';
import type { SupervisionEvent } from '../supervision/events.ts';
import type { CommandEnvelope, RouterCommand } from '../wire/messages.ts';
import { decideBatch, type RoutingDeps, type Write } from './batch.ts';
import { catalogueChangeCommands } from './catalogue-watch.ts';
import { asked, batch, CASE, committed, decided, deps, PARTITION, realEstateTransfer, routerState, stepOf, submit, tick, told, when as caseStep } from './fixtures.ts';
import { applyAgreementEvent, applyAlert, scheduleNextAgreementAlert, type RouterState } from './state.ts';

// Civil affairs asks public security for its resident register (conditional) on Mon 2 March 2026, 10:00: ps owes its
// answer by the 10th working day, Mon 03-16; supervision warns ps at 00:00 Fri 03-13 and flags it overdue from 00:00 Tue 03-17.
const requestedAt = bj('2026-03-02 10:00');
const warningAt = bj('2026-03-13 00:00');
const overdueAt = bj('2026-03-17 00:00');

/** The request committed by an earlier batch: pending, ps told. */
function requested(command: RouterCommand = requestOf(residentIdentity, requestedAt) as RouterCommand): RouterState {
  const state = routerState();
  committed(state, batch(told(command)));
  return state;
}

function alert(level: AlertLevel, at: Date, used: number): SupervisionEvent {
  return {
    type: 'SupervisionAlertRaised',
    data: {
      eventId: agreementAlertId(AGREEMENT, 1, level),
      occurredAt: at,
      level,
      caseId: null,
      requestId: AGREEMENT,
      responsibleDepartment: 'ps',
      deadline: '2026-03-16',
      limitDays: 10,
      workingDaysUsed: used,
      workingDaysRemaining: 10 - used,
    },
  };
}
const warning = alert('WARNING', warningAt, 9);
const overdue = alert('OVERDUE', overdueAt, 11);

/** The write of an agreement's alert: to supervision.alerts, and to the owner's deliveries. */
const alertWrite = (raised: SupervisionEvent): Write => ({ kind: 'event', type: 'SupervisionAlert', data: raised.data, correlationId: AGREEMENT, notify: ['ps'] });

const types = (writes: Write[]) => writes.map((w) => (w.kind === 'event' ? `${w.type}>${w.notify.join(',')}` : w.kind));

/** The routing deps with a supervision that counts how often it is asked: a step the index says nothing of asks nothing. */
function counting(): { deps: RoutingDeps; looked: () => number } {
  let looked = 0;
  const agreementSupervision: AgreementSupervisionDecider = {
    ...deps.agreementSupervision,
    decide(command, state) {
      looked += 1;
      return deps.agreementSupervision.decide(command, state);
    },
  };
  return { deps: { ...deps, agreementSupervision }, looked: () => looked };
}

describe('supervision of the owner’s answer (10 working days, 国发〔2016〕51号) on the router’s clock', () => {
  it('given a pending request, when the clock reaches the warning day, then the owner is warned (预警) on supervision.alerts and in its deliveries', () => {
    const state = requested();
    expect(committed(state, batch(told(tick(bj('2026-03-12 23:59')))))).toEqual([]);
    expect(committed(state, batch(told(tick(warningAt))))).toEqual([alertWrite(warning)]);
    expect(state.agreementSupervision.raised.get(AGREEMENT)).toEqual(new Set([warning.data.eventId]));
  });

  it('flags it overdue (超时) the day after the due date; a late Tick raises both, in the order they came, each dated at its threshold', () => {
    const state = requested();
    expect(committed(state, batch(told(tick(warningAt))))).toEqual([alertWrite(warning)]);
    expect(committed(state, batch(told(tick(bj('2026-03-16 23:59')))))).toEqual([]);
    expect(committed(state, batch(told(tick(overdueAt))))).toEqual([alertWrite(overdue)]);
    expect(committed(requested(), batch(told(tick(bj('2026-05-01 12:00')))))).toEqual([alertWrite(warning), alertWrite(overdue)]);
  });

  it('an alert is raised before the step that follows it in time: the owner’s late approval comes after its overdue flag', () => {
    const writes = committed(requested(), batch(told(when.approve('ps', bj('2026-03-17 09:00')) as RouterCommand)));
    expect(writes.slice(0, 2)).toEqual([alertWrite(warning), alertWrite(overdue)]);
    expect(types(writes)).toEqual(['SupervisionAlert>ps', 'SupervisionAlert>ps', 'AgreementGranted>civil', 'ExchangeMonitoring>']);
  });

  it('raises each alert once per agreement and level: not again in the batch, nor in a later one, nor after a restart that replays supervision.alerts', () => {
    const state = requested();
    expect(committed(state, batch(told(tick(warningAt)), told(tick(bj('2026-03-13 12:00')))))).toEqual([alertWrite(warning)]);
    expect(committed(state, batch(told(tick(bj('2026-03-16 12:00')))))).toEqual([]);
    // A restarted router: the agreement from exchange.agreements, the warning from supervision.alerts, then its index.
    const restarted = routerState();
    for (const event of history(requestOf(residentIdentity, requestedAt))) applyAgreementEvent(restarted, PARTITION, event);
    applyAlert(restarted, warning);
    scheduleNextAgreementAlert(restarted, AGREEMENT, deps.agreementSupervision);
    expect(committed(restarted, batch(told(tick(bj('2026-05-01 12:00')))))).toEqual([alertWrite(overdue)]);
  });

  it('keeps an index: a step before the next alert is due looks at no agreement; once it is due, the agreement alone', () => {
    const state = requested();
    expect(state.agreementDue.due.get(PARTITION)).toEqual(new Map([[AGREEMENT, warningAt.getTime()]]));
    expect(state.agreementDue.earliest.get(PARTITION)).toBe(warningAt.getTime());
    const spy = counting();
    decideBatch(state, spy.deps, PARTITION, batch(told(tick(bj('2026-03-12 12:00'))), told(tick(bj('2026-03-12 23:59')))));
    expect(spy.looked()).toBe(0);
    const { changes } = decideBatch(state, spy.deps, PARTITION, batch(told(tick(warningAt))));
    expect(spy.looked()).toBe(1);
    expect(changes.agreementDue).toEqual(new Map([[AGREEMENT, overdueAt.getTime()]]));
  });

  it('an agreement’s command raises the agreements’ alerts by its own time, and leaves the partition’s clock (the cases’ event time, a history run’s) alone', () => {
    // A history run's case, accepted on Mon 2 March (tax's task warned at 00:00 Tue 03-03), beside the live request.
    const state = requested();
    submit(state, CASE, realEstateTransfer, bj('2026-03-02 09:30'));
    committed(state, batch(told(stepOf(caseStep.accept(bj('2026-03-02 10:30')), CASE))));
    const clock = state.clocks.get(PARTITION);
    // The owner approves on the 17th, by the gateway's clock: its own overdue flag first, no case alert, no clock moved.
    const { writes, changes } = decided(state, batch(told(when.approve('ps', bj('2026-03-17 09:00')) as RouterCommand)));
    expect(types(writes)).toEqual(['SupervisionAlert>ps', 'SupervisionAlert>ps', 'AgreementGranted>civil', 'ExchangeMonitoring>']);
    expect(changes.clock).toBeUndefined();
    expect(clock).toEqual(bj('2026-03-02 10:30'));
    // The history run's next step, dated the next morning, raises tax's warning as it would have.
    expect(types(committed(state, batch(told(stepOf(caseStep.grant('tax', bj('2026-03-03 09:00')), CASE)))))).toEqual(['SupervisionAlert>tax', 'CoApprovalGranted>']);
  });

  it('an answer before the warning ends the wait: the agreement leaves the index, and a late Tick raises nothing; a request granted at once is never filed', () => {
    const state = requested();
    committed(state, batch(told(when.approve('ps', bj('2026-03-12 17:00')) as RouterCommand)));
    expect(state.agreementDue.due.get(PARTITION)?.has(AGREEMENT)).toBe(false);
    expect(committed(state, batch(told(tick(bj('2026-05-01 12:00')))))).toEqual([]);
    const unconditional = requested(requestOf(businessLicence, requestedAt) as RouterCommand);
    expect(unconditional.agreementDue.due.get(PARTITION)?.has(AGREEMENT) ?? false).toBe(false);
  });
});

describe('a change of the resource’s sharing condition in the catalogue (SharingConditionChanged)', () => {
  /** Granted by ps (its approval of the morning after), as an earlier batch committed it. */
  function grantedByOwner(): RouterState {
    const state = requested();
    committed(state, batch(told(when.approve('ps', bj('2026-03-03 09:00')) as RouterCommand)));
    return state;
  }
  const readAt = bj('2026-03-05 15:00');
  const changeTo = (state: RouterState, sharing: 'not-shared' | 'conditional' | 'unconditional'): CommandEnvelope => {
    const [envelope, ...more] = catalogueChangeCommands([state.agreements.get(AGREEMENT)!.state], () => sharing, readAt);
    expect(more).toEqual([]);
    return envelope!;
  };

  it('given a granted agreement, when the catalogue makes its resource not shared, then it is suspended with the reason, the subscriber told, and it is answered once', () => {
    const state = grantedByOwner();
    const clock = state.clocks.get(PARTITION);
    const change = changeTo(state, 'not-shared');
    const { writes, changes } = decided(state, batch(change));
    expect(types(writes)).toEqual(['AgreementSuspended>civil', 'ExchangeMonitoring>', 'outcome']);
    expect(writes[0]).toMatchObject({ data: { eventId: `${AGREEMENT}:3`, occurredAt: readAt, sharing: 'NOT_SHARED', awaitingOwner: false, reason: expect.stringMatching(/^ps\.resident-identity is not shared \(不予共享\) in the catalogue since 2026-03-05T07:00:00\.000Z/) } });
    // The catalog's change is no party's step in event time: the clock stays where the approval left it.
    expect(changes.clock).toBeUndefined();
    committed(state, batch(change));
    expect(state.agreements.get(AGREEMENT)?.state).toMatchObject({ status: 'suspended', reason: expect.stringContaining('not shared') });
    // Another instance, or the next read, sends it again: the first answer again, nothing decided.
    expect(committed(state, batch(change))).toEqual([{ kind: 'outcome', key: AGREEMENT, outcome: expect.objectContaining({ commandId: change.commandId, replayed: true }) }]);
    expect(state.clocks.get(PARTITION)).toEqual(clock);
  });

  it('when the condition comes back, the agreement the owner approved is reinstated, and says so', () => {
    const state = grantedByOwner();
    committed(state, batch(changeTo(state, 'not-shared')));
    const writes = committed(state, batch(changeTo(state, 'conditional')));
    expect(types(writes)).toEqual(['AgreementReinstated>civil', 'ExchangeMonitoring>', 'outcome']);
    expect(state.agreements.get(AGREEMENT)?.state.status).toBe('granted');
  });
});

describe('exchange monitoring of the agreements (交换监测): one record beside every agreement event', () => {
  it('kind AGREEMENT, from the subscriber to the owner, the event’s type as its code and its reason, at the event’s time, sizes 0', () => {
    const refusedAt = bj('2026-03-04 11:00');
    const writes = committed(requested(), batch(told(when.refuse('ps', refusedAt, '申请用途与共享依据不符') as RouterCommand)));
    expect(writes).toEqual([
      expect.objectContaining({ type: 'AgreementRefused', data: expect.objectContaining({ eventId: `${AGREEMENT}:2` }) }),
      {
        kind: 'event',
        type: 'ExchangeMonitoring',
        correlationId: AGREEMENT,
        notify: [],
        data: {
          eventId: `${AGREEMENT}:2:monitoring`,
          occurredAt: refusedAt,
          exchangeId: `${AGREEMENT}:2`,
          kind: 'AGREEMENT',
          requester: 'civil',
          provider: 'ps',
          resourceCode: 'ps.resident-identity',
          agreementId: AGREEMENT,
          requestId: null,
          recordKey: null,
          sourceEventId: null,
          maskedFields: [],
          requestInAt: refusedAt,
          responseOutAt: refusedAt,
          requestSize: 0,
          responseSize: 0,
          succeeded: true,
          faultCode: 'AgreementRefused',
          faultString: '申请用途与共享依据不符',
        },
      },
    ]);
  });
});

describe('a snapshot (存量数据) of a new agreement', () => {
  const firstPage = (agreementId = AGREEMENT): Write => ({ kind: 'command', key: agreementId, envelope: { command: { type: 'DeliverSnapshot', data: { agreementId, afterKey: null } } } });

  it('its first grant writes the first DeliverSnapshot, keyed by the agreement, in the grant’s transaction; without snapshot, none', () => {
    const snapshot = requestOf(businessLicence, requestedAt, { snapshot: true }) as RouterCommand;
    const writes = committed(routerState(), batch(asked('gw-1:1', snapshot)));
    expect(types(writes)).toEqual(['AgreementRequested>', 'ExchangeMonitoring>', 'AgreementGranted>civil', 'ExchangeMonitoring>', 'command', 'outcome']);
    expect(writes[4]).toEqual(firstPage());
    expect(types(committed(routerState(), batch(told(requestOf(businessLicence, requestedAt) as RouterCommand))))).not.toContain('command');
    const byOwner = requested(requestOf(residentIdentity, requestedAt, { snapshot: true }) as RouterCommand);
    expect(committed(byOwner, batch(told(when.approve('ps', bj('2026-03-03 09:00')) as RouterCommand)))).toContainEqual(firstPage());
  });

  it('a grant again (the owner approving an agreement the hub had granted, once the resource became conditional) starts no second snapshot', () => {
    const state = requested(requestOf(businessLicence, requestedAt, { snapshot: true }) as RouterCommand);
    const [toConditional] = catalogueChangeCommands([state.agreements.get(AGREEMENT)!.state], () => 'conditional', bj('2026-03-04 09:00'));
    expect(types(committed(state, batch(toConditional!)))).toEqual(['AgreementSuspended>civil', 'ExchangeMonitoring>', 'outcome']);
    const writes = committed(state, batch(told(when.approve('market', bj('2026-03-05 09:00')) as RouterCommand)));
    expect(types(writes)).toEqual(['AgreementGranted>civil', 'ExchangeMonitoring>']);
  });

  it('a DeliverSnapshot page is the service’s to decide (it reads the record store): the batch writes and changes nothing for it', () => {
    const state = requested(requestOf(businessLicence, requestedAt, { snapshot: true }) as RouterCommand);
    const { writes, changes } = decided(state, batch(told({ type: 'DeliverSnapshot', data: { agreementId: AGREEMENT, afterKey: null } })));
    expect(writes).toEqual([]);
    expect(changes.agreements.size).toBe(0);
    expect(changes.clock).toBeUndefined();
  });
});
