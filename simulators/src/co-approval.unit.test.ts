import type { CoApprovalRequested } from '@hub/schemas';
import { avroType } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { type CoApprovalConfig, answerCoApproval, drawDelay } from './co-approval.ts';
import { mulberry32 } from './random.ts';

const request: CoApprovalRequested = {
  eventId: 'cases:XN2025-000123:4',
  occurredAt: new Date('2025-03-10T02:00:00.000Z'),
  caseId: 'XN2025-000123',
  requestedBy: 'market',
  coApprover: 'tax',
  mode: 'PARALLEL',
  stage: null,
  dueDays: 5,
};

const config: CoApprovalConfig = { refuseShare: 0.1, supplementShare: 0.2, delay: { kind: 'lognormal', medianMs: 60_000, sigma: 1, maxMs: 3_600_000 } };

/** A Random that returns the given values in turn. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('co-approval answers (协办答复)', () => {
  it.each([
    ['grants', 0.95, 'CoApprovalGranted'],
    ['refuses', 0.05, 'CoApprovalRefused'],
    ['asks for supplementary material', 0.2, 'SupplementRequested'],
  ] as const)('%s after the drawn delay', (_case, draw, type) => {
    const { delayMs, answer } = answerCoApproval(request, sequence(0.5, draw, 0), { ...config, delay: { kind: 'uniform', minMs: 1_000, maxMs: 3_000 } });
    expect(delayMs).toBe(2_000);
    expect(answer.type).toBe(type);
    expect(answer.data.occurredAt).toEqual(new Date('2025-03-10T02:00:02.000Z'));
    expect(answer.data.eventId).toBe('answer-of:cases:XN2025-000123:4');
    expect(answer.data.caseId).toBe('XN2025-000123');
    expect(avroType(answer.type).isValid(answer.data, { noUndeclaredFields: true })).toBe(true);
  });

  it('names the co-approver, with a reason for a refusal and the missing material for a supplement', () => {
    const uniform: CoApprovalConfig = { ...config, delay: { kind: 'uniform', minMs: 0, maxMs: 1_000 } };
    const refused = answerCoApproval(request, sequence(0.5, 0.01, 0), uniform).answer;
    if (refused.type !== 'CoApprovalRefused') expect.fail(refused.type);
    expect(refused.data).toMatchObject({ coApprover: 'tax', stage: null, reason: '申请人存在欠缴税款，未取得完税证明' });
    const supplement = answerCoApproval(request, sequence(0.5, 0.15, 0, 0.5), uniform).answer;
    if (supplement.type !== 'SupplementRequested') expect.fail(supplement.type);
    expect(supplement.data).toMatchObject({ requestedBy: 'tax', missingMaterials: ['完税证明原件', '财务会计报表'] });
  });

  it('is pure: the same random sequence gives the same answer', () => {
    expect(answerCoApproval(request, mulberry32(3), config)).toEqual(answerCoApproval(request, mulberry32(3), config));
  });

  it('answers in the configured shares over many requests', () => {
    const random = mulberry32(42);
    const counts = { CoApprovalGranted: 0, CoApprovalRefused: 0, SupplementRequested: 0 };
    for (let i = 0; i < 10_000; i += 1) counts[answerCoApproval(request, random, config).answer.type] += 1;
    expect(counts.CoApprovalRefused / 10_000).toBeCloseTo(0.1, 1);
    expect(counts.SupplementRequested / 10_000).toBeCloseTo(0.2, 1);
    expect(counts.CoApprovalGranted / 10_000).toBeCloseTo(0.7, 1);
  });

  it('draws delays from the configured distribution', () => {
    const random = mulberry32(8);
    const lognormal = Array.from({ length: 5_001 }, () => drawDelay(config.delay, random)).sort((a, b) => a - b);
    const median = lognormal[2_500] ?? 0;
    expect(median).toBeGreaterThan(50_000);
    expect(median).toBeLessThan(70_000);
    expect(Math.max(...lognormal)).toBeLessThanOrEqual(3_600_000);
    expect(Math.min(...lognormal)).toBeGreaterThanOrEqual(0);
    expect(drawDelay({ kind: 'fixed', ms: 250 }, random)).toBe(250);
    for (let i = 0; i < 100; i += 1) {
      const uniform = drawDelay({ kind: 'uniform', minMs: 10, maxMs: 20 }, random);
      expect(uniform).toBeGreaterThanOrEqual(10);
      expect(uniform).toBeLessThanOrEqual(20);
    }
  });
});
