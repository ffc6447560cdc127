import type { CoApprovalRequested } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { answerCoApproval } from '../co-approval.ts';
import { ManualClock } from '../manual-clock.ts';
import { simulatedRegion } from '../places.ts';
import { mulberry32 } from '../random.ts';
import { CO_APPROVAL_SUBJECT, CoApprovalAnswerer, type CoApprovalAnswererOptions, SUPERVISION_ALERT_SUBJECT, answerStep, coApprovalRequestOf } from './answerer.ts';
import { GatewayClient } from './gateway-client.ts';
import { type CaseStep, gatewayCall } from './steps.ts';
import { caseSubmission } from './submission.ts';
import { FakeGateway } from './testing/fake-gateway.ts';
import { catalogueItem } from './testing/items.ts';
import { recordingLogger, runFor, sequence, settle } from './testing/drive.ts';

const region = simulatedRegion(mulberry32(3), { counties: 3 });
const START = Date.parse('2026-03-02T01:00:00Z');

const request: CoApprovalRequested = {
  eventId: 'GW-1:3',
  occurredAt: new Date('2026-03-02T01:30:00.000Z'),
  caseId: 'GW-1',
  requestedBy: 'market',
  coApprover: 'tax',
  mode: 'STAGED',
  stage: 2,
  dueDays: 1,
};
const delivery = (r: CoApprovalRequested) => ({ deliveryId: 'D-1', recipient: r.coApprover, payloadSubject: CO_APPROVAL_SUBJECT, payload: { ...r, occurredAt: r.occurredAt.toISOString() } });

/** A gateway with one case of `itemName` submitted and accepted; the co-approval requests it raised are in `deliveries`. */
async function acceptedCase(itemName: string, options: Partial<CoApprovalAnswererOptions> = {}) {
  const clock = new ManualClock();
  const gateway = new FakeGateway(() => new Date(START + clock.nowMs()));
  const deliveries: Array<{ department: string; body: unknown }> = [];
  gateway.onDelivery = (department, body) => deliveries.push({ department, body });
  const logger = recordingLogger();
  const client = new GatewayClient({ gatewayUrl: 'http://gateway.test', tokens: new Map(), logger, fetch: gateway.fetch, clock });
  const signal = new AbortController().signal;
  const item = catalogueItem(itemName);
  const submit: CaseStep = { type: 'submit', key: 'k-1', submission: caseSubmission(mulberry32(1), region, item, '2026-03-02') };
  const submitted = await client.send(gatewayCall(submit, ''), signal);
  const caseId = (submitted.kind === 'answered' ? (submitted.body as { caseId: string }).caseId : '') || 'none';
  await client.send(gatewayCall({ type: 'accept' }, caseId), signal);
  await settle();
  const answerer = new CoApprovalAnswerer({
    gateway: client,
    random: mulberry32(1),
    logger,
    clock,
    config: { refuseShare: 0, supplementShare: 0, delay: { kind: 'fixed', ms: 5_000 } },
    ...options,
  });
  return { clock, gateway, client, logger, answerer, caseId, deliveries };
}

const answersOf = (gateway: FakeGateway) => gateway.requests.filter((r) => r.path.endsWith('/answers')).map((r) => ({ as: r.as, answer: r.body?.answer, status: r.status }));

