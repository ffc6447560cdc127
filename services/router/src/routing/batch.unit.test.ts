import { departments } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../cases/events.ts';
import { history } from '../cases/fixtures.ts';
import { caseSummary, caseView } from '../cases/view.ts';
import { itemDefinedData } from '../items/events.ts';
import type { Item } from '../items/item.ts';
import { OPERATOR } from '../supervision/events.ts';
import type { Outcome } from '../wire/messages.ts';
import { commitBatch, type Write } from './batch.ts';
import {
  alertWrite,
  asked,
  batch,
  bj,
  calendar,
  CASE,
  caseOf,
  caseSubject,
  committed,
  decided,
  defineItem,
  eventWrite,
  fromWire,
  head,
  headOf,
  horizon,
  hukouTransfer,
  OTHER,
  outcomeWrite,
  PARTITION,
  raised,
  readCase,
  realEstateTransfer,
  routerState,
  stepOf,
  submit,
  task,
  tick,
  told,
  when,
} from './fixtures.ts';
import { applyCaseEvent, type RouterState } from './state.ts';

// 不动产转移登记 (land leads; tax alone in one parallel stage of 2 working days; promised 5, legal 30) in the week of
// Monday 2 March 2026 (no holiday). Accepted Mon 03-02 10:00: tax's task is due Wed 03-04, so it is warned at 00:00
// Tue 03-03 and overdue from 00:00 Thu 03-05; the case is due Mon 03-09 and warned at 00:00 Fri 03-06.
// OTHER is a 户口迁移 (ps decides alone, promised 5, legal 20) on the same partition.
const t = {
  submit: bj('2026-03-02 09:30'),
  otherSubmit: bj('2026-03-02 09:40'),
  accept: bj('2026-03-02 10:00'),
};

/** CASE and OTHER submitted at the window (the gateway's CaseSubmitted read back); nothing decided yet, no clock. */
function submitted(): RouterState {
  const state = routerState();
  submit(state, CASE, realEstateTransfer, t.submit);
  submit(state, OTHER, hukouTransfer, t.otherSubmit);
  return state;
}

/** …and CASE accepted by an earlier batch, committed: tax is asked, the partition's clock is at 10:00. */
function accepted(): RouterState {
  const state = submitted();
  committed(state, batch(told(stepOf(when.accept(t.accept), CASE))));
  return state;
}

const caseAccepted: CaseEvent = {
  type: 'CaseAccepted',
  data: { ...head(2, t.accept), leadDepartment: 'land', promisedDays: 5, legalDays: 30, acceptedAt: t.accept, stages: [{ departments: ['tax'], dueDays: 2 }] },
};
const taxAsked: CaseEvent = {
  type: 'CoApprovalRequested',
  data: { ...head(3, t.accept), requestedBy: 'land', coApprover: 'tax', mode: 'PARALLEL', stage: null, dueDays: 2 },
};
const taxGrants = (at: Date, opinion: string | null = null): CaseEvent => ({ type: 'CoApprovalGranted', data: { ...head(4, at), coApprover: 'tax', stage: null, opinion } });
const otherAccepted = (at: Date): CaseEvent => ({
  type: 'CaseAccepted',
  data: { ...headOf(OTHER, 2, at), leadDepartment: 'ps', promisedDays: 5, legalDays: 20, acceptedAt: at, stages: [] },
});

const taxWarning = raised({ level: 'WARNING', subject: task('tax', 1), at: bj('2026-03-03 00:00'), to: 'tax', deadline: '2026-03-04', limitDays: 2, used: 1 });
const taxOverdue = raised({ level: 'OVERDUE', subject: task('tax', 1), at: bj('2026-03-05 00:00'), to: 'tax', deadline: '2026-03-04', limitDays: 2, used: 3 });
const caseWarning = raised({ level: 'WARNING', subject: caseSubject, at: bj('2026-03-06 00:00'), to: 'land', deadline: '2026-03-09', limitDays: 5, used: 4 });

