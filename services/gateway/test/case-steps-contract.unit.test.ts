import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { memoryDesks, type MemoryDesks } from './desk.ts';
import { bearer, memoryAudit, memoryCases, memoryPublisher, personCase, testConfig, type tokens } from './support.ts';

type Who = keyof typeof tokens;

let app: FastifyInstance;
let audit: ReturnType<typeof memoryAudit>;
let desks: MemoryDesks;
/** Tuesday 10 June 2025, noon in Beijing: after every step below. */
const now = new Date('2025-06-10T04:00:00.000Z');

async function build() {
  audit = memoryAudit();
  const cases = memoryCases();
  desks = memoryDesks(cases);
  app = await buildApp(testConfig(), { audit, publisher: memoryPublisher(), cases, ...desks, now: () => now });
  return app;
}
afterEach(async () => {
  await app?.close();
});

/** 不动产转移登记: land leads, tax co-approves (one stage), a fee of 80.00 and a certificate. */
const transfer = { itemCode: '11450100MB190375424000118002000', itemName: '不动产转移登记' };
/** 食品经营许可（新办）, as personCase has it: market leads, housing co-approves, free, with a certificate. */
const foodLicence = { itemCode: personCase.itemCode, itemName: personCase.itemName };

const post = (who: Who | undefined, url: string, body: unknown = {}) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...(who ? bearer(who) : {}) }, payload: JSON.stringify(body) });
const step = (who: Who | undefined, caseId: string, name: string, body: unknown = {}) => post(who, `/v1/cases/${caseId}/${name}`, body);
const read = (who: Who, caseId: string) => app.inject({ method: 'GET', url: `/v1/cases/${caseId}`, headers: bearer(who) });

/** Submits a case of `item` at 09:00 Beijing on Tuesday 3 June 2025 (the first working day after 端午). */
async function submit(item: { itemCode: string; itemName: string } = transfer): Promise<string> {
  const response = await post('window', '/v1/cases', { ...personCase, ...item, submittedAt: '2025-06-03T01:00:00.000Z' });
  expect(response.statusCode).toBe(201);
  return response.json().caseId;
}

/** Submitted and accepted at 09:30 on 3 June: in co-approval. */
async function accepted(item = transfer): Promise<string> {
  const caseId = await submit(item);
  expect((await step('window', caseId, 'acceptance', { accepted: true, occurredAt: '2025-06-03T01:30:00.000Z' })).statusCode).toBe(200);
  return caseId;
}

