import type { DepartmentCode } from '@hub/schemas';
import type { Principal } from '../config.ts';
import type { CaseSubmissionBody } from './submission.ts';

/**
 * One step a window, a co-approving department or the lead takes on a case,
 * in the words of the gateway's case routes. The live traffic and the
 * history plan both speak it; `gatewayCall` turns it into the request.
 */
export type CaseStep =
  /** The window submits the application (申请); `key` makes it retry-safe. */
  | { readonly type: 'submit'; readonly key: string; readonly submission: CaseSubmissionBody }
  /** The window accepts (受理) on behalf of the lead. */
  | { readonly type: 'accept' }
  /** The window refuses at intake (不予受理). */
  | { readonly type: 'refuse-at-intake'; readonly reason: string }
  /** A co-approver of the open stage answers: grant (同意), refuse (不同意) or supplement (补正). */
  | {
      readonly type: 'answer';
      readonly department: DepartmentCode;
      readonly answer: 'grant' | 'refuse' | 'supplement';
      /** The open stage, from 1; left out, the gateway takes the open one. */
      readonly stage?: number;
      readonly reason?: string;
      readonly materials?: readonly string[];
    }
  /** The applicant brought the material asked for (补正材料已收): the case resumes. */
  | { readonly type: 'bring-supplement' }
  /** The lead decides: approved (准予) or refused (不予许可, with its reason). */
  | { readonly type: 'decide'; readonly department: DepartmentCode; readonly approved: boolean; readonly reason?: string }
  | { readonly type: 'assess-fee' }
  | { readonly type: 'pay-fee' }
  | { readonly type: 'issue-certificate' }
  | { readonly type: 'deliver' }
  /** The applicant's review (好差评): 5 非常满意 … 1 非常不满意. */
  | { readonly type: 'review'; readonly grade: number; readonly comment?: string };

export type CaseStepType = CaseStep['type'];

/** A request to the gateway: who sends it, where, and what. */
export interface GatewayCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly as: Principal;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
}

/**
 * The label a step is counted under: the step type, with the answer or the
 * decision spelt out (`answer-supplement`, `decide-refuse`).
 */
export function stepLabel(step: CaseStep): string {
  if (step.type === 'answer') return `answer-${step.answer}`;
  if (step.type === 'decide') return step.approved ? 'decide-approve' : 'decide-refuse';
  return step.type;
}

/**
 * The request for `step` on case `caseId` (unused for `submit`, which gets
 * its case number from the answer). `at`, when given, is the step's own
 * time: `occurredAt`, or `submittedAt` of a submission; without it the
 * gateway's clock dates the step.
 */
export function gatewayCall(step: CaseStep, caseId: string, at?: Date): GatewayCall {
  const time = at === undefined ? {} : { occurredAt: at.toISOString() };
  const on = (route: string, body: object, as: Principal = 'window'): GatewayCall => ({
    method: 'POST',
    path: `/v1/cases/${encodeURIComponent(caseId)}/${route}`,
    as,
    body: { ...body, ...time },
  });
  switch (step.type) {
    case 'submit':
      return {
        method: 'POST',
        path: '/v1/cases',
        as: 'window',
        body: at === undefined ? step.submission : { ...step.submission, submittedAt: at.toISOString() },
        idempotencyKey: step.key,
      };
    case 'accept':
      return on('acceptance', { accepted: true });
    case 'refuse-at-intake':
      return on('acceptance', { accepted: false, reason: step.reason });
    case 'answer': {
      const { answer, stage, reason, materials } = step;
      return on(
        'answers',
        { answer, ...(stage === undefined ? {} : { stage }), ...(reason === undefined ? {} : { reason }), ...(materials === undefined ? {} : { materials: [...materials] }) },
        step.department,
      );
    }
    case 'bring-supplement':
      return on('supplements', {});
    case 'decide':
      return on('decision', { approved: step.approved, ...(step.reason === undefined ? {} : { reason: step.reason }) }, step.department);
    case 'assess-fee':
      return on('fee', {});
    case 'pay-fee':
      return on('payment', {});
    case 'issue-certificate':
      return on('certificate', {});
    case 'deliver':
      return on('delivery', {});
    case 'review':
      return on('review', { grade: step.grade, ...(step.comment === undefined ? {} : { comment: step.comment }) });
    default: {
      const _exhaustive: never = step;
      throw new Error(`unknown case step ${JSON.stringify(_exhaustive)}`);
    }
  }
}