/** The outcome a batch answers command `commandId`. */
function outcomeOf(writes: readonly Write[], commandId: string): Outcome {
  for (const write of writes) if (write.kind === 'outcome' && write.outcome.commandId === commandId) return write.outcome;
  throw new Error(`no outcome for ${commandId}`);
}

describe('a step on a known case', () => {
  it('writes its events in order, correlated by the case; CoApprovalRequested notifies its co-approver; the outcome answers the case (without its history)', () => {
    const state = submitted();
    const writes = committed(state, batch(asked('gw-1:7', stepOf(when.accept(t.accept), CASE))));
    const view = caseSummary(caseOf(state, CASE), calendar, '2026-03-02');
    expect(view).toEqual((({ history: _, ...rest }) => rest)(caseView(caseOf(state, CASE), calendar, '2026-03-02')));
    expect(writes).toEqual([
      eventWrite(caseAccepted),
      eventWrite(taxAsked, ['tax']),
      outcomeWrite('gw-1:7', CASE, {
        ok: true,
        events: [
          { type: 'CaseAccepted', eventId: `${CASE}:2` },
          { type: 'CoApprovalRequested', eventId: `${CASE}:3` },
        ],
        case: view,
      }),
    ]);
    expect(view).toMatchObject({ status: 'co-approval', promisedDueDate: '2026-03-09', tasks: [{ department: 'tax', stage: 1, status: 'open', dueDate: '2026-03-04' }] });
  });

  it('answers nothing when the envelope has no commandId: the events alone', () => {
    expect(committed(submitted(), batch(told(stepOf(when.accept(t.accept), CASE))))).toEqual([eventWrite(caseAccepted), eventWrite(taxAsked, ['tax'])]);
  });

  it('a resumption notifies the departments that asked for the material: they answer again', () => {
    const state = accepted();
    committed(state, batch(told(stepOf(when.supplement('tax', bj('2026-03-02 14:00'), ['完税证明原件']), CASE))));
    const writes = committed(state, batch(told(stepOf(when.resume(bj('2026-03-03 09:00')), CASE))));
    expect(writes.map((w) => (w.kind === 'event' ? [w.type, w.notify] : [w.kind]))).toEqual([['CaseResumed', ['tax']]]);
  });

  it('a grant and the decision notify nobody', () => {
    const writes = committed(accepted(), batch(told(stepOf(when.grant('tax', bj('2026-03-02 14:00'), { reason: '契税已完税' }), CASE)), told(stepOf(when.decide('land', bj('2026-03-02 15:00'), true), CASE))));
    expect(writes).toEqual([
      eventWrite(taxGrants(bj('2026-03-02 14:00'), '契税已完税')),
      eventWrite({ type: 'CaseDecided', data: { ...head(5, bj('2026-03-02 15:00')), outcome: 'APPROVED', decidedBy: 'land', reason: null } }),
    ]);
  });
});

describe('a refused step', () => {
  it("answers the aggregate's refusal, writes no event and changes no case; the partition's clock is at the step's time", () => {
    const state = accepted();
    const before = structuredClone(state);
    const at = bj('2026-03-02 11:00');
    const writes = committed(state, batch(asked('gw-2:1', stepOf(when.grant('market', at), CASE))));
    expect(writes).toEqual([
      outcomeWrite('gw-2:1', CASE, { ok: false, refusal: { type: 'NotAsked', message: `market has not been asked to co-approve case ${CASE}: it is not a co-approver of this case` } }),
    ]);
    // Event time: the gateway's clock read 11:00, refused step or not.
    before.clocks.set(PARTITION, at);
    expect(state).toStrictEqual(before);
  });

  it('a step dated before the case\'s previous one: refused naming occurredAt, and nothing at all changes', () => {
    const state = accepted();
    const before = structuredClone(state);
    const writes = committed(state, batch(asked('gw-2:2', stepOf(when.grant('tax', bj('2026-03-02 09:00')), CASE))));
    expect(writes).toEqual([
      outcomeWrite('gw-2:2', CASE, {
        ok: false,
        refusal: {
          type: 'OccurredBeforePreviousStep',
          message: 'occurredAt 2026-03-02T01:00:00.000Z is before the previous step of the case (CoApprovalRequested at 2026-03-02T02:00:00.000Z)',
          field: 'occurredAt',
        },
      }),
    ]);
    expect(state).toStrictEqual(before);
  });

  it('a step on a case never submitted: CaseNotFound', () => {
    const unknown = 'GW-FFFFFFFFFFFFFFFFFFFF';
    const writes = committed(accepted(), batch(asked('gw-2:3', stepOf(when.accept(bj('2026-03-02 11:00')), unknown))));
    expect(writes).toEqual([outcomeWrite('gw-2:3', unknown, { ok: false, refusal: { type: 'CaseNotFound', message: `case ${unknown} has not been submitted` } })]);
  });
});