describe('the co-approval answerer (协办部门)', () => {
  it('reads the CoApprovalRequested of a webhook delivery, and nothing else', () => {
    expect(coApprovalRequestOf(delivery(request))).toEqual(request);
    expect(coApprovalRequestOf({ ...delivery(request), payload: { ...delivery(request).payload, stage: { int: 2 }, occurredAt: request.occurredAt.getTime() } })).toEqual(request);
    expect(coApprovalRequestOf({ ...delivery(request), payloadSubject: 'records.ps.resident-identity-gov.hub.records.ps.ResidentIdentity' })).toBeUndefined();
    expect(coApprovalRequestOf({ payloadSubject: CO_APPROVAL_SUBJECT, payload: { caseId: 'x' } })).toBeUndefined();
  });

  it.each([
    ['grant', 0.9, { type: 'answer', department: 'tax', answer: 'grant', stage: 2, reason: '经审查，同意' }],
    ['refuse', 0.05, { type: 'answer', department: 'tax', answer: 'refuse', stage: 2, reason: '申请人存在欠缴税款，未取得完税证明' }],
    ['supplement', 0.2, { type: 'answer', department: 'tax', answer: 'supplement', stage: 2, materials: ['完税证明原件', '财务会计报表'], reason: '请于5个工作日内补正，逾期视为撤回申请' }],
  ] as const)('adapts the decision to the API\'s answer body: %s', (_name, draw, expected) => {
    const { answer } = answerCoApproval(request, sequence(draw, 0, 0.5), { refuseShare: 0.1, supplementShare: 0.2, delay: { kind: 'fixed', ms: 0 } });
    expect(answerStep('tax', answer, request.stage)).toEqual(expected);
    expect(answerStep('tax', answer, null)).not.toHaveProperty('stage');
  });

  it('given a request at its webhook, then the department answers after the drawn delay with its own token, not before', async () => {
    const { clock, gateway, answerer, caseId, deliveries } = await acceptedCase('不动产转移登记');
    expect(deliveries).toEqual([{ department: 'tax', body: expect.objectContaining({ payloadSubject: CO_APPROVAL_SUBJECT }) }]);
    answerer.receive('tax', deliveries[0]!.body);
    await runFor(clock, 4_900, 100);
    expect(answersOf(gateway)).toEqual([]);
    await runFor(clock, 200, 100);
    expect(answersOf(gateway)).toEqual([{ as: 'tax', answer: 'grant', status: 200 }]);
    expect(gateway.view(caseId)?.status).toBe('awaiting-decision');
    expect(answerer.stats).toMatchObject({ requests: 1, answered: 1, refused: 0 });
  });

  it('given two departments and one asks for material, then the other\'s grant waits until the case resumes, and the one that asked answers afresh', async () => {
    // tax's draw 0.5 asks for material (two picks), ps's draw 0.9 grants; after the resume tax draws 0.9: it grants.
    const { clock, gateway, answerer, caseId, deliveries, client } = await acceptedCase('企业设立登记', {
      random: sequence(0.5, 0, 0, 0.9, 0.9),
      config: { refuseShare: 0, supplementShare: 0.6, delay: { kind: 'fixed', ms: 1_000 } },
    });
    expect(deliveries.map((d) => d.department)).toEqual(['tax', 'ps']);
    for (const d of deliveries) answerer.receive(d.department, d.body);
    await runFor(clock, 2_000);
    expect(answersOf(gateway)).toEqual([
      { as: 'tax', answer: 'supplement', status: 200 },
      { as: 'ps', answer: 'grant', status: 409 },
    ]);
    expect(gateway.view(caseId)?.status).toBe('suspended');
    expect(answerer.waiting).toBe(1);
    // The applicant brings the material; the window tells the departments.
    await client.send(gatewayCall({ type: 'bring-supplement' }, caseId), new AbortController().signal);
    answerer.caseResumed(caseId);
    await runFor(clock, 2_000);
    expect(answersOf(gateway).slice(2)).toEqual([
      { as: 'tax', answer: 'grant', status: 200 },
      { as: 'ps', answer: 'grant', status: 200 },
    ]);
    expect(gateway.view(caseId)?.status).toBe('awaiting-decision');
    expect(gateway.view(caseId)?.tasks.map((t) => t.status)).toEqual(['granted', 'granted']);
    expect(answerer.waiting).toBe(0);
  });

  it('given an answer refused for another reason, then it is logged and dropped', async () => {
    const { clock, answerer, logger } = await acceptedCase('不动产转移登记');
    answerer.receive('tax', delivery({ ...request, caseId: 'GW-404', stage: null }));
    await runFor(clock, 6_000);
    expect(answerer.stats).toMatchObject({ requests: 1, answered: 0, refused: 1 });
    expect(logger.errors).toContainEqual(expect.objectContaining({ status: 404 }));
  });

  it('leaves alone the requests of cases it is not to answer, and counts the supervision alerts', async () => {
    const { clock, gateway, answerer, deliveries } = await acceptedCase('不动产转移登记', { answers: () => false });
    answerer.receive('tax', deliveries[0]!.body);
    answerer.receive('tax', { payloadSubject: SUPERVISION_ALERT_SUBJECT, payload: { caseId: 'GW-000001', level: 'WARNING' } });
    await runFor(clock, 6_000);
    expect(answersOf(gateway)).toEqual([]);
    expect(answerer.stats).toMatchObject({ requests: 0, notOurs: 1, alerts: 1 });
  });

  it('ignores a request addressed to another department', async () => {
    const { clock, gateway, answerer, deliveries, logger } = await acceptedCase('不动产转移登记');
    answerer.receive('ps', deliveries[0]!.body);
    await runFor(clock, 6_000);
    expect(answersOf(gateway)).toEqual([]);
    expect(logger.warnings).toContainEqual(expect.objectContaining({ department: 'ps', coApprover: 'tax' }));
  });

  it('drops the answers still waiting when stopped, and bounds how many wait', async () => {
    const { clock, gateway, answerer, deliveries } = await acceptedCase('不动产转移登记', { maxPending: 1 });
    answerer.receive('tax', deliveries[0]!.body);
    answerer.receive('tax', delivery({ ...request, eventId: 'other' }));
    expect(answerer.stats.dropped).toBe(1);
    await answerer.stop();
    await runFor(clock, 10_000);
    expect(answersOf(gateway)).toEqual([]);
  });
});
