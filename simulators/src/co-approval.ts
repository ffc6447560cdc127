import type { CoApprovalGranted, CoApprovalRefused, CoApprovalRequested, SupplementRequested } from '@hub/schemas';
import { type Random, pick } from './random.ts';

/** How long a co-approving department takes to answer (协办用时). */
export type DelayDistribution =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Most answers near the median, a long tail of slow ones, as real co-approval times are; capped at maxMs. */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number; readonly maxMs: number };

export interface CoApprovalConfig {
  /** Share of requests refused (不同意), 0 to 1. */
  readonly refuseShare: number;
  /** Share of requests answered with a request for supplementary material (补正), 0 to 1. */
  readonly supplementShare: number;
  readonly delay: DelayDistribution;
}

/** The answer event, as the router will publish it: `{ type, data }`. */
export type CoApprovalAnswer =
  | { readonly type: 'CoApprovalGranted'; readonly data: CoApprovalGranted }
  | { readonly type: 'CoApprovalRefused'; readonly data: CoApprovalRefused }
  | { readonly type: 'SupplementRequested'; readonly data: SupplementRequested };

export interface CoApprovalDecision {
  /** How long after the request the department answers. */
  readonly delayMs: number;
  readonly answer: CoApprovalAnswer;
}

/** Why each department refuses, and what material it asks for, in its own words. */
const REFUSALS: Readonly<Record<string, readonly string[]>> = {
  tax: ['申请人存在欠缴税款，未取得完税证明', '纳税人状态为非正常户，需先解除非正常状态'],
  ps: ['申请人户籍信息与申报信息不一致', '申请人身份证件已失效'],
  land: ['不动产存在查封登记，不予办理', '申报坐落与不动产登记簿记载不符'],
  market: ['经营范围涉及前置许可事项，未取得相关许可', '企业名称与已登记名称相同或近似'],
  civil: ['申请人家庭收入超过当地最低生活保障标准', '婚姻登记信息与申报信息不一致'],
  hrss: ['申请人社会保险参保状态异常', '用人单位存在欠缴社会保险费'],
  housing: ['建设工程规划许可证未办结', '施工图设计文件未经审查合格'],
};

const MATERIALS: Readonly<Record<string, readonly string[]>> = {
  tax: ['完税证明原件', '财务会计报表', '清税证明'],
  ps: ['居民户口簿复印件', '居民身份证正反面复印件', '户籍证明'],
  land: ['不动产权证书复印件', '宗地图', '房屋平面图'],
  market: ['营业执照副本复印件', '法定代表人身份证明', '经营场所使用证明', '场所平面布局图'],
  civil: ['家庭成员收入证明', '婚姻状况证明', '居民户口簿复印件'],
  hrss: ['社会保险参保缴费证明', '劳动合同复印件'],
  housing: ['建设工程规划许可证', '施工合同', '监理合同', '施工图审查合格书'],
};

const FALLBACK_REFUSAL = ['申报材料不符合法定条件'];
const FALLBACK_MATERIALS = ['申请书', '申请人身份证明'];

/** Why `department` refuses (不同意理由), in its own words. */
export function refusalReason(random: Random, department: string): string {
  return pick(random, REFUSALS[department] ?? FALLBACK_REFUSAL);
}

/** The one or two materials `department` finds missing (需补正材料), named at once (一次性告知). */
export function missingMaterials(random: Random, department: string): string[] {
  const materials = MATERIALS[department] ?? FALLBACK_MATERIALS;
  const first = pick(random, materials);
  const second = pick(random, materials);
  return first === second ? [first] : [first, second];
}

/** The note that goes with a request for supplementary material (补正告知). */
export const SUPPLEMENT_NOTE = '请于5个工作日内补正，逾期视为撤回申请';

/** A draw from the distribution, in whole milliseconds, never negative. */
export function drawDelay(distribution: DelayDistribution, random: Random): number {
  switch (distribution.kind) {
    case 'fixed':
      return Math.max(0, Math.round(distribution.ms));
    case 'uniform':
      return Math.round(distribution.minMs + random() * Math.max(0, distribution.maxMs - distribution.minMs));
    case 'lognormal': {
      // Box–Muller: a standard normal from two uniforms; 1 − u keeps the logarithm finite.
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.min(distribution.maxMs, Math.round(distribution.medianMs * Math.exp(distribution.sigma * normal)));
    }
    default: {
      const _exhaustive: never = distribution;
      return _exhaustive;
    }
  }
}

/**
 * How a co-approving department (协办部门) answers a co-approval request: after
 * a delay drawn from `config.delay`, it refuses with share `refuseShare`, asks
 * for supplementary material with share `supplementShare`, and grants
 * otherwise. Pure: the request's time plus the delay is the answer's time,
 * and the answer's event id derives from the request's.
 */
export function answerCoApproval(request: CoApprovalRequested, random: Random, config: CoApprovalConfig): CoApprovalDecision {
  const delayMs = drawDelay(config.delay, random);
  const draw = random();
  const occurredAt = new Date(request.occurredAt.getTime() + delayMs);
  const eventId = `answer-of:${request.eventId}`;
  const { caseId, coApprover, stage } = request;
  if (draw < config.refuseShare) {
    const reason = refusalReason(random, coApprover);
    return { delayMs, answer: { type: 'CoApprovalRefused', data: { eventId, occurredAt, caseId, coApprover, stage, reason } } };
  }
  if (draw < config.refuseShare + config.supplementShare) {
    const data: SupplementRequested = { eventId, occurredAt, caseId, requestedBy: coApprover, missingMaterials: missingMaterials(random, coApprover), note: SUPPLEMENT_NOTE };
    return { delayMs, answer: { type: 'SupplementRequested', data } };
  }
  return { delayMs, answer: { type: 'CoApprovalGranted', data: { eventId, occurredAt, caseId, coApprover, stage, opinion: '经审查，同意' } } };
}