describe('decideBatch leaves the state alone; commitBatch makes its changes the state', () => {
  it('an acceptance then a grant in one batch: the grant sees the acceptance; the state changes on commit only', () => {
    const state = submitted();
    const before = structuredClone(state);
    const grantAt = bj('2026-03-02 14:00');
    const inputs = batch(told(stepOf(when.accept(t.accept), CASE)), asked('gw-3:1', stepOf(when.grant('tax', grantAt), CASE)));
    const result = decided(state, inputs);
    expect(result.writes).toEqual([
      eventWrite(caseAccepted),
      eventWrite(taxAsked, ['tax']),
      eventWrite(taxGrants(grantAt)),
      outcomeWrite('gw-3:1', CASE, {
        ok: true,
        events: [{ type: 'CoApprovalGranted', eventId: `${CASE}:4` }],
        case: expect.objectContaining({ status: 'awaiting-decision', tasks: [expect.objectContaining({ department: 'tax', status: 'granted', answeredAt: '2026-03-02T06:00:00.000Z' })] }),
      }),
    ]);
    expect(state).toStrictEqual(before);
    // An aborted transaction leaves no trace: the same batch again decides the same.
    expect(decided(state, inputs)).toEqual(result);

    commitBatch(state, result.changes);
    expect(caseOf(state, CASE)).toMatchObject({ version: 4, status: 'awaiting-decision' });
    expect(state.clocks).toEqual(new Map([[PARTITION, grantAt]]));
    // tax answered before its warning: the case's own warning comes next.
    expect(state.due).toEqual(new Map([[PARTITION, new Map([[CASE, caseWarning.data.occurredAt.getTime()]])]]));
  });
});

describe('an idempotent step (a commandId from an Idempotency-Key, with the request\'s fingerprint)', () => {
  const keyed = (fingerprint: string, command: ReturnType<typeof stepOf>) => ({ commandId: 'key:tax:grant-1', fingerprint, command });

  it('is decided once: a repeat, in the same batch or a later one, is the first answer again, replayed, and writes no event', () => {
    const state = accepted();
    const grant = stepOf(when.grant('tax', bj('2026-03-02 14:00')), CASE);
    const first = committed(state, batch(keyed('f1', grant), keyed('f1', grant)));
    const answer = first.filter((w) => w.kind === 'outcome');
    expect(first.filter((w) => w.kind === 'event').map((w) => w.kind === 'event' && w.type)).toEqual(['CoApprovalGranted']);
    expect(answer).toHaveLength(2);
    expect(answer[1]).toEqual({ ...answer[0], outcome: { ...(answer[0] as Extract<Write, { kind: 'outcome' }>).outcome, fingerprint: undefined, replayed: true } });
    expect(state.answered.get('key:tax:grant-1')?.fingerprint).toBe('f1');
    const later = committed(state, batch(keyed('f1', grant)));
    expect(later).toEqual([answer[1]]);
  });

  it('with another request is refused IdempotencyKeyReused, and nothing is decided', () => {
    const state = accepted();
    committed(state, batch(keyed('f1', stepOf(when.grant('tax', bj('2026-03-02 14:00')), CASE))));
    const other = committed(state, batch(keyed('f2', stepOf(when.refuse('tax', bj('2026-03-02 15:00'), '欠税'), CASE))));
    expect(other).toEqual([{ kind: 'outcome', key: CASE, outcome: { commandId: 'key:tax:grant-1', ok: false, refusal: { type: 'IdempotencyKeyReused', message: 'Idempotency-Key tax:grant-1 was used for a different request' }, replayed: true } }]);
    expect(caseOf(state, CASE).tasks.map((t) => t.status)).toEqual(['granted']);
  });
});