/** Accepted, granted by tax on 4 June, approved by land on 5 June. */
async function approved(): Promise<string> {
  const caseId = await accepted();
  expect((await step('tax', caseId, 'answers', { answer: 'grant', occurredAt: '2025-06-04T02:00:00.000Z' })).statusCode).toBe(200);
  expect((await step('land', caseId, 'decision', { approved: true, occurredAt: '2025-06-05T02:00:00.000Z' })).statusCode).toBe(200);
  return caseId;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('a case from acceptance to review', () => {
  it('answers every step with the case after it and the events it recorded, and GET shows the whole case', async () => {
    await build();
    const caseId = await submit();

    const acceptance = await step('window', caseId, 'acceptance', { accepted: true, occurredAt: '2025-06-03T01:30:00.000Z' });
    expect(acceptance.statusCode).toBe(200);
    expect(acceptance.json()).toMatchObject({
      case: {
        caseId,
        status: 'co-approval',
        leadDepartment: 'land',
        acceptedAt: '2025-06-03T01:30:00.000Z',
        // Five working days from Wednesday 4 June; thirty end on 15 July.
        promisedDueDate: '2025-06-10',
        legalDueDate: '2025-07-15',
        workingDaysUsed: 0,
        tasks: [{ department: 'tax', stage: 1, status: 'open', requestedAt: '2025-06-03T01:30:00.000Z', dueDate: '2025-06-05', answeredAt: null }],
      },
      events: [{ type: 'CaseAccepted', eventId: `${caseId}:2` }, { type: 'CoApprovalRequested', eventId: `${caseId}:3` }],
    });
    expect(desks.caseDesk.commands[0]).toEqual({ type: 'AcceptCase', data: { caseId, occurredAt: new Date('2025-06-03T01:30:00.000Z') } });

    const answer = await step('tax', caseId, 'answers', { answer: 'grant', reason: '契税已完税', occurredAt: '2025-06-04T02:00:00.000Z' });
    expect(answer.json()).toMatchObject({ case: { status: 'awaiting-decision', tasks: [{ department: 'tax', status: 'granted', answeredAt: '2025-06-04T02:00:00.000Z' }] }, events: [{ type: 'CoApprovalGranted' }] });
    expect(desks.caseDesk.commands[1]).toMatchObject({ type: 'AnswerCoApproval', data: { department: 'tax', answer: 'grant', reason: '契税已完税' } });

    const decision = await step('land', caseId, 'decision', { approved: true, occurredAt: '2025-06-05T02:00:00.000Z' });
    expect(decision.json()).toMatchObject({ case: { status: 'approved', workingDaysUsed: 2 }, events: [{ type: 'CaseDecided' }] });

    const fee = await step('window', caseId, 'fee', { occurredAt: '2025-06-05T03:00:00.000Z' });
    expect(fee.json()).toMatchObject({ case: { status: 'fee-assessed' }, events: [{ type: 'FeeAssessed' }] });
    const payment = await step('window', caseId, 'payment', { amount: '80.00', receiptNo: 'PJ-2025-000117', paidAt: '2025-06-05T03:10:00.000Z', occurredAt: '2025-06-05T03:15:00.000Z' });
    expect(payment.json()).toMatchObject({ case: { status: 'paid' }, events: [{ type: 'FeePaid' }] });
    // The lead department issues the certificate itself: the window or the lead takes the steps after the decision.
    const certificate = await step('land', caseId, 'certificate', { certificateNo: '桂(2025)南宁市不动产权第0012345号', validUntil: '2095-06-05', occurredAt: '2025-06-06T02:00:00.000Z' });
    expect(certificate.json()).toMatchObject({ case: { status: 'certificate-issued' }, events: [{ type: 'CertificateIssued' }] });
    expect(desks.caseDesk.commands.at(-1)).toMatchObject({ type: 'IssueCertificate', data: { certificateNo: '桂(2025)南宁市不动产权第0012345号', validUntil: '2095-06-05' } });
    const delivery = await step('window', caseId, 'delivery', { method: 'post', trackingNo: 'SF1234567890', occurredAt: '2025-06-06T03:00:00.000Z' });
    expect(delivery.json()).toMatchObject({ case: { status: 'delivered' }, events: [{ type: 'CaseDelivered' }] });
    expect(desks.caseDesk.commands.at(-1)).toMatchObject({ type: 'DeliverResult', data: { method: 'POST', trackingNo: 'SF1234567890' } });
    // occurredAt left out: the gateway's clock.
    const review = await step('window', caseId, 'review', { grade: 5, comment: '一次办好' });
    expect(review.json()).toMatchObject({ case: { status: 'reviewed' }, events: [{ type: 'CaseReviewed', eventId: `${caseId}:10` }] });
    expect(desks.caseDesk.commands.at(-1)).toEqual({ type: 'ReviewCase', data: { caseId, occurredAt: now, grade: 5, comment: '一次办好' } });

    const got = await read('window', caseId);
    expect(got.statusCode).toBe(200);
    const view = got.json();
    expect(Object.keys(view).sort()).toEqual([
      'acceptedAt', 'caseId', 'coApprovalRefusal', 'deadlineProvisional', 'history', 'itemCode', 'itemName', 'leadDepartment',
      'legalDueDate', 'promisedDueDate', 'status', 'suspendedSince', 'tasks', 'workingDaysUsed',
    ]);
    expect(view).toMatchObject({
      caseId,
      ...transfer,
      status: 'reviewed',
      leadDepartment: 'land',
      acceptedAt: '2025-06-03T01:30:00.000Z',
      promisedDueDate: '2025-06-10',
      legalDueDate: '2025-07-15',
      // Counted to the decision once the case is completed.
      workingDaysUsed: 2,
      deadlineProvisional: false,
      suspendedSince: null,
      coApprovalRefusal: null,
    });
    expect(view.promisedDueDate).toMatch(isoDate);
    expect(view.tasks).toEqual([{ department: 'tax', stage: 1, status: 'granted', requestedAt: '2025-06-03T01:30:00.000Z', dueDate: '2025-06-05', answeredAt: '2025-06-04T02:00:00.000Z' }]);
    expect(view.history.map((entry: { type: string }) => entry.type)).toEqual([
      'CaseSubmitted', 'CaseAccepted', 'CoApprovalRequested', 'CoApprovalGranted', 'CaseDecided', 'FeeAssessed', 'FeePaid', 'CertificateIssued', 'CaseDelivered', 'CaseReviewed',
    ]);
    for (const entry of view.history) expect(entry.occurredAt).toMatch(isoInstant);
    // Each entry keeps the fields of its type.
    expect(view.history).toEqual(expect.arrayContaining([
      { type: 'CaseSubmitted', occurredAt: '2025-06-03T01:00:00.000Z' },
      { type: 'CoApprovalRequested', occurredAt: '2025-06-03T01:30:00.000Z', department: 'tax', stage: 1, dueDays: 2 },
      { type: 'CoApprovalGranted', occurredAt: '2025-06-04T02:00:00.000Z', department: 'tax', stage: 1, opinion: '契税已完税' },
      { type: 'CaseDecided', occurredAt: '2025-06-05T02:00:00.000Z', department: 'land', outcome: 'APPROVED' },
      { type: 'FeePaid', occurredAt: '2025-06-05T03:15:00.000Z', amount: '80.00', receiptNo: 'PJ-2025-000117' },
      { type: 'CertificateIssued', occurredAt: '2025-06-06T02:00:00.000Z', department: 'land', certificateNo: '桂(2025)南宁市不动产权第0012345号' },
      { type: 'CaseDelivered', occurredAt: '2025-06-06T03:00:00.000Z', method: 'POST' },
      { type: 'CaseReviewed', occurredAt: now.toISOString(), grade: 5 },
    ]));

    expect(audit.events.filter((event) => event.outcome === 'accepted').map((event) => event.action)).toEqual([
      'cases.submit', 'cases.acceptance', 'cases.answers', 'cases.decision', 'cases.fee', 'cases.payment', 'cases.certificate', 'cases.delivery', 'cases.review', 'cases.read',
    ]);
    expect(audit.events.find((event) => event.action === 'cases.acceptance')).toMatchObject({ actor: 'window', target: caseId, status: 200, caseId, eventIds: [`${caseId}:2`, `${caseId}:3`] });
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toMatch(/gateway_case_steps_total\{step="acceptance",outcome="committed"[^}]*\} 1/);
  });

  it('refuses at intake with the reason given to the applicant', async () => {
    await build();
    const caseId = await submit();
    const refused = await step('window', caseId, 'acceptance', { accepted: false, reason: '申请人不具备申请资格', occurredAt: '2025-06-03T02:00:00.000Z' });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({ case: { status: 'refused-at-intake', leadDepartment: null, promisedDueDate: null }, events: [{ type: 'CaseRefusedAtIntake' }] });
    expect((await read('window', caseId)).json().history[1]).toMatchObject({ type: 'CaseRefusedAtIntake', reason: '申请人不具备申请资格', department: 'land' });
  });

  it('stops the clock for supplementary material a co-approver asks for, and resumes it when the window has it', async () => {
    await build();
    const caseId = await accepted();
    const asked = await step('tax', caseId, 'answers', { answer: 'supplement', materials: ['契税完税凭证'], reason: '请补充完税凭证', occurredAt: '2025-06-04T02:00:00.000Z' });
    expect(asked.json()).toMatchObject({
      case: { status: 'suspended', suspendedSince: '2025-06-04', promisedDueDate: null, tasks: [{ department: 'tax', status: 'awaiting-supplement' }] },
      events: [{ type: 'SupplementRequested' }, { type: 'CaseSuspended' }],
    });
    const resumed = await step('window', caseId, 'supplements', { occurredAt: '2025-06-06T02:00:00.000Z' });
    expect(resumed.statusCode).toBe(200);
    // 4 June counts; 5 and 6 June do not: the promise moves from 10 to 12 June.
    expect(resumed.json()).toMatchObject({ case: { status: 'co-approval', suspendedSince: null, promisedDueDate: '2025-06-12', tasks: [{ status: 'open' }] }, events: [{ type: 'CaseResumed' }] });
    expect(desks.caseDesk.commands.at(-1)).toMatchObject({ type: 'ResumeCase', data: { kind: 'SUPPLEMENT' } });
  });

  it('lets the lead suspend a case for expert review; the window cannot end that as a supplement', async () => {
    await build();
    const caseId = await accepted();
    const suspended = await step('land', caseId, 'suspension', { kind: 'expert-review', reason: '组织专家评审', occurredAt: '2025-06-04T02:00:00.000Z' });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({ case: { status: 'suspended', suspendedSince: '2025-06-04' }, events: [{ type: 'CaseSuspended' }] });
    expect(desks.caseDesk.commands.at(-1)).toMatchObject({ type: 'SuspendCase', data: { department: 'land', kind: 'EXPERT_REVIEW', reason: '组织专家评审' } });
    expect((await read('land', caseId)).json().history.at(-1)).toMatchObject({ type: 'CaseSuspended', kind: 'EXPERT_REVIEW', department: 'land', reason: '组织专家评审' });

    // The route names no kind: the aggregate's refusal of it is about the case's state, not the caller's field.
    const resumed = await step('window', caseId, 'supplements');
    expect(resumed.statusCode).toBe(409);
    expect(resumed.json()).toMatchObject({ code: 'GW_STEP_REFUSED', refusal: 'WrongSuspensionKind', detail: expect.stringContaining('EXPERT_REVIEW') });

    const byCoApprover = await step('tax', caseId, 'suspension', { kind: 'hearing', reason: '听证' });
    expect(byCoApprover.statusCode).toBe(403);
    expect(byCoApprover.json()).toMatchObject({ refusal: 'NotLeadDepartment' });

    // The lead ends the review: another procedure named is 400 naming kind; the right one resumes the case.
    const wrongKind = await step('land', caseId, 'resumption', { kind: 'hearing', occurredAt: '2025-06-06T02:00:00.000Z' });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json()).toMatchObject({ refusal: 'WrongSuspensionKind', errors: [{ field: 'body.kind' }] });
    expect((await step('tax', caseId, 'resumption', { kind: 'expert-review' })).statusCode).toBe(403);
    const ended = await step('land', caseId, 'resumption', { kind: 'expert-review', occurredAt: '2025-06-06T02:00:00.000Z' });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ case: { status: 'co-approval', suspendedSince: null }, events: [{ type: 'CaseResumed' }] });
    expect(desks.caseDesk.commands.at(-1)).toMatchObject({ type: 'ResumeCase', data: { kind: 'EXPERT_REVIEW' } });
  });
});

