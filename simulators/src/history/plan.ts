import { type LocalDate, type Suspension, type WorkingCalendar, isLocalDate, shanghaiDate } from '@hub/calendar';
import type { DepartmentCode } from '@hub/schemas';
import type { CatalogueItem } from '../cases/catalogue.ts';
import type { CaseStep } from '../cases/steps.ts';
import { caseSubmission } from '../cases/submission.ts';
import { SUPPLEMENT_NOTE, missingMaterials, refusalReason } from '../co-approval.ts';
import { type SimulatedRegion, simulatedRegion } from '../places.ts';
import { type Random, between, chance, mulberry32, pick, weighted } from '../random.ts';
import { OFFICE_HOURS, instantOn, officeTimeOn, workingDayBetween, workingDaysBetween } from './office-hours.ts';
import type { TimedStep } from './replay.ts';

/**
 * What the planner means a case to be. The figures of the ground truth come
 * from what the steps amount to, not from this label: a case meant to be on
 * time that runs into the end of the period is in progress.
 */
export const caseKinds = [
  'on-time',
  /** A co-approver answers after its task's due date (协办超时). */
  'late-co-approver',
  /** The lead decides after the promised due date (承诺超时). */
  'late-lead',
  /** A co-approver asks for supplementary material (补正): the clock stops until the applicant brings it. */
  'suspended',
  'refused-at-intake',
  'refused-by-co-approver',
  'refused-by-lead',
] as const;

export type CaseKind = (typeof caseKinds)[number];

/** Relative weights of the kinds of case. */
export type CaseMix = Readonly<Record<CaseKind, number>>;

export const defaultMix: CaseMix = {
  'on-time': 50,
  'late-co-approver': 8,
  'late-lead': 8,
  suspended: 12,
  'refused-at-intake': 6,
  'refused-by-co-approver': 6,
  'refused-by-lead': 10,
};

/** Review grades, 5 (非常满意) to 1 (非常不满意), by weight. */
export type GradeWeights = readonly (readonly [grade: 1 | 2 | 3 | 4 | 5, weight: number])[];

/** How a region's cases go: which kinds of case, how soon each step is taken, how the applicants review. */
export interface HistoryProfile {
  readonly mix: CaseMix;
  /**
   * Chance that a step free to fall on any working day up to its due date (a
   * co-approver's answer, the lead's decision) is taken on the first of them,
   * the day the case reached it; otherwise the day is drawn evenly.
   */
  readonly promptness: number;
  /** Share of delivered cases the applicant reviews (好差评). */
  readonly reviewShare: number;
  /** Grades of a case that went well, and of one that was late or refused. */
  readonly grades: { readonly pleased: GradeWeights; readonly displeased: GradeWeights };
}

/**
 * `varied`: every kind of case in good measure, for tests that must meet each
 * of them. `guangxi`: tuned to the Guangxi region's report of 2007-2012
 * (domain.md: on-time rate 99.7%, speed-up 82.8%, satisfaction 99.9%); over a
 * few months of the shipped items it lands within a few tenths of a point of
 * each (see the simulators' README).
 */
export const historyProfiles = {
  varied: {
    mix: defaultMix,
    promptness: 0,
    reviewShare: 0.85,
    grades: {
      pleased: [[5, 60], [4, 25], [3, 10], [2, 3], [1, 2]],
      displeased: [[5, 25], [4, 25], [3, 20], [2, 18], [1, 12]],
    },
  },
  guangxi: {
    mix: {
      'on-time': 900,
      'late-co-approver': 2,
      'late-lead': 2,
      suspended: 30,
      'refused-at-intake': 25,
      'refused-by-co-approver': 5,
      'refused-by-lead': 10,
    },
    promptness: 0.32,
    reviewShare: 0.9,
    grades: {
      pleased: [[5, 8_000], [4, 1_500], [3, 490], [2, 6], [1, 4]],
      displeased: [[5, 3_000], [4, 3_000], [3, 3_900], [2, 60], [1, 40]],
    },
  },
} as const satisfies Record<string, HistoryProfile>;

export type HistoryProfileName = keyof typeof historyProfiles;

/** Kinds that need an item with co-approval stages. */
const NEEDS_STAGES: ReadonlySet<CaseKind> = new Set(['late-co-approver', 'suspended', 'refused-by-co-approver']);