describe('sharing agreements', () => {
  const AGREEMENT = 'AG-0A1B2C3D4E5F';
  const request = (sharing: 'unconditional' | 'conditional') => ({
    type: 'RequestAgreement' as const,
    data: {
      agreementId: AGREEMENT, occurredAt: bj('2026-03-02 10:00'), subscriber: 'civil', resourceCode: 'ps.resident-identity', purpose: '最低生活保障审核',
      resource: { resourceCode: 'ps.resident-identity', owner: 'ps', sharing, maskedFields: ['idNumber', 'name'] },
    },
  });
  const types = (writes: Write[]) => writes.map((w) => (w.kind === 'event' ? `${w.type}>${w.notify.join(',')}` : w.kind));

  it('an unconditional resource is granted at once and the subscriber told; the answer is the agreement', () => {
    const state = routerState();
    const writes = committed(state, batch(asked('gw-1:1', request('unconditional'))));
    expect(types(writes)).toEqual(['AgreementRequested>', 'ExchangeMonitoring>', 'AgreementGranted>civil', 'ExchangeMonitoring>', 'outcome']);
    expect(writes.at(-1)).toMatchObject({ kind: 'outcome', key: AGREEMENT, outcome: { ok: true, agreement: { agreementId: AGREEMENT, status: 'granted', subscriber: 'civil', owner: 'ps' } } });
    expect(state.agreements.get(AGREEMENT)?.state.status).toBe('granted');
  });

  it('a conditional one waits for the owner, who is told; the owner approves, a read sees it, a stranger is refused', () => {
    const state = routerState();
    expect(types(committed(state, batch(told(request('conditional')))))).toEqual(['AgreementRequested>ps', 'ExchangeMonitoring>']);
    const stranger = committed(state, batch(asked('gw-1:2', { type: 'ApproveAgreement', data: { agreementId: AGREEMENT, occurredAt: bj('2026-03-03 10:00'), by: 'tax', approved: true } })));
    expect(stranger).toMatchObject([{ kind: 'outcome', outcome: { ok: false, refusal: { type: 'NotOwner' } } }]);
    const approved = committed(state, batch(
      told({ type: 'ApproveAgreement', data: { agreementId: AGREEMENT, occurredAt: bj('2026-03-03 10:00'), by: 'ps', approved: true } }),
      asked('gw-1:3', { type: 'ReadAgreement', data: { agreementId: AGREEMENT, asOf: bj('2026-03-03 11:00') } }),
    ));
    expect(types(approved)).toEqual(['AgreementGranted>civil', 'ExchangeMonitoring>', 'outcome']);
    expect(approved.at(-1)).toMatchObject({ outcome: { ok: true, events: [], agreement: { status: 'granted', dueDate: null } } });
  });
});

