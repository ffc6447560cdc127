import { type Random, chance, pick, weighted } from '../random.ts';
import type { CatalogueItem } from './catalogue.ts';
import type { CaseViewPart } from './case-view.ts';
import type { CaseStep } from './steps.ts';

/** What the window (or the lead) does next with a case. */
export type WindowAction =
  /** Nothing yet: the co-approvers are at work. */
  | { readonly kind: 'wait' }
  /** The case needs nothing more from the window: forget it. */
  | { readonly kind: 'done' }
  | { readonly kind: 'step'; readonly step: CaseStep };

export interface WindowShares {
  /** Of submitted cases, refused at intake (不予受理). */
  readonly intakeRefusalShare: number;
  /** Of cases every co-approver granted, refused by the lead (不予许可). */
  readonly leadRefusalShare: number;
  /** Of delivered cases, reviewed by the applicant (好差评). */
  readonly reviewShare: number;
}

const INTAKE_REFUSALS = ['申请材料不齐全', '申请事项不属于本机关职权范围', '申请材料不符合法定形式'];
const LEAD_REFUSALS = ['经审查，申请不符合法定条件', '现场核查不符合要求'];
const GRADES: readonly (readonly [number, number])[] = [[5, 55], [4, 25], [3, 10], [2, 6], [1, 4]];

/**
 * The next step the window or the lead takes on a case in this state, by the
 * hub's order of steps: intake; while suspended for material, the applicant
 * brings it; the lead's decision once co-approval is over (a refusal when a
 * co-approver refused); after approval the fee (when the item has one) and
 * its payment, the certificate (when the item issues one); then delivery and
 * the review. Pure: the choices are drawn from `random`.
 */
export function nextWindowStep(
  view: Pick<CaseViewPart, 'status' | 'coApprovalRefusal'>,
  item: Pick<CatalogueItem, 'leadDepartment' | 'fee' | 'certificateType'>,
  random: Random,
  shares: WindowShares,
): WindowAction {
  const step = (s: CaseStep): WindowAction => ({ kind: 'step', step: s });
  switch (view.status) {
    case 'submitted':
      return step(chance(random, shares.intakeRefusalShare) ? { type: 'refuse-at-intake', reason: pick(random, INTAKE_REFUSALS) } : { type: 'accept' });
    case 'co-approval':
      return { kind: 'wait' };
    case 'suspended':
      return step({ type: 'bring-supplement' });
    case 'awaiting-decision': {
      const refusal = view.coApprovalRefusal;
      if (refusal) return step({ type: 'decide', department: item.leadDepartment, approved: false, reason: `协办部门（${refusal.department}）不同意：${refusal.reason}` });
      if (chance(random, shares.leadRefusalShare)) return step({ type: 'decide', department: item.leadDepartment, approved: false, reason: pick(random, LEAD_REFUSALS) });
      return step({ type: 'decide', department: item.leadDepartment, approved: true });
    }
    case 'approved':
      return step(item.fee ? { type: 'assess-fee' } : item.certificateType ? { type: 'issue-certificate' } : { type: 'deliver' });
    case 'fee-assessed':
      return step({ type: 'pay-fee' });
    case 'paid':
      return step(item.certificateType ? { type: 'issue-certificate' } : { type: 'deliver' });
    case 'certificate-issued':
    case 'refused':
      return step({ type: 'deliver' });
    case 'delivered':
      return chance(random, shares.reviewShare) ? step({ type: 'review', grade: weighted(random, GRADES) }) : { kind: 'done' };
    case 'refused-at-intake':
    case 'reviewed':
      return { kind: 'done' };
    default: {
      const _exhaustive: never = view.status;
      return _exhaustive;
    }
  }
}