export interface PlannedCase {
  /** From 0, in order of submission. */
  readonly index: number;
  /** The Idempotency-Key of its submission. */
  readonly key: string;
  readonly item: CatalogueItem;
  readonly kind: CaseKind;
  /** In time order, each step at its own time; steps after `to` are left out (the case is then in progress). */
  readonly steps: readonly TimedStep[];
}

export interface HistoryPlan {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly seed: number;
  readonly perDay: number;
  /** The working days of the period; cases are submitted on each. */
  readonly workingDays: readonly LocalDate[];
  readonly cases: readonly PlannedCase[];
}

export interface HistoryPlanOptions {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly seed: number;
  /** Cases submitted on each working day. */
  readonly perDay: number;
  readonly items: readonly CatalogueItem[];
  readonly calendar: WorkingCalendar;
  /** `historyProfiles.varied` by default. */
  readonly profile?: HistoryProfile;
}

const INTAKE_REFUSALS = [
  '申请材料不齐全，经一次性告知后仍未补齐',
  '申请事项依法不属于本机关职权范围',
  '申请人不具备申请资格',
  '申请材料不符合法定形式',
];
const LEAD_REFUSALS = ['经审查，申请不符合法定条件', '现场核查不符合要求', '申请人提供的材料与实际情况不符', '申请事项不符合相关规划要求'];
const GOOD_COMMENTS = ['办事效率高，服务热情', '一次办好，很方便', '窗口人员耐心解答'];
const BAD_COMMENTS = ['等待时间过长', '多次往返窗口', '告知不清楚，材料反复提交'];

/** Working days between one step after the decision and the next, by weight: mostly the same day. */
const DAYS_LATER: readonly (readonly [number, number])[] = [[0, 6], [1, 3], [2, 1]];

/** Submissions fall between opening and 16:00, so that acceptance, half an hour later at most, is the same day. */
const LAST_SUBMISSION = 16 * 3600;

/**
 * Every case of a period, each with its whole script of steps and times,
 * drawn from `seed` alone (the same options give the same plan): `perDay`
 * cases are submitted on each working day from `from` to `to`, a mix of
 * on-time, late (a co-approver past its task's due date, or the lead past
 * the promised one), suspended (补正) and refused (at intake, by a
 * co-approver, by the lead) cases of the items given, every step on a working
 * day within office hours (Asia/Shanghai), later than the step before it, and
 * one the case's state allows. Pure.
 */
export function planHistory(options: HistoryPlanOptions): HistoryPlan {
  const { from, to, seed, perDay, calendar, profile = historyProfiles.varied } = options;
  const { mix } = profile;
  if (!isLocalDate(from) || !isLocalDate(to)) throw new RangeError(`from and to are dates as YYYY-MM-DD, got ${from} and ${to}`);
  if (from > to) throw new RangeError(`from ${from} is after to ${to}`);
  if (!Number.isInteger(perDay) || perDay < 0) throw new RangeError(`perDay is a whole number ≥ 0, got ${perDay}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed is a whole number, got ${seed}`);
  const items = [...options.items].sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0));
  if (items.length === 0 && perDay > 0) throw new RangeError('no items to submit cases for');
  const withStages = items.filter((item) => item.stages.length > 0);
  const kinds = caseKinds.map((kind) => [kind, NEEDS_STAGES.has(kind) && withStages.length === 0 ? 0 : mix[kind]] as const);
  if (kinds.every(([, weight]) => weight <= 0) && perDay > 0) throw new RangeError('the mix gives no kind of case a weight');

  const random = mulberry32(seed);
  // The region has a stream of its own, so that the cases do not depend on how many draws it took.
  const context: PlanContext = { random, calendar, region: simulatedRegion(mulberry32(seed ^ 0x5eed5eed)), to, profile };
  const workingDays = workingDaysBetween(calendar, from, to);
  const cases: PlannedCase[] = [];
  for (const day of workingDays) {
    for (let n = 0; n < perDay; n += 1) {
      const kind = weighted(random, kinds);
      const item = pick(random, NEEDS_STAGES.has(kind) ? withStages : items);
      const index = cases.length;
      const key = `sim-${seed}-${from}-${to}-${index}`;
      const steps = planCase(context, key, item, kind, day).filter(({ at }) => shanghaiDate(at) <= to);
      cases.push({ index, key, item, kind, steps });
    }
  }
  return { from, to, seed, perDay, workingDays, cases };
}