describe('who takes which step', () => {
  it('refuses a step to a role it is not for, before reading the body and without asking the router', async () => {
    await build();
    const caseId = await accepted();
    const commands = desks.caseDesk.commands.length;
    const forbidden: Array<[Who, string, unknown]> = [
      ['tax', 'acceptance', { accepted: true }],
      ['operator', 'acceptance', { accepted: true }],
      ['window', 'answers', { answer: 'grant' }],
      ['operator', 'answers', { answer: 'grant' }],
      ['land', 'supplements', {}],
      ['window', 'decision', { approved: true }],
      ['window', 'suspension', { kind: 'hearing', reason: '听证' }],
      ['operator', 'fee', {}],
      ['land', 'review', { grade: 5 }],
      // Not even a valid body: the role is settled first.
      ['tax', 'review', { grade: 'excellent' }],
    ];
    for (const [who, name, body] of forbidden) {
      const response = await step(who, caseId, name, body);
      expect(response.statusCode, `${who} ${name}`).toBe(403);
      expect(response.json().code).toBe('GW_FORBIDDEN_STEP');
    }
    expect(desks.caseDesk.commands).toHaveLength(commands);
    expect((await step('tax', caseId, 'acceptance', { accepted: true })).json().detail).toBe('department tax may not accept or refuse cases at intake: only a service-centre window does');
    expect(audit.events.at(-1)).toMatchObject({ actor: 'tax', action: 'cases.acceptance', target: caseId, outcome: 'refused', status: 403, reason: { code: 'GW_FORBIDDEN_STEP' } });
  });

  it('answers 403 to a department acting on a task not addressed to it, with the aggregate\'s refusal', async () => {
    await build();
    const caseId = await accepted();
    const notAsked = await step('ps', caseId, 'answers', { answer: 'grant' });
    expect(notAsked.statusCode).toBe(403);
    expect(notAsked.json()).toMatchObject({ code: 'GW_NOT_YOUR_TASK', refusal: 'NotAsked', detail: `ps has not been asked to co-approve case ${caseId}: it is not a co-approver of this case` });
    await step('tax', caseId, 'answers', { answer: 'grant', occurredAt: '2025-06-04T02:00:00.000Z' });
    const notLead = await step('tax', caseId, 'decision', { approved: true });
    expect(notLead.statusCode).toBe(403);
    expect(notLead.json()).toMatchObject({ code: 'GW_NOT_YOUR_TASK', refusal: 'NotLeadDepartment' });
  });

  it('lets the window or the case\'s lead take the steps after the decision, no other department', async () => {
    await build();
    const caseId = await approved();
    const byTax = await step('tax', caseId, 'fee');
    expect(byTax.statusCode).toBe(403);
    expect(byTax.json()).toMatchObject({ code: 'GW_FORBIDDEN_STEP', detail: 'department tax may not assess fees: only a service-centre window or the case\'s lead department (land) does' });
    expect((await step('land', caseId, 'fee')).statusCode).toBe(200);
    expect((await step('ps', caseId, 'payment')).statusCode).toBe(403);
    expect((await step('land', caseId, 'payment')).statusCode).toBe(200);
  });

  it('needs a token', async () => {
    await build();
    const caseId = await submit();
    const response = await step(undefined, caseId, 'acceptance', { accepted: true });
    expect(response.statusCode).toBe(401);
    expect(audit.events.at(-1)).toMatchObject({ actor: null, action: 'cases.acceptance', target: caseId, status: 401 });
  });
});

