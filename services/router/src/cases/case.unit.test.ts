import { deciderSpecification } from '@hub/decider/testing';
import { describe, expect, it } from 'vitest';
import { caseDecider, caseRefusalTypes, type CaseCommand, type CaseRefusal } from './decide.ts';
import type { CaseEvent } from './events.ts';
import {
  bj,
  calendar,
  CASE,
  constructionPermit,
  decider,
  head,
  history,
  hukouTransfer,
  insuranceRegistration,
  items,
  realEstateTransfer,
  submitted,
  when,
} from './fixtures.ts';
import { caseView } from './view.ts';

const spec = deciderSpecification(decider);

// Every refusal a spec below meets, to show that each one has a spec.
const refusalsSeen = new Set<string>();
function refused(given: readonly CaseEvent[], command: CaseCommand, expected: Partial<CaseRefusal>): CaseRefusal {
  const error = spec.given(...given).when(command).thenFails(expected);
  refusalsSeen.add(error.type);
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

// 建筑工程施工许可证核发 in the week of Monday 2 March 2026 (no holiday): three co-approvers in two stages.
const t = {
  submit: bj('2026-03-02 09:00'),
  accept: bj('2026-03-02 10:00'),
  landGrants: bj('2026-03-03 15:00'),
  marketGrants: bj('2026-03-04 11:00'),
  hrssGrants: bj('2026-03-05 16:00'),
  decide: bj('2026-03-06 10:00'),
  certificate: bj('2026-03-06 15:00'),
  deliver: bj('2026-03-09 10:00'),
  review: bj('2026-03-09 10:05'),
};

const constructionPlan = [
  { departments: ['land', 'market'], dueDays: 2 },
  { departments: ['hrss'], dueDays: 2 },
];

const construction = {
  submitted: () => [submitted(constructionPermit, t.submit)],
  accepted: () => history(when.submit(constructionPermit, t.submit), when.accept(t.accept)),
  stage2: () => history(when.submit(constructionPermit, t.submit), when.accept(t.accept), when.grant('land', t.landGrants), when.grant('market', t.marketGrants)),
  coApproved: () => extend(construction.stage2(), when.grant('hrss', t.hrssGrants)),
  approved: () => extend(construction.coApproved(), when.decide('housing', t.decide, true)),
  delivered: () => extend(construction.approved(), when.issueCertificate(t.certificate), when.deliver(t.deliver)),
};

/** `past` followed by what these commands record after it. */
function extend(past: readonly CaseEvent[], ...commands: CaseCommand[]): CaseEvent[] {
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

describe('the case aggregate (办件): the whole happy path, two stages, three co-approvers', () => {
  it('submitted: the applicant applied at one window', () => {
    const after = spec.given().when(when.submit(constructionPermit, t.submit)).then([submitted(constructionPermit, t.submit)]);
    expect(after.status).toBe('submitted');
    expect(after.version).toBe(1);
  });

  it('accepted: stage 1 is asked at once, every department of it, with its due days', () => {
    const after = spec
      .given(...construction.submitted())
      .when(when.accept(t.accept))
      .then([
        {
          type: 'CaseAccepted',
          data: { ...head(2, t.accept), leadDepartment: 'housing', promisedDays: 5, legalDays: 7, acceptedAt: t.accept, stages: constructionPlan },
        },
        { type: 'CoApprovalRequested', data: { ...head(3, t.accept), requestedBy: 'housing', coApprover: 'land', mode: 'STAGED', stage: 1, dueDays: 2 } },
        { type: 'CoApprovalRequested', data: { ...head(4, t.accept), requestedBy: 'housing', coApprover: 'market', mode: 'STAGED', stage: 1, dueDays: 2 } },
      ]);
    const view = caseView(after, calendar, '2026-03-02');
    expect(view).toMatchObject({
      status: 'co-approval',
      leadDepartment: 'housing',
      acceptedAt: '2026-03-02T02:00:00.000Z',
      // Day 1 is Tue 03-03: the 5th working day is Mon 03-09, the 7th Wed 03-11.
      promisedDueDate: '2026-03-09',
      legalDueDate: '2026-03-11',
      workingDaysUsed: 0,
      deadlineProvisional: false,
      tasks: [
        { department: 'land', stage: 1, status: 'open', dueDate: '2026-03-04' },
        { department: 'market', stage: 1, status: 'open', dueDate: '2026-03-04' },
      ],
    });
  });

  it('the accepting command answers the view as of its own date', () => {
    const answer = spec.given(...construction.submitted()).when(when.accept(t.accept)).thenAnswers(
      caseView(spec.given(...construction.accepted()).state(), calendar, '2026-03-02'),
    );
    expect(answer).toHaveLength(3);
  });

  it('one grant of stage 1 waits for the other', () => {
    const after = spec
      .given(...construction.accepted())
      .when(when.grant('land', t.landGrants, { reason: '用地及规划手续齐全' }))
      .then([{ type: 'CoApprovalGranted', data: { ...head(5, t.landGrants), coApprover: 'land', stage: 1, opinion: '用地及规划手续齐全' } }]);
    expect(after.status).toBe('co-approval');
    expect(after.openStage).toBe(1);
  });

  it('the last grant of stage 1 asks stage 2', () => {
    const past = extend(construction.accepted(), when.grant('land', t.landGrants));
    const after = spec
      .given(...past)
      .when(when.grant('market', t.marketGrants, { stage: 1 }))
      .then([
        { type: 'CoApprovalGranted', data: { ...head(6, t.marketGrants), coApprover: 'market', stage: 1, opinion: null } },
        { type: 'CoApprovalRequested', data: { ...head(7, t.marketGrants), requestedBy: 'housing', coApprover: 'hrss', mode: 'STAGED', stage: 2, dueDays: 2 } },
      ]);
    expect(after.status).toBe('co-approval');
    expect(caseView(after, calendar, '2026-03-04').tasks[2]).toMatchObject({ department: 'hrss', stage: 2, status: 'open', dueDate: '2026-03-06' });
  });

  it('the last grant of the last stage hands the case to the lead', () => {
    const after = spec
      .given(...construction.stage2())
      .when(when.grant('hrss', t.hrssGrants))
      .then([{ type: 'CoApprovalGranted', data: { ...head(8, t.hrssGrants), coApprover: 'hrss', stage: 2, opinion: null } }]);
    expect(after.status).toBe('awaiting-decision');
  });

  it('the lead approves: the case is completed (办结)', () => {
    const after = spec
      .given(...construction.coApproved())
      .when(when.decide('housing', t.decide, true))
      .then([{ type: 'CaseDecided', data: { ...head(9, t.decide), outcome: 'APPROVED', decidedBy: 'housing', reason: null } }]);
    expect(caseView(after, calendar, '2026-03-20')).toMatchObject({ status: 'approved', workingDaysUsed: 4 });
  });

  it('no fee for this item: the certificate follows the approval', () => {
    const after = spec
      .given(...construction.approved())
      .when(when.issueCertificate(t.certificate))
      .then([
        {
          type: 'CertificateIssued',
          data: { ...head(10, t.certificate), certificateNo: `ZZ-${CASE}`, certificateType: '建筑工程施工许可证', issuedBy: 'housing', validUntil: null },
        },
      ]);
    expect(after.status).toBe('certificate-issued');
  });

  it('delivered at the window, then reviewed', () => {
    const certified = extend(construction.approved(), when.issueCertificate(t.certificate));
    spec.given(...certified).when(when.deliver(t.deliver)).then([{ type: 'CaseDelivered', data: { ...head(11, t.deliver), method: 'WINDOW', trackingNo: null } }]);
    const after = spec
      .given(...construction.delivered())
      .when(when.review(t.review, 5, '办事很快'))
      .then([{ type: 'CaseReviewed', data: { ...head(12, t.review), rating: 'VERY_SATISFIED', comment: '办事很快' } }]);
    const view = caseView(after, calendar, '2026-03-31');
    expect(view.status).toBe('reviewed');
    expect(view.workingDaysUsed).toBe(4);
    expect(view.tasks.map((task) => [task.department, task.stage, task.status])).toEqual([
      ['land', 1, 'granted'],
      ['market', 1, 'granted'],
      ['hrss', 2, 'granted'],
    ]);
    expect(view.history.map((entry) => entry.type)).toEqual([
      'CaseSubmitted',
      'CaseAccepted',
      'CoApprovalRequested',
      'CoApprovalRequested',
      'CoApprovalGranted',
      'CoApprovalGranted',
      'CoApprovalRequested',
      'CoApprovalGranted',
      'CaseDecided',
      'CertificateIssued',
      'CaseDelivered',
      'CaseReviewed',
    ]);
    expect(view.history[11]).toEqual({ type: 'CaseReviewed', occurredAt: '2026-03-09T02:05:00.000Z', grade: 5 });
  });

  it('a replay yields the same state and the same event ids', () => {
    const events = extend(construction.delivered(), when.review(t.review, 4));
    expect(events.map((event) => event.data.eventId)).toEqual(events.map((_, index) => `${CASE}:${index + 1}`));
    expect(spec.given(...events).state()).toEqual(spec.given(...structuredClone(events)).state());
  });
});

describe('fees (统一收费窗口): assessed, paid, then the certificate', () => {
  const accepted = bj('2026-03-02 10:00');
  const transfer = () => history(when.submit(realEstateTransfer, bj('2026-03-02 09:30')), when.accept(accepted));
  const approved = () => extend(transfer(), when.grant('tax', bj('2026-03-03 10:00')), when.decide('land', bj('2026-03-04 10:00'), true));
  const assessed = () => extend(approved(), when.assessFee(bj('2026-03-04 11:00')));
  const paid = () => extend(assessed(), when.payFee(bj('2026-03-04 11:30')));

  it('a single-stage item asks in parallel, with no stage number', () => {
    spec
      .given(submitted(realEstateTransfer, bj('2026-03-02 09:30')))
      .when(when.accept(accepted))
      .then([
        {
          type: 'CaseAccepted',
          data: { ...head(2, accepted), leadDepartment: 'land', promisedDays: 5, legalDays: 30, acceptedAt: accepted, stages: [{ departments: ['tax'], dueDays: 2 }] },
        },
        { type: 'CoApprovalRequested', data: { ...head(3, accepted), requestedBy: 'land', coApprover: 'tax', mode: 'PARALLEL', stage: null, dueDays: 2 } },
      ]);
    spec
      .given(...transfer())
      .when(when.grant('tax', bj('2026-03-03 10:00'), { stage: 1 }))
      .then([{ type: 'CoApprovalGranted', data: { ...head(4, bj('2026-03-03 10:00')), coApprover: 'tax', stage: null, opinion: null } }]);
  });

  it('the item fee is assessed, then paid', () => {
    const at = bj('2026-03-04 11:00');
    spec
      .given(...approved())
      .when(when.assessFee(at))
      .then([
        {
          type: 'FeeAssessed',
          data: { ...head(6, at), amount: '80.00', feeBasis: '不动产登记费：住宅类每件80元（国家发展改革委 财政部 发改价格规〔2016〕2559号）' },
        },
      ]);
    const payAt = bj('2026-03-04 11:30');
    const after = spec
      .given(...assessed())
      .when(when.payFee(payAt, { amount: '80', receiptNo: '45010226000123' }))
      .then([{ type: 'FeePaid', data: { ...head(7, payAt), amount: '80.00', paidAt: payAt, receiptNo: '45010226000123' } }]);
    expect(after.status).toBe('paid');
    const certificateAt = bj('2026-03-05 09:00');
    spec
      .given(...paid())
      .when(when.issueCertificate(certificateAt))
      .then([
        {
          type: 'CertificateIssued',
          data: { ...head(8, certificateAt), certificateNo: `ZZ-${CASE}`, certificateType: '不动产权证书', issuedBy: 'land', validUntil: null },
        },
      ]);
  });

  it('refuses a payment before assessment, twice, or of another amount', () => {
    refused(approved(), when.payFee(bj('2026-03-04 11:00')), { type: 'FeeNotAssessed' });
    refused(assessed(), when.payFee(bj('2026-03-04 11:30'), { amount: '8.00' }), { type: 'WrongAmount', field: 'amount' });
    refused(assessed(), when.payFee(bj('2026-03-04 11:30'), { paidAt: bj('2026-03-04 10:00') }), { type: 'InvalidTime', field: 'paidAt' });
    refused(paid(), when.payFee(bj('2026-03-04 12:00')), { type: 'FeeAlreadyPaid' });
    refused(paid(), when.assessFee(bj('2026-03-04 12:00')), { type: 'FeeAlreadyAssessed' });
  });

  it('refuses the certificate or the delivery before the fee is paid', () => {
    refused(approved(), when.issueCertificate(bj('2026-03-05 09:00')), { type: 'FeeNotAssessed' });
    refused(assessed(), when.issueCertificate(bj('2026-03-05 09:00')), { type: 'FeeNotPaid' });
    refused(paid(), when.deliver(bj('2026-03-05 09:00')), { type: 'CertificateNotIssued' });
  });

  it('refuses a fee for a free item, and a certificate for an item that issues none', () => {
    const registration = history(
      when.submit(insuranceRegistration, bj('2026-03-02 09:00')),
      when.accept(bj('2026-03-02 09:10')),
      when.grant('market', bj('2026-03-02 14:00')),
      when.decide('hrss', bj('2026-03-02 15:00'), true),
    );
    refused(registration, when.assessFee(bj('2026-03-02 16:00')), { type: 'NoFee' });
    refused(registration, when.issueCertificate(bj('2026-03-02 16:00')), { type: 'NoCertificate' });
    // Nothing between the approval and the delivery for this item.
    spec
      .given(...registration)
      .when(when.deliver(bj('2026-03-02 16:00'), 'ELECTRONIC'))
      .then([{ type: 'CaseDelivered', data: { ...head(6, bj('2026-03-02 16:00')), method: 'ELECTRONIC', trackingNo: null } }]);
  });

  it('a fee before the decision is refused', () => {
    refused(transfer(), when.assessFee(bj('2026-03-03 10:00')), { type: 'NotDecided' });
  });
});

describe('supplementary material (补正): suspends the case until it arrives; the task stays open', () => {
  // The issue's example: accepted Mon 03-02 with 5 promised days, due Mon 03-09;
  // suspended Wed 03-04 and resumed Mon 03-09, it is due Thu 03-12.
  const accepted = () => history(when.submit(realEstateTransfer, bj('2026-03-02 09:00')), when.accept(bj('2026-03-02 10:00')));
  const asks = bj('2026-03-04 10:00');
  const suspended = () => extend(accepted(), when.supplement('tax', asks, ['完税证明原件'], '请于5个工作日内补正'));
  const resumes = bj('2026-03-09 15:00');
  const resumed = () => extend(suspended(), when.resume(resumes));

  it('a supplement request suspends the case', () => {
    const after = spec
      .given(...accepted())
      .when(when.supplement('tax', asks, ['完税证明原件', ' '], '请于5个工作日内补正'))
      .then([
        { type: 'SupplementRequested', data: { ...head(4, asks), requestedBy: 'tax', missingMaterials: ['完税证明原件'], note: '请于5个工作日内补正' } },
        { type: 'CaseSuspended', data: { ...head(5, asks), kind: 'SUPPLEMENT', department: 'tax', reason: '补正 (supplementary material): 完税证明原件' } },
      ]);
    const view = caseView(after, calendar, '2026-03-06');
    expect(view).toMatchObject({ status: 'suspended', suspendedSince: '2026-03-04', promisedDueDate: null, legalDueDate: null, workingDaysUsed: 2 });
    expect(view.tasks).toMatchObject([{ department: 'tax', status: 'awaiting-supplement' }]);
  });

  it('the material arrives: the case resumes, and the deadline has moved across the suspension', () => {
    const after = spec
      .given(...suspended())
      .when(when.resume(resumes))
      .then([{ type: 'CaseResumed', data: { ...head(6, resumes), kind: 'SUPPLEMENT', department: 'tax' } }]);
    const view = caseView(after, calendar, '2026-03-10');
    expect(view).toMatchObject({ status: 'co-approval', suspendedSince: null, promisedDueDate: '2026-03-12', workingDaysUsed: 3 });
    expect(view.tasks).toMatchObject([{ department: 'tax', status: 'open' }]);
    // Without the suspension the promise fell due on Mon 03-09.
    expect(caseView(spec.given(...accepted()).state(), calendar, '2026-03-02').promisedDueDate).toBe('2026-03-09');
  });

  it('the department answers again once the material is in', () => {
    const at = bj('2026-03-10 09:00');
    const after = spec.given(...resumed()).when(when.grant('tax', at)).then([{ type: 'CoApprovalGranted', data: { ...head(7, at), coApprover: 'tax', stage: null, opinion: null } }]);
    expect(after.status).toBe('awaiting-decision');
  });

  it('while suspended, the asking department cannot answer, and nobody else may grant or refuse', () => {
    refused(suspended(), when.grant('tax', bj('2026-03-05 09:00')), { type: 'AwaitingSupplement' });
    const twoAsked = history(when.submit(constructionPermit, t.submit), when.accept(t.accept), when.supplement('land', t.landGrants, ['宗地图']));
    refused(twoAsked, when.grant('market', t.marketGrants), { type: 'CaseSuspended' });
    refused(twoAsked, when.refuse('market', t.marketGrants, '营业执照已吊销'), { type: 'CaseSuspended' });
    refused(twoAsked, when.decide('housing', t.marketGrants, true), { type: 'CaseSuspended' });
  });

  it('another department may add what it misses to the same suspension; one resume reopens both', () => {
    const twoAsked = history(when.submit(constructionPermit, t.submit), when.accept(t.accept), when.supplement('land', t.landGrants, ['宗地图']));
    const both = spec
      .given(...twoAsked)
      .when(when.supplement('market', t.marketGrants, ['营业执照副本复印件']))
      .then([{ type: 'SupplementRequested', data: { ...head(7, t.marketGrants), requestedBy: 'market', missingMaterials: ['营业执照副本复印件'], note: null } }]);
    expect(both.suspensions).toHaveLength(1);
    const at = bj('2026-03-05 09:00');
    const after = spec
      .given(...extend(twoAsked, when.supplement('market', t.marketGrants, ['营业执照副本复印件'])))
      .when(when.resume(at))
      .then([{ type: 'CaseResumed', data: { ...head(8, at), kind: 'SUPPLEMENT', department: 'land' } }]);
    expect(after.tasks.map((task) => task.status)).toEqual(['open', 'open']);
  });

  it('refuses a resume without a suspension, or of another kind', () => {
    refused(accepted(), when.resume(bj('2026-03-03 09:00')), { type: 'NotSuspended' });
    refused(resumed(), when.resume(bj('2026-03-10 09:00')), { type: 'NotSuspended' });
    refused(suspended(), { type: 'ResumeCase', data: { caseId: CASE, occurredAt: resumes, kind: 'HEARING' } }, { type: 'WrongSuspensionKind', field: 'kind' });
  });

  it('refuses a supplement request that names no material', () => {
    refused(accepted(), when.supplement('tax', asks, []), { type: 'MaterialsRequired', field: 'materials' });
    refused(accepted(), when.supplement('tax', asks, ['  ']), { type: 'MaterialsRequired' });
  });

  it('the lead may stop the clock for a hearing (听证), once at a time', () => {
    const at = bj('2026-03-03 09:00');
    const hearing: CaseCommand = { type: 'SuspendCase', data: { caseId: CASE, occurredAt: at, department: 'land', kind: 'HEARING', reason: '利害关系人申请听证' } };
    spec.given(...accepted()).when(hearing).then([{ type: 'CaseSuspended', data: { ...head(4, at), kind: 'HEARING', department: 'land', reason: '利害关系人申请听证' } }]);
    refused(extend(accepted(), hearing), hearing, { type: 'AlreadySuspended' });
    refused(extend(accepted(), hearing), when.supplement('tax', at, ['完税证明原件']), { type: 'CaseSuspended' });
    refused(accepted(), { ...hearing, data: { ...hearing.data, department: 'tax' } }, { type: 'NotLeadDepartment' });
    refused(accepted(), { type: 'SuspendCase', data: { caseId: CASE, occurredAt: at, department: 'land', kind: 'EXPERT_REVIEW' } }, { type: 'ReasonRequired', field: 'reason' });
  });

  it('the lead may ask for material itself while it decides', () => {
    const granted = extend(accepted(), when.grant('tax', bj('2026-03-03 09:00')));
    const at = bj('2026-03-04 09:00');
    const after = spec
      .given(...granted)
      .when({ type: 'SuspendCase', data: { caseId: CASE, occurredAt: at, department: 'land', kind: 'SUPPLEMENT', materials: ['房屋平面图'] } })
      .then([
        { type: 'SupplementRequested', data: { ...head(5, at), requestedBy: 'land', missingMaterials: ['房屋平面图'], note: null } },
        { type: 'CaseSuspended', data: { ...head(6, at), kind: 'SUPPLEMENT', department: 'land', reason: '补正 (supplementary material): 房屋平面图' } },
      ]);
    expect(after.resumeTo).toBe('awaiting-decision');
    refused(extend(granted, { type: 'SuspendCase', data: { caseId: CASE, occurredAt: at, department: 'land', kind: 'SUPPLEMENT', materials: ['房屋平面图'] } }), when.grant('tax', at), {
      type: 'NotInCoApproval',
    });
    const back = extend(granted, { type: 'SuspendCase', data: { caseId: CASE, occurredAt: at, department: 'land', kind: 'SUPPLEMENT', materials: ['房屋平面图'] } }, when.resume(bj('2026-03-05 09:00')));
    expect(spec.given(...back).state().status).toBe('awaiting-decision');
  });
});

describe('a refusal mid-stage ends co-approval and goes to the lead with its reason', () => {
  const refusesAt = bj('2026-03-03 15:00');
  const refusedByLand = () => extend(construction.accepted(), when.refuse('land', refusesAt, '建设用地规划许可证未办结'));

  it('the other open task of the stage is cancelled, the case awaits the decision', () => {
    const after = spec
      .given(...construction.accepted())
      .when(when.refuse('land', refusesAt, '建设用地规划许可证未办结'))
      .then([{ type: 'CoApprovalRefused', data: { ...head(5, refusesAt), coApprover: 'land', stage: 1, reason: '建设用地规划许可证未办结' } }]);
    const view = caseView(after, calendar, '2026-03-03');
    expect(view.status).toBe('awaiting-decision');
    expect(view.coApprovalRefusal).toEqual({ department: 'land', stage: 1, reason: '建设用地规划许可证未办结' });
    expect(view.tasks.map((task) => [task.department, task.status])).toEqual([
      ['land', 'refused'],
      ['market', 'cancelled'],
    ]);
  });

  it('nobody answers any more, stage 2 is never asked, the lead cannot approve', () => {
    refused(refusedByLand(), when.grant('market', bj('2026-03-04 09:00')), { type: 'NotInCoApproval' });
    refused(refusedByLand(), when.grant('hrss', bj('2026-03-04 09:00')), { type: 'NotInCoApproval' });
    expect(spec.given(...refusedByLand()).state().tasks.map((task) => task.department)).toEqual(['land', 'market']);
    refused(refusedByLand(), when.decide('housing', bj('2026-03-04 09:00'), true), { type: 'CoApproverRefused' });
  });

  it('the lead refuses with the reason; the refusal is delivered and reviewed, without fee or certificate', () => {
    const at = bj('2026-03-04 09:00');
    spec
      .given(...refusedByLand())
      .when(when.decide('housing', at, false, '协办部门不同意：建设用地规划许可证未办结'))
      .then([{ type: 'CaseDecided', data: { ...head(6, at), outcome: 'REFUSED', decidedBy: 'housing', reason: '协办部门不同意：建设用地规划许可证未办结' } }]);
    const decided = extend(refusedByLand(), when.decide('housing', at, false, '协办部门不同意'));
    refused(decided, when.issueCertificate(bj('2026-03-04 10:00')), { type: 'NotApproved' });
    refused(decided, when.assessFee(bj('2026-03-04 10:00')), { type: 'NotApproved' });
    const delivered = extend(decided, when.deliver(bj('2026-03-05 10:00'), 'POST', 'EMS1234567890'));
    expect(delivered[delivered.length - 1]).toEqual({ type: 'CaseDelivered', data: { ...head(7, bj('2026-03-05 10:00')), method: 'POST', trackingNo: 'EMS1234567890' } });
    const reviewed = extend(delivered, when.review(bj('2026-03-06 10:00'), 2, '材料要求没有一次说清'));
    expect(spec.given(...reviewed).state().review).toMatchObject({ rating: 'DISSATISFIED', grade: 2 });
  });

  it('a refusal states its reason', () => {
    refused(construction.accepted(), when.refuse('land', refusesAt), { type: 'ReasonRequired', field: 'reason' });
    refused(construction.accepted(), when.refuse('land', refusesAt, '   '), { type: 'ReasonRequired' });
    refused(refusedByLand(), when.decide('housing', bj('2026-03-04 09:00'), false), { type: 'ReasonRequired', field: 'reason' });
  });
});

describe('intake (受理 / 不予受理)', () => {
  it('a case for an unknown item is refused at acceptance, with the reason', () => {
    const unknown = { code: '11450100MB0000000X4000199999000', name: '不存在的事项' };
    const at = bj('2026-03-02 10:00');
    const after = spec
      .given(submitted(unknown, bj('2026-03-02 09:00')))
      .when(when.accept(at))
      .then([
        {
          type: 'CaseRefusedAtIntake',
          data: { ...head(2, at), department: 'NN-XN-ZWZX', reason: 'unknown item 11450100MB0000000X4000199999000: it is not in the item catalogue (事项目录中无此事项)' },
        },
      ]);
    expect(caseView(after, calendar, '2026-03-02')).toMatchObject({ status: 'refused-at-intake', promisedDueDate: null, workingDaysUsed: null });
  });

  it('the window refuses at intake with a reason, in the lead department’s name', () => {
    const at = bj('2026-03-02 10:00');
    spec
      .given(...construction.submitted())
      .when(when.refuseAtIntake(at, '申请事项不属于本行政机关职权范围'))
      .then([{ type: 'CaseRefusedAtIntake', data: { ...head(2, at), department: 'housing', reason: '申请事项不属于本行政机关职权范围' } }]);
    refused(construction.submitted(), when.refuseAtIntake(at, ''), { type: 'ReasonRequired', field: 'reason' });
  });

  it('refuses an acceptance of a case refused at intake, and every later step', () => {
    const refusedAtIntake = extend(construction.submitted(), when.refuseAtIntake(t.accept, '材料不齐全'));
    refused(refusedAtIntake, when.accept(t.landGrants), { type: 'RefusedAtIntake' });
    refused(refusedAtIntake, when.refuseAtIntake(t.landGrants, '再次'), { type: 'RefusedAtIntake' });
    refused(refusedAtIntake, when.grant('land', t.landGrants), { type: 'RefusedAtIntake' });
    refused(refusedAtIntake, when.decide('housing', t.landGrants, true), { type: 'RefusedAtIntake' });
    refused(refusedAtIntake, when.deliver(t.landGrants), { type: 'RefusedAtIntake' });
  });

  it('refuses accepting twice', () => {
    refused(construction.accepted(), when.accept(t.landGrants), { type: 'AlreadyAccepted' });
    refused(construction.approved(), when.refuseAtIntake(t.certificate, '材料不齐全'), { type: 'AlreadyAccepted' });
  });

  it('refuses a second submission and steps of a case never submitted', () => {
    refused(construction.submitted(), when.submit(constructionPermit, t.accept), { type: 'AlreadySubmitted' });
    refused([], when.accept(t.accept), { type: 'CaseNotFound' });
    refused(construction.submitted(), { type: 'AcceptCase', data: { caseId: 'GW-OTHER', occurredAt: t.accept } }, { type: 'CaseMismatch' });
  });

  it('refuses answers and decisions before acceptance', () => {
    refused(construction.submitted(), when.grant('land', t.accept), { type: 'NotAccepted' });
    refused(construction.submitted(), when.decide('housing', t.accept, true), { type: 'NotAccepted' });
  });

  it('an item without co-approvers goes straight to the lead', () => {
    const at = bj('2026-03-02 10:00');
    const after = spec
      .given(submitted(hukouTransfer, bj('2026-03-02 09:00')))
      .when(when.accept(at))
      .then([{ type: 'CaseAccepted', data: { ...head(2, at), leadDepartment: 'ps', promisedDays: 5, legalDays: 20, acceptedAt: at, stages: [] } }]);
    expect(after.status).toBe('awaiting-decision');
    refused(extend([submitted(hukouTransfer, bj('2026-03-02 09:00'))], when.accept(at)), when.grant('civil', at), { type: 'NotInCoApproval' });
  });

  it('counts from the Asia/Shanghai date of acceptance: 00:30 in Beijing is the next day', () => {
    const justAfterMidnight = bj('2026-03-03 00:30'); // 2026-03-02T16:30Z
    const accepted = extend([submitted(constructionPermit, bj('2026-03-03 00:10'))], when.accept(justAfterMidnight));
    expect(caseView(spec.given(...accepted).state(), calendar, '2026-03-03')).toMatchObject({ promisedDueDate: '2026-03-10', legalDueDate: '2026-03-12' });
    const lateEvening = extend([submitted(constructionPermit, bj('2026-03-02 23:00'))], when.accept(bj('2026-03-02 23:30')));
    expect(caseView(spec.given(...lateEvening).state(), calendar, '2026-03-02')).toMatchObject({ promisedDueDate: '2026-03-09' });
  });

  it('across National Day 2026 the limit skips the holiday and counts the make-up Saturday', () => {
    // Accepted Wed 30 Sep; 1 to 7 Oct are off; Thu 8, Fri 9, Sat 10 (调休, a working day), Mon 12, Tue 13 count.
    const accepted = extend([submitted(constructionPermit, bj('2026-09-30 09:00'))], when.accept(bj('2026-09-30 10:00')));
    expect(caseView(spec.given(...accepted).state(), calendar, '2026-09-30')).toMatchObject({ promisedDueDate: '2026-10-13', legalDueDate: '2026-10-15' });
  });

  it('past the calendar’s horizon the deadline is provisional', () => {
    const accepted = extend([submitted(constructionPermit, bj('2026-12-28 09:00'))], when.accept(bj('2026-12-28 10:00')));
    expect(caseView(spec.given(...accepted).state(), calendar, '2026-12-28')).toMatchObject({ promisedDueDate: '2027-01-04', deadlineProvisional: true });
  });
});

describe('co-approval answers that are refused', () => {
  it('a grant from a department that was not asked', () => {
    refused(construction.accepted(), when.grant('ps', t.landGrants), { type: 'NotAsked', message: 'ps has not been asked to co-approve case GW-0A1B2C3D4E5F60718293: it is not a co-approver of this case' });
    refused(construction.accepted(), when.grant('hrss', t.landGrants), { type: 'NotAsked', message: expect.stringContaining('its stage 2 has not opened') });
  });

  it('an answer for a stage that is not open', () => {
    refused(construction.stage2(), when.grant('land', t.hrssGrants), { type: 'StageNotOpen' });
    refused(construction.stage2(), when.grant('land', t.hrssGrants, { stage: 1 }), { type: 'StageNotOpen', field: 'stage' });
    refused(construction.stage2(), when.grant('hrss', t.hrssGrants, { stage: 1 }), { type: 'StageNotOpen', field: 'stage' });
    refused(construction.accepted(), when.grant('land', t.landGrants, { stage: 2 }), { type: 'StageNotOpen' });
  });

  it('a second answer to a task already granted', () => {
    refused(extend(construction.accepted(), when.grant('land', t.landGrants)), when.refuse('land', t.marketGrants, '改变主意'), { type: 'AlreadyAnswered' });
  });

  it('an answer after co-approval is over', () => {
    refused(construction.coApproved(), when.grant('hrss', t.decide), { type: 'NotInCoApproval' });
  });
});

describe('decisions that are refused', () => {
  it('a decision while co-approval is open', () => {
    refused(construction.stage2(), when.decide('housing', t.hrssGrants, true), { type: 'CoApprovalOpen' });
  });

  it('a decision by another department than the lead', () => {
    refused(construction.coApproved(), when.decide('land', t.decide, true), { type: 'NotLeadDepartment' });
  });

  it('a decision on a completed case', () => {
    refused(construction.approved(), when.decide('housing', t.certificate, false, '重新审查'), { type: 'AlreadyDecided' });
    refused(construction.delivered(), when.decide('housing', t.review, true), { type: 'AlreadyDecided' });
    refused(construction.approved(), { type: 'SuspendCase', data: { caseId: CASE, occurredAt: t.certificate, department: 'housing', kind: 'HEARING', reason: '听证' } }, { type: 'AlreadyDecided' });
  });
});

describe('the steps after the decision that are refused', () => {
  it('a delivery or certificate twice, a review before delivery or twice', () => {
    refused(construction.approved(), when.deliver(t.deliver), { type: 'CertificateNotIssued' });
    refused(extend(construction.approved(), when.issueCertificate(t.certificate)), when.issueCertificate(t.deliver), { type: 'CertificateAlreadyIssued' });
    refused(construction.delivered(), when.deliver(t.review), { type: 'AlreadyDelivered' });
    refused(construction.approved(), when.review(t.review, 5), { type: 'CertificateNotIssued' });
    refused(extend(construction.approved(), when.issueCertificate(t.certificate)), when.review(t.review, 5), { type: 'NotDelivered' });
    refused(extend(construction.delivered(), when.review(t.review, 5)), when.review(t.review, 1), { type: 'AlreadyReviewed' });
  });

  it('a review grade out of 1..5', () => {
    for (const grade of [0, 6, 3.5, -1, Number.NaN]) refused(construction.delivered(), when.review(t.review, grade), { type: 'InvalidGrade', field: 'grade' });
    const grades = [1, 2, 3, 4, 5].map((grade) => spec.given(...extend(construction.delivered(), when.review(t.review, grade))).state().review?.rating);
    expect(grades).toEqual(['VERY_DISSATISFIED', 'DISSATISFIED', 'BASICALLY_SATISFIED', 'SATISFIED', 'VERY_SATISFIED']);
  });

  it('a posted delivery without its tracking number', () => {
    refused(extend(construction.approved(), when.issueCertificate(t.certificate)), when.deliver(t.deliver, 'POST'), { type: 'TrackingNumberRequired', field: 'trackingNo' });
  });

  it('a delivery before the decision', () => {
    refused(construction.accepted(), when.deliver(t.deliver), { type: 'NotDecided' });
  });
});

describe('time comes in the command', () => {
  it('refuses an occurredAt before the previous step of the case, naming the field', () => {
    const error = refused(construction.accepted(), when.grant('land', bj('2026-03-02 09:59')), { type: 'OccurredBeforePreviousStep', field: 'occurredAt' });
    expect(error.message).toContain('CoApprovalRequested at 2026-03-02T02:00:00.000Z');
    refused(construction.delivered(), when.review(bj('2026-03-01 10:00'), 5), { type: 'OccurredBeforePreviousStep' });
    // The same instant as the previous step is not before it.
    spec.given(...construction.accepted()).when(when.grant('land', t.accept)).thenAnswers(expect.anything());
  });

  it('refuses a time that is not one', () => {
    refused(construction.accepted(), when.grant('land', new Date(Number.NaN)), { type: 'InvalidTime', field: 'occurredAt' });
  });
});

describe('the item table behind the decider', () => {
  it('a redefined item does not change the plan of a case accepted before', () => {
    const redefined = { ...constructionPermit, stages: [{ departments: ['land' as const], dueDays: 2 }] };
    const later = caseDecider({ items: (code) => (code === constructionPermit.code ? redefined : items(code)), calendar });
    const past = extend(construction.accepted(), when.grant('land', t.landGrants));
    const decision = later.decide(when.grant('market', t.marketGrants), spec.given(...past).state());
    expect(decision.ok && decision.events.map((event) => event.type)).toEqual(['CoApprovalGranted', 'CoApprovalRequested']);
  });

  it('reads the plan from the item table when the acceptance record carries none', () => {
    const withoutPlan = construction.stage2().map((event) => (event.type === 'CaseAccepted' ? { ...event, data: { ...event.data, stages: null } } : event));
    expect(spec.given(...withoutPlan).state().plan).toBeUndefined();
    spec.given(...withoutPlan.slice(0, 5)).when(when.grant('market', t.marketGrants)).then(construction.stage2().slice(5));
  });
});

describe('refusals', () => {
  it('every refusal the decider can give has a spec above', () => {
    expect([...caseRefusalTypes].filter((type) => !refusalsSeen.has(type))).toEqual([]);
  });
});