describe('ReadCase', () => {
  it('answers the case as of asOf, its working days counted to that day; it moves no clock and raises no alert', () => {
    const state = accepted();
    const before = structuredClone(state);
    // Thu 03-05 16:00: past tax's warning (03-03) and its red card (03-05 00:00).
    const result = decided(state, batch(asked('gw-4:1', readCase(CASE, bj('2026-03-05 16:00')))));
    expect(result.writes).toEqual([outcomeWrite('gw-4:1', CASE, { ok: true, events: [], case: caseView(caseOf(state, CASE), calendar, '2026-03-05') })]);
    // 03-03, 03-04 and 03-05.
    expect(outcomeOf(result.writes, 'gw-4:1')).toMatchObject({ case: { status: 'co-approval', workingDaysUsed: 3 } });
    expect(result.changes.clock).toBeUndefined();
    commitBatch(state, result.changes);
    expect(state).toStrictEqual(before);
  });

  it('answers case null for a case never submitted', () => {
    const unknown = 'GW-FFFFFFFFFFFFFFFFFFFF';
    expect(committed(accepted(), batch(asked('gw-4:2', readCase(unknown, bj('2026-03-02 11:00')))))).toEqual([
      outcomeWrite('gw-4:2', unknown, { ok: true, events: [], case: null }),
    ]);
  });

  it('sees the steps before it in the batch', () => {
    const writes = committed(accepted(), batch(told(stepOf(when.grant('tax', bj('2026-03-02 14:00')), CASE)), asked('gw-4:3', readCase(CASE, bj('2026-03-02 14:30')))));
    expect(outcomeOf(writes, 'gw-4:3')).toMatchObject({ ok: true, events: [], case: { status: 'awaiting-decision', workingDaysUsed: 0, tasks: [{ department: 'tax', status: 'granted' }] } });
  });
});

describe('DefineItem', () => {
  // 临时占用城市道路许可: housing leads, the traffic police (ps) co-approve in 2 days; promised 5, legal 20; free, no certificate.
  const ROAD = '11450100MB1596344B4000119021000';
  const road = { name: '临时占用城市道路许可', leadDepartment: 'housing', legalDays: 20, promisedDays: 5, stages: [{ departments: ['ps'], dueDays: 2 }] };
  const definedAt = bj('2026-03-02 08:00');

  it('a new item: ItemDefined version 1, answered changed; no clock moves', () => {
    const state = routerState();
    const result = decided(state, batch(asked('operator:1', defineItem(ROAD, road, definedAt))));
    expect(result.writes).toEqual([
      {
        kind: 'event',
        type: 'ItemDefined',
        data: {
          eventId: `item:${ROAD}:1`,
          occurredAt: definedAt,
          itemCode: ROAD,
          version: 1,
          name: '临时占用城市道路许可',
          leadDepartment: 'housing',
          legalDays: 20,
          promisedDays: 5,
          stages: [{ departments: ['ps'], dueDays: 2 }],
          fee: null,
          certificateType: null,
          definedBy: 'operator',
        },
        correlationId: ROAD,
        notify: [],
      },
      outcomeWrite('operator:1', ROAD, { ok: true, events: [{ type: 'ItemDefined', eventId: `item:${ROAD}:1` }], item: { itemCode: ROAD, version: 1, changed: true } }),
    ]);
    expect(result.changes.clock).toBeUndefined();
    commitBatch(state, result.changes);
    expect(state.items.items.get(ROAD)).toEqual({ item: { code: ROAD, ...road }, version: 1, definedAt });
  });

  it('the same definition again records nothing: in the same batch, or in a later one', () => {
    const state = routerState();
    const writes = committed(state, batch(told(defineItem(ROAD, road, definedAt)), asked('operator:2', defineItem(ROAD, road, bj('2026-03-02 08:05')))));
    expect(writes.map((write) => (write.kind === 'event' ? write.type : write.kind))).toEqual(['ItemDefined', 'outcome']);
    expect(outcomeOf(writes, 'operator:2')).toEqual({ commandId: 'operator:2', ok: true, events: [], item: { itemCode: ROAD, version: 1, changed: false } });
    expect(committed(state, batch(asked('operator:3', defineItem(ROAD, road, bj('2026-03-03 08:00')))))).toEqual([
      outcomeWrite('operator:3', ROAD, { ok: true, events: [], item: { itemCode: ROAD, version: 1, changed: false } }),
    ]);
    expect(state.items.items.get(ROAD)).toMatchObject({ version: 1, definedAt });
  });

  it('a bad definition is refused InvalidItem, its problems naming the fields; nothing is recorded', () => {
    const state = routerState();
    const bad = { ...road, promisedDays: 30, stages: [{ departments: ['customs'], dueDays: 2 }] };
    expect(committed(state, batch(asked('operator:4', defineItem(ROAD, bad, definedAt))))).toEqual([
      outcomeWrite('operator:4', ROAD, {
        ok: false,
        refusal: {
          type: 'InvalidItem',
          message: 'the item definition is invalid (promisedDays, stages[0].departments[0])',
          problems: [
            { field: 'promisedDays', message: 'promised limit 30 is longer than the legal limit 20' },
            { field: 'stages[0].departments[0]', message: `department: one of ${departments.map((department) => department.code).join(', ')}` },
          ],
        },
      }),
    ]);
    expect(state.items.items.has(ROAD)).toBe(false);
  });

  it("an acceptance later in the same batch freezes the redefined item's limits", () => {
    const state = submitted();
    const redefinedAt = bj('2026-03-02 09:50');
    const faster: Item = { ...realEstateTransfer, promisedDays: 3, stages: [{ departments: ['tax'], dueDays: 1 }] };
    const writes = committed(state, batch(told(defineItem(realEstateTransfer.code, faster, redefinedAt)), told(stepOf(when.accept(t.accept), CASE))));
    expect(writes).toEqual([
      { kind: 'event', type: 'ItemDefined', data: itemDefinedData(faster, 2, redefinedAt, 'operator'), correlationId: realEstateTransfer.code, notify: [] },
      eventWrite({ type: 'CaseAccepted', data: { ...caseAccepted.data, promisedDays: 3, stages: [{ departments: ['tax'], dueDays: 1 }] } }),
      eventWrite({ type: 'CoApprovalRequested', data: { ...head(3, t.accept), requestedBy: 'land', coApprover: 'tax', mode: 'PARALLEL', stage: null, dueDays: 1 } }, ['tax']),
    ]);
    expect(state.items.items.get(realEstateTransfer.code)).toMatchObject({ version: 2, item: { promisedDays: 3 } });
  });
});