describe('the time of a step', () => {
  it('refuses an occurredAt in the future with 400 naming it, without asking the router', async () => {
    await build();
    const caseId = await submit();
    const response = await step('window', caseId, 'acceptance', { accepted: true, occurredAt: '2025-06-10T04:00:01.000Z' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      code: 'VALIDATION',
      errors: [{ field: 'body.occurredAt', reason: 'occurredAt 2025-06-10T04:00:01.000Z is in the future (the gateway\'s clock says 2025-06-10T04:00:00.000Z)' }],
    });
    expect(desks.caseDesk.commands).toEqual([]);
  });

  it('refuses an occurredAt before the case\'s previous step with 400 naming it and the refusal', async () => {
    await build();
    const caseId = await accepted();
    const response = await step('tax', caseId, 'answers', { answer: 'grant', occurredAt: '2025-06-03T01:00:00.000Z' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION',
      refusal: 'OccurredBeforePreviousStep',
      errors: [{ field: 'body.occurredAt', reason: 'occurredAt 2025-06-03T01:00:00.000Z is before the previous step of the case (CoApprovalRequested at 2025-06-03T01:30:00.000Z)' }],
    });
  });

  it('refuses an occurredAt that is not a date-time', async () => {
    await build();
    const caseId = await submit();
    const response = await step('window', caseId, 'acceptance', { accepted: true, occurredAt: '3 June' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'body.occurredAt' })]);
  });

  it('takes a submission time given with the case, and refuses one in the future', async () => {
    await build();
    const caseId = await submit();
    expect((await read('window', caseId)).json().history[0]).toEqual({ type: 'CaseSubmitted', occurredAt: '2025-06-03T01:00:00.000Z' });
    const future = await post('window', '/v1/cases', { ...personCase, submittedAt: '2025-06-11T00:00:00+08:00' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toEqual([{ field: 'body.submittedAt', reason: 'submittedAt 2025-06-10T16:00:00.000Z is in the future (the gateway\'s clock says 2025-06-10T04:00:00.000Z)' }]);
  });
});