interface PlanContext {
  readonly random: Random;
  readonly calendar: WorkingCalendar;
  readonly region: SimulatedRegion;
  readonly to: LocalDate;
  readonly profile: HistoryProfile;
}

/** The working day in [from, to] on which a step free to fall on any of them is taken, as the profile's promptness says. */
function dayFor(context: PlanContext, from: LocalDate, to: LocalDate): LocalDate {
  const { random, calendar, profile } = context;
  // No draw at all without promptness, so that a plan of the varied profile stays what it was.
  if (profile.promptness > 0 && chance(random, profile.promptness)) return workingDayBetween(random, calendar, from, from);
  return workingDayBetween(random, calendar, from, to);
}

/** A suspension as the planner keeps it: instants, so that "while a task was open" is decided as the hub decides it. */
interface Span {
  readonly since: Date;
  readonly resumedAt: Date;
}

function planCase(context: PlanContext, key: string, item: CatalogueItem, kind: CaseKind, day: LocalDate): TimedStep[] {
  const { random, calendar, region } = context;
  const minutes = (at: Date, min: number, max: number) => new Date(at.getTime() + between(random, min, max) * 60_000);
  const submittedAt = instantOn(day, between(random, OFFICE_HOURS.opens, LAST_SUBMISSION));
  const steps: TimedStep[] = [{ at: submittedAt, step: { type: 'submit', key, submission: caseSubmission(random, region, item, day) } }];
  const intakeAt = minutes(submittedAt, 3, 30);
  if (kind === 'refused-at-intake') {
    steps.push({ at: intakeAt, step: { type: 'refuse-at-intake', reason: pick(random, INTAKE_REFUSALS) } });
    return steps;
  }
  steps.push({ at: intakeAt, step: { type: 'accept' } });

  // Co-approval, stage by stage; the kind's special turn happens in one stage drawn at random.
  const spans: Span[] = [];
  const specialStage = item.stages.length > 0 ? between(random, 1, item.stages.length) : 0;
  let cursor = intakeAt;
  let refusal: { department: DepartmentCode; reason: string } | undefined;
  for (const [n, stage] of item.stages.entries()) {
    const planned = planStage(context, stage, n + 1, cursor, n + 1 === specialStage ? kind : 'on-time', spans);
    steps.push(...planned.steps);
    cursor = planned.endsAt;
    refusal = planned.refusal;
    if (refusal) break;
  }

  // The lead's decision: by the promised due date, or one to five working days past it.
  const acceptedOn = shanghaiDate(intakeAt);
  const suspensions: Suspension[] = spans.map((s) => ({ from: shanghaiDate(s.since), resumedOn: shanghaiDate(s.resumedAt) }));
  const promisedDue = calendar.dueDate(acceptedOn, item.promisedDays, suspensions).dueDate ?? acceptedOn;
  const lastDay = shanghaiDate(cursor);
  let target: LocalDate;
  if (kind === 'late-lead') {
    const late = calendar.addWorkingDays(promisedDue, between(random, 1, 5)).date;
    target = late > lastDay ? late : lastDay;
  } else {
    target = lastDay >= promisedDue ? lastDay : dayFor(context, lastDay, promisedDue);
  }
  const decidedAt = officeTimeOn(random, calendar, target, cursor);
  const approved = refusal === undefined && kind !== 'refused-by-lead';
  const reason = refusal ? `协办部门（${refusal.department}）不同意：${refusal.reason}` : approved ? undefined : pick(random, LEAD_REFUSALS);
  steps.push({ at: decidedAt, step: { type: 'decide', department: item.leadDepartment, approved, ...(reason === undefined ? {} : { reason }) } });

  // Then the fee window, the certificate, the delivery and the review, each the same day or a working day or two later.
  let at = decidedAt;
  const next = (step: CaseStep, maxDaysLater: number) => {
    const later = weighted(random, DAYS_LATER.filter(([days]) => days <= maxDaysLater));
    at = officeTimeOn(random, calendar, calendar.addWorkingDays(shanghaiDate(at), later).date, at, { spreadSeconds: 2 * 3600 });
    steps.push({ at, step });
  };
  if (approved && item.fee) {
    next({ type: 'assess-fee' }, 0);
    next({ type: 'pay-fee' }, 2);
  }
  if (approved && item.certificateType) next({ type: 'issue-certificate' }, 2);
  next({ type: 'deliver' }, 2);
  if (chance(random, context.profile.reviewShare)) {
    const pleased = approved && kind !== 'late-lead' && kind !== 'late-co-approver';
    const { grades } = context.profile;
    const grade = weighted(random, pleased ? grades.pleased : grades.displeased);
    const comment = grade >= 4 && chance(random, 0.3) ? pick(random, GOOD_COMMENTS) : grade <= 2 && chance(random, 0.7) ? pick(random, BAD_COMMENTS) : undefined;
    next({ type: 'review', grade, ...(comment === undefined ? {} : { comment }) }, 1);
  }
  return steps;
}