describe('unreadable records', () => {
  it('are dead-lettered with their offset and why; the records around them are still decided', () => {
    const writes = committed(submitted(), batch(fromWire('{"command":'), told(stepOf(when.accept(t.accept), CASE)), fromWire(JSON.stringify({ command: { type: 'OpenCase', data: { caseId: CASE } } }))));
    expect(writes).toEqual([
      { kind: 'dead-letter', offset: '100', reason: 'unreadable', detail: expect.stringMatching(/^the value is not JSON: /) },
      eventWrite(caseAccepted),
      eventWrite(taxAsked, ['tax']),
      { kind: 'dead-letter', offset: '102', reason: 'unreadable', detail: 'command.type: "OpenCase" is not a router command' },
    ]);
  });
});

describe('supervision on event time', () => {
  it("a step on another case of the partition, dated past tax's warning threshold, raises the warning first, to tax", () => {
    const state = accepted();
    const at = bj('2026-03-03 09:00');
    const writes = committed(state, batch(asked('gw-5:1', stepOf(when.accept(at), OTHER))));
    expect(writes).toEqual([
      alertWrite(taxWarning, ['tax']),
      eventWrite(otherAccepted(at)),
      outcomeWrite('gw-5:1', OTHER, { ok: true, events: [{ type: 'CaseAccepted', eventId: `${OTHER}:2` }], case: expect.objectContaining({ caseId: OTHER, status: 'awaiting-decision' }) }),
    ]);
    expect(state.supervision.raised).toEqual(new Map([[CASE, new Set([taxWarning.data.eventId])]]));
    // CASE: tax's red card; OTHER (accepted Tue 03-03, due Tue 03-10): its warning on Mon 03-09.
    expect(state.due.get(PARTITION)).toEqual(new Map([[CASE, bj('2026-03-05 00:00').getTime()], [OTHER, bj('2026-03-09 00:00').getTime()]]));
  });

  it('an alert is raised once: not again later in the same batch, nor in a later batch once committed', () => {
    const state = accepted();
    const writes = committed(state, batch(told(stepOf(when.accept(bj('2026-03-03 09:00')), OTHER)), told(tick(bj('2026-03-03 12:00'))), told(tick(bj('2026-03-04 08:00')))));
    expect(writes.filter((write) => write.kind === 'event' && write.type === 'SupervisionAlert')).toEqual([alertWrite(taxWarning, ['tax'])]);
    expect(committed(state, batch(told(tick(bj('2026-03-04 23:59')))))).toEqual([]);
  });

  it('a Tick past the due date raises the red card (OVERDUE), dated at its threshold', () => {
    const state = accepted();
    expect(committed(state, batch(told(tick(bj('2026-03-03 00:00')))))).toEqual([alertWrite(taxWarning, ['tax'])]);
    expect(committed(state, batch(told(tick(bj('2026-03-05 08:00')))))).toEqual([alertWrite(taxOverdue, ['tax'])]);
  });

  it('a late Tick raises every alert that came due, in the order they came, each to its department', () => {
    expect(committed(accepted(), batch(told(tick(bj('2026-03-06 08:00')))))).toEqual([
      alertWrite(taxWarning, ['tax']),
      alertWrite(taxOverdue, ['tax']),
      alertWrite(caseWarning, ['land']),
    ]);
  });

  it("a task answered before its threshold raises nothing, even when a later Tick passes the threshold", () => {
    const state = accepted();
    committed(state, batch(told(stepOf(when.grant('tax', bj('2026-03-02 16:00')), CASE))));
    expect(committed(state, batch(told(tick(bj('2026-03-05 12:00')))))).toEqual([]);
    expect(state.due.get(PARTITION)?.get(CASE)).toBe(caseWarning.data.occurredAt.getTime());
  });

  it("a Tick earlier than the partition's clock changes nothing", () => {
    const state = accepted();
    committed(state, batch(told(stepOf(when.accept(bj('2026-03-04 12:00')), OTHER))));
    const before = structuredClone(state);
    const result = decided(state, batch(told(tick(bj('2026-03-03 12:00'))), told(tick(bj('2026-03-04 12:00')))));
    expect(result.writes).toEqual([]);
    expect(result.changes.clock).toBeUndefined();
    commitBatch(state, result.changes);
    expect(state).toStrictEqual(before);
  });

  it('an alert is raised before the step that follows it in time, on the same case too', () => {
    const at = bj('2026-03-03 09:00');
    const writes = committed(accepted(), batch(asked('gw-5:2', stepOf(when.grant('tax', at), CASE))));
    expect(writes).toEqual([
      alertWrite(taxWarning, ['tax']),
      eventWrite(taxGrants(at)),
      outcomeWrite('gw-5:2', CASE, { ok: true, events: [{ type: 'CoApprovalGranted', eventId: `${CASE}:4` }], case: expect.objectContaining({ status: 'awaiting-decision' }) }),
    ]);
  });

  it("the operator's alert (a deadline past the calendar's horizon) goes to supervision.alerts only: it notifies nobody", () => {
    // 户口迁移 accepted Thu 2026-12-24: the legal due date (20 days) lies in 2027, past the official calendar.
    const state = routerState();
    submit(state, CASE, hukouTransfer, bj('2026-12-24 09:00'));
    const at = bj('2026-12-24 10:00');
    const writes = committed(state, batch(told(stepOf(when.accept(at), CASE)), told(tick(bj('2026-12-24 10:05')))));
    expect(writes).toEqual([
      eventWrite({ type: 'CaseAccepted', data: { ...head(2, at), leadDepartment: 'ps', promisedDays: 5, legalDays: 20, acceptedAt: at, stages: [] } }),
      alertWrite(raised({ level: 'WARNING', subject: horizon, at, to: OPERATOR, deadline: '2027-01-21', limitDays: 20, used: 0 }), []),
    ]);
  });
});