describe('refusals of the case aggregate', () => {
  it('answers 409 with the aggregate\'s message and refusal for a transition the case does not allow', async () => {
    await build();
    const caseId = await approved();
    const again = await step('land', caseId, 'decision', { approved: false, reason: '改变主意' });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: `case ${caseId} was decided (APPROVED) at 2025-06-05T02:00:00.000Z; it is completed (办结)`,
      code: 'GW_STEP_REFUSED',
      instance: `/v1/cases/${caseId}/decision`,
      refusal: 'AlreadyDecided',
    });
    expect(audit.events.at(-1)).toMatchObject({ action: 'cases.decision', outcome: 'refused', status: 409, reason: { code: 'GW_STEP_REFUSED' } });
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toMatch(/gateway_case_steps_total\{step="decision",outcome="refused"[^}]*\} 1/);
  });

  it('answers 409 for a fee on a free item and a step out of order', async () => {
    await build();
    const caseId = await accepted(foodLicence);
    await step('housing', caseId, 'answers', { answer: 'grant', occurredAt: '2025-06-04T02:00:00.000Z' });
    await step('market', caseId, 'decision', { approved: true, occurredAt: '2025-06-05T02:00:00.000Z' });
    expect((await step('window', caseId, 'fee')).json()).toMatchObject({ status: 409, refusal: 'NoFee' });
    expect((await step('window', caseId, 'review', { grade: 4 })).json()).toMatchObject({ status: 409, refusal: 'CertificateNotIssued' });
  });

  it('answers 400 naming the field the aggregate finds wanting', async () => {
    await build();
    const caseId = await submit();
    const noReason = await step('window', caseId, 'acceptance', { accepted: false });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ refusal: 'ReasonRequired', errors: [{ field: 'body.reason', reason: 'a refusal at intake gives the applicant its reason (不予受理理由)' }] });

    const paying = await approved();
    await step('window', paying, 'fee', { occurredAt: '2025-06-05T03:00:00.000Z' });
    const wrong = await step('window', paying, 'payment', { amount: '8.00' });
    expect(wrong.json()).toMatchObject({ status: 400, refusal: 'WrongAmount', errors: [{ field: 'body.amount', reason: 'the fee assessed is 80.00 yuan, not 8.00' }] });
  });

  it('refuses a body that does not fit the schema', async () => {
    await build();
    const caseId = await submit();
    expect((await step('window', caseId, 'acceptance', {})).json()).toMatchObject({ status: 400, errors: [{ field: 'body.accepted' }] });
    expect((await step('window', caseId, 'review', { grade: 6 })).json()).toMatchObject({ status: 400, errors: [{ field: 'body.grade', reason: 'must be <= 5' }] });
    expect((await step('land', caseId, 'suspension', { kind: 'holiday' })).statusCode).toBe(400);
  });

  it('answers 404 for a case never submitted, on a step and on a read', async () => {
    await build();
    const step404 = await step('window', 'GW-00000000000000000000', 'acceptance', { accepted: true });
    expect(step404.statusCode).toBe(404);
    expect(step404.json()).toMatchObject({ code: 'GW_UNKNOWN_CASE', refusal: 'CaseNotFound', detail: 'no case GW-00000000000000000000 has been submitted' });
    // The lead check of a department reads the case first.
    expect((await step('land', 'GW-00000000000000000000', 'fee')).statusCode).toBe(404);
    const read404 = await read('window', 'GW-00000000000000000000');
    expect(read404.statusCode).toBe(404);
    expect(read404.json().code).toBe('GW_UNKNOWN_CASE');
  });
});

