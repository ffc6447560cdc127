import { deciderSpecification } from '@hub/decider/testing';
import { describe, expect, it } from 'vitest';
import { agreementRefusalTypes, sharingConditionChanged, type AgreementCommand, type AgreementRefusal } from './decide.ts';
import type { AgreementEvent, AgreementState } from './events.ts';
import {
  AGREEMENT,
  bj,
  businessLicence,
  calendar,
  decider,
  head,
  history,
  residentIdentity,
  taxpayersNotShared,
  when,
} from './fixtures.ts';
import { agreementView, deliversTo, unmaskedFieldsOf } from './view.ts';

const spec = deciderSpecification(decider);

// Every refusal a spec below meets, to show that each one has a spec.
const refusalsSeen = new Set<string>();
function refused(given: readonly AgreementEvent[], command: AgreementCommand, expected: Partial<AgreementRefusal>): AgreementRefusal {
  const error = spec.given(...given).when(command).thenFails(expected);
  refusalsSeen.add(error.type);
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

// Civil affairs asks on Monday 2 March 2026 (no holiday in sight): the owner's 10th working day is Mon 03-16.
const t = {
  request: bj('2026-03-02 10:00'),
  answer: bj('2026-03-05 15:00'),
  change: bj('2026-04-01 09:00'),
  again: bj('2026-04-08 09:00'),
  revoke: bj('2026-06-30 17:00'),
};

const requestedEvent = (extra: Partial<Extract<AgreementEvent, { type: 'AgreementRequested' }>['data']> = {}): AgreementEvent => ({
  type: 'AgreementRequested',
  data: {
    ...head(1, t.request),
    subscriber: 'civil',
    resourceCode: 'ps.resident-identity',
    owner: 'ps',
    purpose: '最低生活保障申请家庭户籍核对',
    legalBasis: null,
    fields: [],
    divisionPrefix: null,
    snapshot: false,
    sharing: 'CONDITIONAL',
    sensitiveFields: ['idNumber', 'previousIdNumber', 'name', 'address'],
    ...extra,
  },
});

const residents = {
  pending: () => history(when.request(residentIdentity, t.request, { fields: ['idNumber'] })),
  granted: () => history(when.request(residentIdentity, t.request, { fields: ['idNumber'] }), when.approve('ps', t.answer, { fields: ['idNumber'] })),
  refused: () => history(when.request(residentIdentity, t.request), when.refuse('ps', t.answer, '申请用途与共享依据不符')),
  revoked: () => history(when.request(residentIdentity, t.request), when.approve('ps', t.answer), when.revoke('civil', t.change)),
  suspended: () => extend(residents.granted(), when.change('ps.resident-identity', 'not-shared', t.change)),
};

// market.business-licence is unconditional: granted by the hub at once.
const licences = {
  granted: () => history(when.request(businessLicence, t.request)),
  awaitingOwner: () => extend(licences.granted(), when.change('market.business-licence', 'conditional', t.change)),
  notShared: () => extend(licences.granted(), when.change('market.business-licence', 'not-shared', t.change)),
};

/** `past` followed by what these commands record after it. */
function extend(past: readonly AgreementEvent[], ...commands: AgreementCommand[]): AgreementEvent[] {
  let state = decider.initialState();
  for (const event of past) state = decider.evolve(state, event);
  const events = [...past];
  for (const command of commands) {
    const decision = decider.decide(command, state);
    if (!decision.ok) throw new Error(`${command.type} refused: ${JSON.stringify(decision.error)}`);
    for (const event of decision.events) {
      state = decider.evolve(state, event);
      events.push(event);
    }
  }
  return events;
}

const view = (state: AgreementState, asOf = '2026-03-02') => agreementView(state, calendar, asOf);

describe('a request for a resource (共享申请): the catalogue condition decides what follows', () => {
  it('conditional (有条件共享): pending until the owner answers, due on the 10th working day', () => {
    const after = spec
      .given()
      .when(when.request(residentIdentity, t.request, { fields: ['idNumber'], legalBasis: ' 《社会救助暂行办法》第十一条 ', divisionPrefix: '450102', snapshot: true }))
      .then([requestedEvent({ fields: ['idNumber'], legalBasis: '《社会救助暂行办法》第十一条', divisionPrefix: '450102', snapshot: true })]);
    expect(view(after)).toEqual({
      agreementId: AGREEMENT,
      status: 'pending',
      resource: 'ps.resident-identity',
      subscriber: 'civil',
      owner: 'ps',
      purpose: '最低生活保障申请家庭户籍核对',
      legalBasis: '《社会救助暂行办法》第十一条',
      fields: ['idNumber'],
      unmaskedFields: [],
      divisionPrefix: '450102',
      snapshot: true,
      requestedAt: '2026-03-02T02:00:00.000Z',
      dueDate: '2026-03-16',
      overdue: false,
      dueDateProvisional: false,
      history: [{ type: 'AgreementRequested', occurredAt: '2026-03-02T02:00:00.000Z', department: 'civil', fields: ['idNumber'], sharing: 'conditional' }],
    });
    expect(view(after, '2026-03-16').overdue).toBe(false);
    expect(view(after, '2026-03-17').overdue).toBe(true);
  });

  it('unconditional (无条件共享): granted by the hub at once, every sensitive field masked', () => {
    const after = spec
      .given()
      .when(when.request(businessLicence, t.request))
      .then([
        requestedEvent({ resourceCode: 'market.business-licence', owner: 'market', sharing: 'UNCONDITIONAL', sensitiveFields: ['creditCode', 'legalRepresentative'] }),
        { type: 'AgreementGranted', data: { ...head(2, t.request), approvedBy: null, unmaskedFields: [], opinion: null } },
      ]);
    expect(view(after)).toMatchObject({ status: 'granted', decidedAt: '2026-03-02T02:00:00.000Z', dueDate: null, unmaskedFields: [] });
    expect(view(after).history[1]).toEqual({ type: 'AgreementGranted', occurredAt: '2026-03-02T02:00:00.000Z', automatic: true, fields: [] });
  });

  it('unconditional, asking for sensitive fields unmasked: the owner decides on those, so it waits as a conditional one', () => {
    const after = spec
      .given()
      .when(when.request(businessLicence, t.request, { fields: ['legalRepresentative'] }))
      .then([
        requestedEvent({
          resourceCode: 'market.business-licence',
          owner: 'market',
          fields: ['legalRepresentative'],
          sharing: 'UNCONDITIONAL',
          sensitiveFields: ['creditCode', 'legalRepresentative'],
        }),
      ]);
    expect(view(after)).toMatchObject({ status: 'pending', dueDate: '2026-03-16' });
  });

  it('not shared (不予共享): refused by the hub with the reason', () => {
    const after = spec
      .given()
      .when(when.request(taxpayersNotShared, t.request))
      .then([
        requestedEvent({ resourceCode: 'tax.taxpayer-registration', owner: 'tax', sharing: 'NOT_SHARED', sensitiveFields: [...taxpayersNotShared.maskedFields] }),
        { type: 'AgreementRefused', data: { ...head(2, t.request), refusedBy: null, reason: 'tax.taxpayer-registration is not shared (不予共享) in the catalogue' } },
      ]);
    expect(view(after)).toMatchObject({ status: 'refused', reason: 'tax.taxpayer-registration is not shared (不予共享) in the catalogue', dueDate: null });
  });

  it('answers the view as of its own date, and keeps the fields asked once each', () => {
    const events = spec
      .given()
      .when(when.request(residentIdentity, t.request, { fields: ['name', ' idNumber', 'name', ''] }))
      .thenAnswers(view(spec.given(...history(when.request(residentIdentity, t.request, { fields: ['name', 'idNumber'] }))).state()));
    expect(events).toEqual([requestedEvent({ fields: ['name', 'idNumber'] })]);
  });

  describe('is refused', () => {
    it('for an agreement id already requested', () => {
      refused(residents.pending(), when.request(residentIdentity, t.answer), { type: 'AlreadyRequested' });
    });

    it('for a resource the catalog does not know, naming the field resource', () => {
      refused([], when.request(null, t.request, { resourceCode: 'ps.unknown' }), { type: 'UnknownResource', field: 'resource', message: expect.stringContaining('ps.unknown') });
      // The router passed the entry of another resource: as unknown as none.
      refused([], when.request(residentIdentity, t.request, { resourceCode: 'ps.resident-identity-v2' }), { type: 'UnknownResource', field: 'resource' });
    });

    it("for the department's own resource, naming the field resource", () => {
      refused([], when.request(residentIdentity, t.request, { subscriber: 'ps' }), { type: 'OwnResource', field: 'resource' });
    });

    it('without a purpose (使用用途)', () => {
      refused([], when.request(residentIdentity, t.request, { purpose: '  ' }), { type: 'PurposeRequired', field: 'purpose' });
    });

    it('for fields that are not sensitive fields of the resource', () => {
      const error = refused([], when.request(residentIdentity, t.request, { fields: ['idNumber', 'birthDate', 'phone'] }), { type: 'NotSensitiveField', field: 'fields' });
      expect(error.message).toContain('birthDate, phone');
      expect(error.message).toContain('idNumber, previousIdNumber, name, address');
    });

    it.each(['4501023', '45010', 'abcdef', '00', '000000', '450012', '450000001', '450102000001', ' 4501 0'])('for the malformed division prefix %j', (divisionPrefix) => {
      refused([], when.request(residentIdentity, t.request, { divisionPrefix }), { type: 'InvalidDivisionPrefix', field: 'divisionPrefix' });
    });

    it('for an invalid time', () => {
      refused([], when.request(residentIdentity, new Date(Number.NaN)), { type: 'InvalidTime', field: 'occurredAt' });
    });
  });

  it('takes division prefixes of 2, 4, 6, 9 and 12 digits, a town under a city without counties among them', () => {
    for (const divisionPrefix of ['45', '4501', '450102', '450102001', '450102001002', '441900003', '450100001', '450100']) {
      const [requested] = history(when.request(residentIdentity, t.request, { divisionPrefix }));
      expect(requested?.type === 'AgreementRequested' && requested.data.divisionPrefix).toBe(divisionPrefix);
    }
  });
});

describe("the owner's answer (答复)", () => {
  it('approves, letting the sensitive fields it names through unmasked', () => {
    const after = spec
      .given(...residents.pending())
      .when(when.approve('ps', t.answer, { fields: ['idNumber'], reason: '同意，限用于低保核对' }))
      .then([{ type: 'AgreementGranted', data: { ...head(2, t.answer), approvedBy: 'ps', unmaskedFields: ['idNumber'], opinion: '同意，限用于低保核对' } }]);
    expect(view(after, '2026-03-05')).toMatchObject({ status: 'granted', fields: ['idNumber'], unmaskedFields: ['idNumber'], decidedAt: '2026-03-05T07:00:00.000Z', dueDate: null });
    expect(unmaskedFieldsOf(after)).toEqual(['idNumber']);
  });

  it('approves without naming fields: every sensitive field stays masked, whatever was asked', () => {
    const after = spec
      .given(...residents.pending())
      .when(when.approve('ps', t.answer))
      .then([{ type: 'AgreementGranted', data: { ...head(2, t.answer), approvedBy: 'ps', unmaskedFields: [], opinion: null } }]);
    expect(unmaskedFieldsOf(after)).toEqual([]);
    expect(view(after).fields).toEqual(['idNumber']);
  });

  it('may let through sensitive fields that were not asked for', () => {
    spec
      .given(...residents.pending())
      .when(when.approve('ps', t.answer, { fields: ['idNumber', 'address'] }))
      .then([{ type: 'AgreementGranted', data: { ...head(2, t.answer), approvedBy: 'ps', unmaskedFields: ['idNumber', 'address'], opinion: null } }]);
  });

  it('refuses with its reason (不予共享理由)', () => {
    const after = spec
      .given(...residents.pending())
      .when(when.refuse('ps', t.answer, '申请用途与共享依据不符'))
      .then([{ type: 'AgreementRefused', data: { ...head(2, t.answer), refusedBy: 'ps', reason: '申请用途与共享依据不符' } }]);
    expect(view(after)).toMatchObject({ status: 'refused', reason: '申请用途与共享依据不符', decidedAt: '2026-03-05T07:00:00.000Z', dueDate: null });
  });

  describe('is refused', () => {
    it('from anyone but the owner, the subscriber too (the gateway answers 403)', () => {
      refused(residents.pending(), when.approve('civil', t.answer), { type: 'NotOwner' });
      const error = refused(residents.granted(), when.approve('tax', t.answer), { type: 'NotOwner' });
      expect(error.field).toBeUndefined();
      expect(error.message).not.toContain('granted');
    });

    it('once answered, or revoked', () => {
      refused(residents.granted(), when.approve('ps', t.change), { type: 'NotPending' });
      refused(residents.refused(), when.approve('ps', t.change), { type: 'NotPending' });
      refused(residents.revoked(), when.approve('ps', t.revoke), { type: 'NotPending' });
      refused(licences.granted(), when.approve('market', t.answer), { type: 'NotPending' });
    });

    it('while suspended because the resource is not shared: no approval makes it hold', () => {
      refused(residents.suspended(), when.approve('ps', t.again), { type: 'NotPending', message: expect.stringContaining('不予共享') });
    });

    it('for a refusal without a reason', () => {
      refused(residents.pending(), when.refuse('ps', t.answer, ' '), { type: 'ReasonRequired', field: 'reason' });
    });

    it('for fields that are not sensitive fields of the resource', () => {
      refused(residents.pending(), when.approve('ps', t.answer, { fields: ['idNumber', 'ethnicity'] }), { type: 'NotSensitiveField', field: 'fields' });
    });

    it('dated before the previous step', () => {
      refused(residents.pending(), when.approve('ps', bj('2026-03-02 09:59')), { type: 'OccurredBeforePreviousStep', field: 'occurredAt' });
    });

    it('for an agreement never requested, or another one than the state', () => {
      refused([], when.approve('ps', t.answer), { type: 'AgreementNotFound' });
      const other: AgreementCommand = { type: 'ApproveAgreement', data: { agreementId: 'AG-OTHER', occurredAt: t.answer, by: 'ps', approved: true } };
      refused(residents.pending(), other, { type: 'AgreementMismatch' });
    });

    it('for an invalid time', () => {
      refused(residents.pending(), when.approve('ps', new Date('not a time')), { type: 'InvalidTime', field: 'occurredAt' });
    });
  });
});

describe('revocation (撤销)', () => {
  it('by the subscriber: nothing is delivered after it', () => {
    const after = spec
      .given(...residents.granted())
      .when(when.revoke('civil', t.revoke, '低保年度复核结束'))
      .then([{ type: 'AgreementRevoked', data: { ...head(3, t.revoke), revokedBy: 'civil', reason: '低保年度复核结束' } }]);
    expect(view(after)).toMatchObject({ status: 'revoked', reason: '低保年度复核结束', unmaskedFields: [] });
    expect(deliversTo(after, 'ps.resident-identity', '450102')).toBe(false);
  });

  it('by the owner, of a pending request too (its wait ends), with no reason', () => {
    const after = spec
      .given(...residents.pending())
      .when(when.revoke('ps', t.answer))
      .then([{ type: 'AgreementRevoked', data: { ...head(2, t.answer), revokedBy: 'ps', reason: null } }]);
    expect(view(after)).toMatchObject({ status: 'revoked', dueDate: null });
    expect(view(after).reason).toBeUndefined();
  });

  it('of a suspended agreement', () => {
    spec.given(...residents.suspended()).when(when.revoke('civil', t.revoke)).then([{ type: 'AgreementRevoked', data: { ...head(4, t.revoke), revokedBy: 'civil', reason: null } }]);
  });

  describe('is refused', () => {
    it('from a department that is neither subscriber nor owner (403)', () => {
      refused(residents.granted(), when.revoke('tax', t.revoke), { type: 'NotParty' });
    });

    it('twice', () => {
      refused(residents.revoked(), when.revoke('civil', t.revoke), { type: 'AlreadyRevoked' });
      refused(residents.revoked(), when.revoke('ps', t.revoke), { type: 'AlreadyRevoked' });
    });

    it('of a refused request: there is nothing to revoke', () => {
      refused(residents.refused(), when.revoke('civil', t.revoke), { type: 'AlreadyRefused' });
    });
  });
});

describe('the catalog operator changes the sharing condition (共享属性变更)', () => {
  const residentsTo = (sharing: Parameters<typeof when.change>[1], at = t.change) => when.change('ps.resident-identity', sharing, at);
  const licencesTo = (sharing: Parameters<typeof when.change>[1], at = t.change) => when.change('market.business-licence', sharing, at);
  const since = (code: string, term: string) => `${code} is ${term} in the catalogue since 2026-04-01T01:00:00.000Z`;

  describe('a pending request', () => {
    it('→ not shared: refused by the hub, the owner owes no answer', () => {
      const after = spec
        .given(...residents.pending())
        .when(residentsTo('not-shared'))
        .then([{ type: 'AgreementRefused', data: { ...head(2, t.change), refusedBy: null, reason: since('ps.resident-identity', 'not shared (不予共享)') } }]);
      expect(view(after)).toMatchObject({ status: 'refused', dueDate: null });
    });

    it('→ unconditional: granted by the hub, masked, when it asked for no field unmasked', () => {
      const pending = history(when.request(residentIdentity, t.request));
      spec.given(...pending).when(residentsTo('unconditional')).then([{ type: 'AgreementGranted', data: { ...head(2, t.change), approvedBy: null, unmaskedFields: [], opinion: null } }]);
    });

    it('→ unconditional, asking for fields unmasked, or → conditional: still the owner’s to answer', () => {
      spec.given(...residents.pending()).when(residentsTo('unconditional')).then([]);
      spec.given(...residents.pending()).when(residentsTo('conditional')).then([]);
    });
  });

  describe('an agreement the owner approved', () => {
    it('→ not shared: suspended with the reason, and delivers nothing', () => {
      const reason = `${since('ps.resident-identity', 'not shared (不予共享)')}: nothing is delivered under the agreement`;
      const after = spec
        .given(...residents.granted())
        .when(residentsTo('not-shared'))
        .then([{ type: 'AgreementSuspended', data: { ...head(3, t.change), sharing: 'NOT_SHARED', reason, awaitingOwner: false } }]);
      expect(view(after)).toMatchObject({ status: 'suspended', reason, unmaskedFields: [], dueDate: null });
      expect(deliversTo(after, 'ps.resident-identity', '450102')).toBe(false);
    });

    it('→ conditional or unconditional: holds', () => {
      spec.given(...residents.granted()).when(residentsTo('conditional')).then([]);
      spec.given(...residents.granted()).when(residentsTo('unconditional')).then([]);
    });

    it('suspended, → conditional again: reinstated, with the fields the owner let through', () => {
      const after = spec
        .given(...residents.suspended())
        .when(residentsTo('conditional', t.again))
        .then([
          {
            type: 'AgreementReinstated',
            data: {
              ...head(4, t.again),
              sharing: 'CONDITIONAL',
              reason: "ps.resident-identity is conditional (有条件共享) in the catalogue since 2026-04-08T01:00:00.000Z: the owner's approval of 2026-03-05T07:00:00.000Z holds again",
            },
          },
        ]);
      expect(view(after)).toMatchObject({ status: 'granted', unmaskedFields: ['idNumber'] });
      expect(view(after).reason).toBeUndefined();
      expect(deliversTo(after, 'ps.resident-identity', '450102')).toBe(true);
    });

    it('suspended, → unconditional: reinstated; → not shared again: nothing new', () => {
      spec
        .given(...residents.suspended())
        .when(residentsTo('unconditional', t.again))
        .then([{ type: 'AgreementReinstated', data: { ...head(4, t.again), sharing: 'UNCONDITIONAL', reason: expect.stringContaining('holds again') } }]);
      spec.given(...residents.suspended()).when(residentsTo('not-shared', t.again)).then([]);
    });
  });

  describe('an agreement the hub granted (unconditional)', () => {
    const awaiting = `${since('market.business-licence', 'conditional (有条件共享)')}: granted without the owner's approval, it waits for market to approve it`;

    it('→ conditional: suspended until the owner approves, who has 10 working days from then', () => {
      const after = spec
        .given(...licences.granted())
        .when(licencesTo('conditional'))
        .then([{ type: 'AgreementSuspended', data: { ...head(3, t.change), sharing: 'CONDITIONAL', reason: awaiting, awaitingOwner: true } }]);
      // Wed 04-01: 04-02, 04-03, (Qingming 04-04..06 off), 04-07 … the 10th is Thu 04-16.
      expect(view(after, '2026-04-01')).toMatchObject({ status: 'suspended', reason: awaiting, dueDate: '2026-04-16' });
      expect(deliversTo(after, 'market.business-licence', '450102')).toBe(false);
    });

    it('awaiting the owner: the owner approves (it holds again), or refuses (for good)', () => {
      const approved = spec
        .given(...licences.awaitingOwner())
        .when(when.approve('market', t.again, { fields: ['legalRepresentative'] }))
        .then([{ type: 'AgreementGranted', data: { ...head(4, t.again), approvedBy: 'market', unmaskedFields: ['legalRepresentative'], opinion: null } }]);
      expect(view(approved)).toMatchObject({ status: 'granted', decidedAt: '2026-04-08T01:00:00.000Z', dueDate: null });
      spec
        .given(...licences.awaitingOwner())
        .when(when.refuse('market', t.again, '企业法定代表人信息需逐案申请'))
        .then([{ type: 'AgreementRefused', data: { ...head(4, t.again), refusedBy: 'market', reason: '企业法定代表人信息需逐案申请' } }]);
      refused(licences.awaitingOwner(), when.approve('civil', t.again), { type: 'NotOwner' });
    });

    it('approved by the owner afterwards, → conditional later holds', () => {
      const approved = extend(licences.awaitingOwner(), when.approve('market', t.again), licencesTo('unconditional', bj('2026-05-06 09:00')));
      spec.given(...approved).when(licencesTo('conditional', bj('2026-05-07 09:00'))).then([]);
    });

    it('awaiting the owner, → not shared: suspended for that (the owner owes nothing), → unconditional: reinstated, → conditional: nothing new', () => {
      const after = spec
        .given(...licences.awaitingOwner())
        .when(licencesTo('not-shared', t.again))
        .then([{ type: 'AgreementSuspended', data: { ...head(4, t.again), sharing: 'NOT_SHARED', reason: expect.stringContaining('nothing is delivered'), awaitingOwner: false } }]);
      expect(view(after).dueDate).toBeNull();
      spec
        .given(...licences.awaitingOwner())
        .when(licencesTo('unconditional', t.again))
        .then([{ type: 'AgreementReinstated', data: { ...head(4, t.again), sharing: 'UNCONDITIONAL', reason: expect.stringContaining('holds again') } }]);
      spec.given(...licences.awaitingOwner()).when(licencesTo('conditional', t.again)).then([]);
    });

    it('→ not shared: suspended; then → conditional: it now awaits the owner; → unconditional: reinstated', () => {
      spec
        .given(...licences.notShared())
        .when(licencesTo('conditional', t.again))
        .then([{ type: 'AgreementSuspended', data: { ...head(4, t.again), sharing: 'CONDITIONAL', reason: expect.stringContaining('waits for market'), awaitingOwner: true } }]);
      spec
        .given(...licences.notShared())
        .when(licencesTo('unconditional', t.again))
        .then([{ type: 'AgreementReinstated', data: { ...head(4, t.again), sharing: 'UNCONDITIONAL', reason: expect.any(String) } }]);
    });
  });

  it('leaves refused and revoked agreements, and agreements on other resources, alone', () => {
    spec.given(...residents.refused()).when(residentsTo('unconditional')).then([]);
    spec.given(...residents.revoked()).when(residentsTo('not-shared')).then([]);
    spec.given(...residents.granted()).when(licencesTo('not-shared')).then([]);
  });

  it('dates what it does no earlier than the agreement’s last step, so its history stays in order', () => {
    spec
      .given(...residents.granted())
      .when(residentsTo('not-shared', bj('2026-03-04 12:00')))
      .then([{ type: 'AgreementSuspended', data: { ...head(3, t.answer), sharing: 'NOT_SHARED', reason: expect.stringContaining('since 2026-03-04T04:00:00.000Z'), awaitingOwner: false } }]);
  });

  it('is refused for an unknown condition, or with no agreement', () => {
    const bad = { type: 'SharingConditionChanged', data: { resourceCode: 'ps.resident-identity', sharing: 'public', occurredAt: t.change } } as unknown as AgreementCommand;
    refused(residents.granted(), bad, { type: 'InvalidSharingCondition', field: 'sharing' });
    refused([], residentsTo('not-shared'), { type: 'AgreementNotFound' });
  });

  it('fans out over every agreement on the resource: those it changes, with their events', () => {
    const replay = (events: AgreementEvent[]) => spec.given(...events).state();
    const agreements = [
      replay(residents.granted()),
      replay(residents.refused()),
      replay(licences.granted()),
      replay(residents.pending().map((event) => (event.type === 'AgreementRequested' ? { ...event, data: { ...event.data, agreementId: 'AG-2', eventId: 'AG-2:1' } } : event))),
    ];
    const changed = sharingConditionChanged(agreements, { resourceCode: 'ps.resident-identity', sharing: 'not-shared', occurredAt: t.change });
    expect(changed.map(({ agreementId, events }) => [agreementId, events.map((event) => [event.type, event.data.eventId])])).toEqual([
      [AGREEMENT, [['AgreementSuspended', `${AGREEMENT}:3`]]],
      ['AG-2', [['AgreementRefused', 'AG-2:2']]],
    ]);
  });
});

describe('deliveries: which records a granted agreement delivers (deliversTo), and what unmasked', () => {
  const grantedFor = (divisionPrefix?: string) =>
    spec.given(...history(when.request(residentIdentity, t.request, { ...(divisionPrefix === undefined ? {} : { divisionPrefix }), fields: ['idNumber'] }), when.approve('ps', t.answer, { fields: ['idNumber'] }))).state();

  it.each<[string | undefined, string, boolean]>([
    [undefined, '450102', true],
    [undefined, '110101', true],
    ['45', '450102', true],
    ['45', '440305', false],
    ['4501', '450102', true],
    ['4501', '450203', false],
    ['450100', '450102', true], // the city written as its full code covers its counties
    ['450100', '450102001001', true],
    ['450102', '450102', true],
    ['450102', '450102003000', true],
    ['450102', '450103', false],
    ['450102001', '450102001002', true],
    ['450102001', '450102', false], // a record of the county is not within one of its towns
    ['450102001', '450102002001', false],
    ['441900003', '441900003001', true],
  ])('prefix %s, a record of division %s: %s', (prefix, divisionCode, delivers) => {
    expect(deliversTo(grantedFor(prefix), 'ps.resident-identity', divisionCode)).toBe(delivers);
  });

  it('only for its own resource, and only while granted', () => {
    expect(deliversTo(grantedFor(), 'hrss.social-insurance-enrolment', '450102')).toBe(false);
    for (const events of [residents.pending(), residents.refused(), residents.revoked(), residents.suspended(), licences.awaitingOwner()]) {
      const state = spec.given(...events).state();
      expect(deliversTo(state, state.resourceCode, '450102'), state.status).toBe(false);
      expect(unmaskedFieldsOf(state)).toEqual([]);
    }
    expect(deliversTo(spec.given(...licences.granted()).state(), 'market.business-licence', '450102')).toBe(true);
    expect(unmaskedFieldsOf(grantedFor())).toEqual(['idNumber']);
  });
});

describe('the refusals', () => {
  it('each have a spec above', () => {
    expect([...refusalsSeen].sort()).toEqual([...agreementRefusalTypes].sort());
  });
});