describe('commitBatch', () => {
  it("files each case's next alert under the partition, so the next batch's Tick finds it", () => {
    const state = submitted();
    committed(state, batch(told(stepOf(when.accept(t.accept), CASE))));
    expect(state.cases.get(CASE)).toMatchObject({ partition: PARTITION, state: { version: 3, status: 'co-approval' } });
    expect(state.clocks).toEqual(new Map([[PARTITION, t.accept]]));
    expect(state.due).toEqual(new Map([[PARTITION, new Map([[CASE, taxWarning.data.occurredAt.getTime()]])]]));
    expect(committed(state, batch(told(tick(bj('2026-03-03 00:00')))))).toEqual([alertWrite(taxWarning, ['tax'])]);
  });

  it("the reader bringing the batch's own events back changes nothing", () => {
    const state = accepted();
    const before = structuredClone(state);
    for (const event of history(when.submit(realEstateTransfer, t.submit), when.accept(t.accept))) applyCaseEvent(state, PARTITION, event);
    expect(state).toStrictEqual(before);
  });

  it('keeps a case the reader already brought further, and files its next alert for the Tick, which then finds nothing due', () => {
    const state = accepted();
    const grantAt = bj('2026-03-02 14:00');
    const result = decided(state, batch(told(stepOf(when.grant('tax', grantAt), CASE))));
    // Before the commit, the reader brings back the grant and land's approval at 14:30 (another instance's, after a rebalance).
    const further = history(when.submit(realEstateTransfer, t.submit), when.accept(t.accept), when.grant('tax', grantAt), when.decide('land', bj('2026-03-02 14:30'), true));
    for (const event of further.slice(3)) applyCaseEvent(state, PARTITION, event);
    commitBatch(state, result.changes);
    expect(caseOf(state, CASE)).toMatchObject({ version: 5, status: 'approved' });
    expect(state.due.get(PARTITION)?.get(CASE)).toBe(caseWarning.data.occurredAt.getTime());
    // Approved in time: the Tick past the case's warning finds the case, raises nothing, and files no next alert.
    expect(committed(state, batch(told(tick(bj('2026-03-06 08:00')))))).toEqual([]);
    expect(state.due.get(PARTITION)?.has(CASE)).toBe(false);
  });
});