describe('a step retried with an Idempotency-Key', () => {
  const keyed = (who: Who, caseId: string, name: string, body: unknown, key: string) =>
    app.inject({ method: 'POST', url: `/v1/cases/${caseId}/${name}`, headers: { 'content-type': 'application/json', 'idempotency-key': key, ...bearer(who) }, payload: JSON.stringify(body) });

  it('is answered as the first time, marked Idempotent-Replayed, and decided once', async () => {
    await build();
    const caseId = await accepted();
    const grant = { answer: 'grant', occurredAt: '2025-06-04T02:00:00.000Z' };
    const first = await keyed('tax', caseId, 'answers', grant, 'tax-grant-1');
    const again = await keyed('tax', caseId, 'answers', grant, 'tax-grant-1');
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(desks.caseDesk.commands.filter((c) => c.type === 'AnswerCoApproval')).toHaveLength(1);
  });

  it('with another request is 409, and nothing is decided', async () => {
    await build();
    const caseId = await accepted();
    expect((await keyed('tax', caseId, 'answers', { answer: 'grant', occurredAt: '2025-06-04T02:00:00.000Z' }, 'tax-1')).statusCode).toBe(200);
    const other = await keyed('tax', caseId, 'answers', { answer: 'refuse', reason: '欠税', occurredAt: '2025-06-04T03:00:00.000Z' }, 'tax-1');
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'GW_IDEMPOTENCY_KEY_REUSED' });
    expect(desks.caseDesk.commands.filter((c) => c.type === 'AnswerCoApproval')).toHaveLength(1);
  });
});