interface PlannedStage {
  readonly steps: TimedStep[];
  /** The last answer: the next stage opens then (the hub asks its departments in the same batch). */
  readonly endsAt: Date;
  readonly refusal?: { department: DepartmentCode; reason: string };
}

/**
 * One co-approval stage opened at `openAt`: its departments answer in
 * parallel, each by its task's due date unless the kind says otherwise.
 * Suspensions it adds go into `spans`.
 */
function planStage(
  context: PlanContext,
  stage: CatalogueItem['stages'][number],
  number: number,
  openAt: Date,
  kind: CaseKind,
  spans: Span[],
): PlannedStage {
  const { random, calendar } = context;
  const requestedOn = shanghaiDate(openAt);
  const dueOn = (): LocalDate => {
    const during = spans.filter((s) => s.since >= openAt).map((s) => ({ from: shanghaiDate(s.since), resumedOn: shanghaiDate(s.resumedAt) }));
    return calendar.dueDate(requestedOn, stage.dueDays, during).dueDate ?? requestedOn;
  };
  const firstDue = dueOn();
  const special = NEEDS_STAGES.has(kind) ? pick(random, stage.departments) : undefined;
  const answerBy = (department: DepartmentCode, after: Date, due: LocalDate): Date => {
    const onDay = department === special && kind === 'late-co-approver'
      ? calendar.addWorkingDays(due, between(random, 1, 3)).date
      : dayFor(context, shanghaiDate(after), due < shanghaiDate(after) ? shanghaiDate(after) : due);
    return officeTimeOn(random, calendar, onDay, after);
  };
  const first = new Map(stage.departments.map((department) => [department, answerBy(department, openAt, firstDue)] as const));
  const steps: TimedStep[] = [];
  const grant = (department: DepartmentCode, at: Date) => steps.push({ at, step: { type: 'answer', department, answer: 'grant', stage: number, reason: '经审查，同意' } });

  if (kind === 'suspended' && special !== undefined) {
    // The supplement comes before the due date, the applicant brings the material one to four working days later,
    // and every department that had not answered by then answers after it, the one that asked included.
    const lastBeforeDue = calendar.addWorkingDays(firstDue, -1).date;
    const supplementAt = officeTimeOn(random, calendar, workingDayBetween(random, calendar, requestedOn, lastBeforeDue < requestedOn ? requestedOn : lastBeforeDue), openAt);
    const resumedAt = officeTimeOn(random, calendar, calendar.addWorkingDays(shanghaiDate(supplementAt), between(random, 1, 4)).date, supplementAt);
    spans.push({ since: supplementAt, resumedAt });
    steps.push({ at: supplementAt, step: { type: 'answer', department: special, answer: 'supplement', stage: number, materials: missingMaterials(random, special), reason: SUPPLEMENT_NOTE } });
    steps.push({ at: resumedAt, step: { type: 'bring-supplement' } });
    const due = dueOn();
    for (const department of stage.departments) {
      const at = first.get(department) ?? openAt;
      grant(department, department !== special && at < supplementAt ? at : answerBy(department, resumedAt, due));
    }
  } else if (kind === 'refused-by-co-approver' && special !== undefined) {
    // Those who answered before the refusal granted; the others' tasks are cancelled by it.
    const refusedAt = first.get(special) ?? openAt;
    const reason = refusalReason(random, special);
    for (const department of stage.departments) {
      const at = first.get(department) ?? openAt;
      if (department !== special && at < refusedAt) grant(department, at);
    }
    steps.push({ at: refusedAt, step: { type: 'answer', department: special, answer: 'refuse', stage: number, reason } });
    steps.sort((a, b) => a.at.getTime() - b.at.getTime());
    return { steps, endsAt: refusedAt, refusal: { department: special, reason } };
  } else {
    for (const department of stage.departments) grant(department, first.get(department) ?? openAt);
  }
  steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { steps, endsAt: steps[steps.length - 1]?.at ?? openAt };
}