describe('instants that are not instants', () => {
  it("a step whose occurredAt is not a valid instant is refused InvalidTime and leaves the partition's clock alone", () => {
    const state = submitted();
    const result = decided(state, batch(asked('gw-9:1', stepOf(when.accept(new Date(Number.NaN)), CASE))));
    expect(result.writes).toEqual([outcomeWrite('gw-9:1', CASE, { ok: false, refusal: { type: 'InvalidTime', message: 'occurredAt is not a valid time', field: 'occurredAt' } })]);
    expect(result.changes.clock).toBeUndefined();
    commitBatch(state, result.changes);
    expect(state.clocks.has(PARTITION)).toBe(false);
  });

  it('a record without the instant its command needs is dead-lettered; the batch is decided, on a partition with alerts due', () => {
    // CASE's next alert (tax's warning) is filed on the partition.
    const state = accepted();
    const at = bj('2026-03-02 11:00');
    const writes = committed(
      state,
      batch(
        fromWire(JSON.stringify({ commandId: 'gw-9:2', command: { type: 'AcceptCase', data: { caseId: OTHER } } })),
        fromWire(JSON.stringify({ command: { type: 'Tick', data: {} } })),
        told(stepOf(when.accept(at), OTHER)),
      ),
    );
    expect(writes).toEqual([
      { kind: 'dead-letter', offset: '100', reason: 'unreadable', detail: 'command.data.occurredAt: missing' },
      { kind: 'dead-letter', offset: '101', reason: 'unreadable', detail: 'command.data.now: missing' },
      eventWrite(otherAccepted(at)),
    ]);
  });
});