describe('a desk that cannot answer', () => {
  it('is 503 with Retry-After, hiding why, on a step and on a read', async () => {
    await build();
    const caseId = await submit();
    desks.caseDesk.failWith = new Error('KafkaJSNumberOfRetriesExceeded: broker 127.0.0.1:9092 down');
    const response = await step('window', caseId, 'acceptance', { accepted: true });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().code).toBe('GW_UNAVAILABLE');
    expect(response.body).not.toContain('9092');
    expect(audit.events.at(-1)).toMatchObject({ action: 'cases.acceptance', outcome: 'failed', status: 503 });
    const got = await read('window', caseId);
    expect(got.statusCode).toBe(503);
    expect(got.headers['retry-after']).toBe('5');
  });
});

describe('GET /v1/cases/{caseId}', () => {
  it('shows the case to the windows, the operator, its lead and its co-approvers; not to another department', async () => {
    await build();
    const caseId = await accepted();
    for (const who of ['window', 'operator', 'land', 'tax'] as const) expect((await read(who, caseId)).statusCode, who).toBe(200);
    const other = await read('ps', caseId);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'GW_FORBIDDEN_CASE', detail: expect.stringContaining(`department ps may not read case ${caseId}`) });
    expect(audit.events.at(-1)).toMatchObject({ actor: 'ps', action: 'cases.read', target: caseId, outcome: 'refused', status: 403 });
  });

  it('before acceptance, has no lead, deadlines nor tasks', async () => {
    await build();
    const caseId = await submit();
    expect((await read('window', caseId)).json()).toEqual({
      caseId,
      ...transfer,
      status: 'submitted',
      leadDepartment: null,
      acceptedAt: null,
      promisedDueDate: null,
      legalDueDate: null,
      workingDaysUsed: null,
      deadlineProvisional: false,
      suspendedSince: null,
      coApprovalRefusal: null,
      tasks: [],
      history: [{ type: 'CaseSubmitted', occurredAt: '2025-06-03T01:00:00.000Z' }],
    });
    // Nobody leads it yet, so no department sees it.
    expect((await read('land', caseId)).statusCode).toBe(403);
  });

  it('shows a co-approver\'s refusal for the lead to decide on', async () => {
    await build();
    const caseId = await accepted();
    await step('tax', caseId, 'answers', { answer: 'refuse', reason: '未缴清契税', occurredAt: '2025-06-04T02:00:00.000Z' });
    expect((await read('land', caseId)).json()).toMatchObject({ status: 'awaiting-decision', coApprovalRefusal: { department: 'tax', stage: 1, reason: '未缴清契税' } });
    const approve = await step('land', caseId, 'decision', { approved: true });
    expect(approve.json()).toMatchObject({ status: 409, refusal: 'CoApproverRefused' });
    expect((await step('land', caseId, 'decision', { approved: false, reason: '协办部门不同意：未缴清契税' })).json()).toMatchObject({ case: { status: 'refused' } });
  });
});

describe('OpenAPI', () => {
  it('documents every step and the case with their answers', async () => {
    await build();
    const document = (await app.inject('/docs/json')).json();
    for (const name of ['acceptance', 'answers', 'supplements', 'decision', 'suspension', 'fee', 'payment', 'certificate', 'delivery', 'review']) {
      const operation = document.paths[`/v1/cases/{caseId}/${name}`].post;
      expect(operation.tags).toEqual(['cases']);
      expect(operation.summary).toBeTruthy();
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '503']);
    }
    expect(Object.keys(document.paths['/v1/cases/{caseId}'].get.responses).sort()).toEqual(['200', '401', '403', '404', '503']);
  });
});
