import { type LocalDate, type WorkingCalendar, shanghaiDate } from '@hub/calendar';
import type { CaseStatus } from '../cases/case-view.ts';
import type { CaseKind, HistoryPlan, PlannedCase } from './plan.ts';
import { type CaseFacts, replayCase } from './replay.ts';

/** The figures of one group of cases (domain.md, Metrics). Rates and means are rounded to 12 decimals, null when their denominator is 0. */
export interface Figures {
  submitted: number;
  accepted: number;
  refusedAtIntake: number;
  /** The lead decided (办结). */
  completed: number;
  /** Accepted, not completed. */
  inProgress: number;
  /** Completed on or before the promised due date. */
  onTime: number;
  /** onTime / completed (按时办结率). */
  onTimeRate: number | null;
  /** Mean over completed cases of 1 − working days used / legal days (办理提速率). */
  handlingSpeedUp: number | null;
  /** Mean over accepted cases of 1 − promised days / legal days (承诺提速率). */
  promisedSpeedUp: number | null;
  /** Completed on the day of acceptance. */
  sameDay: number;
  /** sameDay / accepted (即办率). */
  sameDayRate: number | null;
  reviews: number;
  /** Reviews of grade 3 to 5. */
  satisfied: number;
  /** satisfied / reviews (满意率). */
  satisfaction: number | null;
}

/** A co-approving department's tasks (协办). */
export interface CoApproverFigures {
  tasks: number;
  /** Granted or refused (a request for supplementary material is not the answer). */
  answered: number;
  /** Closed unanswered by another department's refusal. */
  cancelled: number;
  /** Still open (or awaiting the supplement) at the end. */
  open: number;
  /** Answered after the due date, or still open after it at the end. */
  overdue: number;
  /** Of answered tasks: the median (the mean of the two middle ones for an even count) and the 95th percentile (nearest rank) of working days taken. */
  medianWorkingDays: number | null;
  p95WorkingDays: number | null;
}

/** How the sending of one case went: its case number, and how many of its steps (a prefix) the gateway answered. */
export interface CaseOutcome {
  readonly caseId: string | null;
  readonly stepsAnswered: number;
  /** The step refused (4xx) or given up on; the case's later steps were not sent. */
  readonly failure?: { readonly step: string; readonly status: number | null; readonly detail: string };
}

export interface TruthCase {
  key: string;
  caseId: string | null;
  itemCode: string;
  leadDepartment: string;
  kind: CaseKind;
  submittedAt: string | null;
  acceptedOn: LocalDate | null;
  /** The status GET /v1/cases/{caseId} should show; null when the submission itself failed. */
  status: CaseStatus | null;
  decidedOn: LocalDate | null;
  promisedDueDate: LocalDate | null;
  legalDueDate: LocalDate | null;
  workingDaysUsed: number | null;
  onTime: boolean | null;
  grade: number | null;
  steps: number;
  stepsAnswered: number;
  failure?: CaseOutcome['failure'];
}

export const TRUTH_FORMAT = 'hub-simulate-truth/1';

export interface GroundTruth {
  format: typeof TRUTH_FORMAT;
  seed: number;
  from: LocalDate;
  to: LocalDate;
  perDay: number;
  workingDays: number;
  sent: { cases: number; steps: number; stepsAnswered: number; failures: number };
  overall: Figures;
  byItem: Record<string, Figures & { name: string }>;
  byLeadDepartment: Record<string, Figures>;
  /** By the Asia/Shanghai day of acceptance; a case not accepted by the day of its intake decision, or of its submission. */
  byDay: Record<LocalDate, Figures>;
  coApprovers: Record<string, CoApproverFigures>;
  cases: TruthCase[];
}

/**
 * The exact figures a run of `plan` produced, worked out from the plan with
 * the working-day calendar (never read back from the hub): each case as far
 * as the gateway answered its steps (`outcomes[i]` for case i; all of them
 * when absent), grouped overall, by item, by lead department and by day of
 * acceptance, with each co-approving department's task times.
 */
export function groundTruth(plan: HistoryPlan, calendar: WorkingCalendar, outcomes?: readonly (CaseOutcome | undefined)[]): GroundTruth {
  const overall = new Tally();
  const byItem = new Map<string, Tally>();
  const byLead = new Map<string, Tally>();
  const byDay = new Map<LocalDate, Tally>();
  const coApprovers = new Map<string, TaskTally>();
  const cases: TruthCase[] = [];
  let steps = 0;
  let stepsAnswered = 0;
  let failures = 0;
  const tally = <K>(map: Map<K, Tally>, key: K) => {
    let found = map.get(key);
    if (!found) map.set(key, (found = new Tally()));
    return found;
  };

  for (const planned of plan.cases) {
    const outcome = outcomes?.[planned.index];
    const answered = outcome?.stepsAnswered ?? (outcomes === undefined ? planned.steps.length : 0);
    const facts = replayCase(planned.item, planned.steps, calendar, plan.to, answered);
    steps += planned.steps.length;
    stepsAnswered += answered;
    if (outcome?.failure) failures += 1;
    cases.push(truthCase(planned, facts, answered, outcome));
    if (facts.status === undefined) continue;
    const day = facts.intakeOn ?? (facts.submittedAt ? shanghaiDate(facts.submittedAt) : plan.from);
    for (const group of [overall, tally(byItem, planned.item.itemCode), tally(byLead, planned.item.leadDepartment), tally(byDay, day)]) group.add(planned, facts);
    for (const task of facts.tasks) {
      let found = coApprovers.get(task.department);
      if (!found) coApprovers.set(task.department, (found = new TaskTally()));
      found.add(task);
    }
  }

  const names = new Map(plan.cases.map((c) => [c.item.itemCode, c.item.name]));
  return {
    format: TRUTH_FORMAT,
    seed: plan.seed,
    from: plan.from,
    to: plan.to,
    perDay: plan.perDay,
    workingDays: plan.workingDays.length,
    sent: { cases: plan.cases.length, steps, stepsAnswered, failures },
    overall: overall.figures(),
    byItem: Object.fromEntries(sorted(byItem).map(([code, t]) => [code, { name: names.get(code) ?? code, ...t.figures() }])),
    byLeadDepartment: Object.fromEntries(sorted(byLead).map(([lead, t]) => [lead, t.figures()])),
    byDay: Object.fromEntries(sorted(byDay).map(([day, t]) => [day, t.figures()])),
    coApprovers: Object.fromEntries(sorted(coApprovers).map(([department, t]) => [department, t.figures()])),
    cases,
  };
}

function truthCase(planned: PlannedCase, facts: CaseFacts, answered: number, outcome: CaseOutcome | undefined): TruthCase {
  return {
    key: planned.key,
    caseId: outcome?.caseId ?? null,
    itemCode: planned.item.itemCode,
    leadDepartment: planned.item.leadDepartment,
    kind: planned.kind,
    submittedAt: facts.submittedAt?.toISOString() ?? null,
    acceptedOn: facts.acceptedOn ?? null,
    status: facts.status ?? null,
    decidedOn: facts.decidedOn ?? null,
    promisedDueDate: facts.promisedDueDate,
    legalDueDate: facts.legalDueDate,
    workingDaysUsed: facts.workingDaysUsed ?? null,
    onTime: facts.onTime ?? null,
    grade: facts.grade ?? null,
    steps: planned.steps.length,
    stepsAnswered: answered,
    ...(outcome?.failure ? { failure: outcome.failure } : {}),
  };
}

function sorted<V>(map: Map<string, V>): [string, V][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Rounded to 12 decimals, so that the sums' floating-point noise does not show (0.666666666667, not 0.6666666666666724). */
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1e12) / 1e12);

class Tally {
  submitted = 0;
  accepted = 0;
  refusedAtIntake = 0;
  completed = 0;
  onTime = 0;
  sameDay = 0;
  reviews = 0;
  satisfied = 0;
  handlingSum = 0;
  promisedSum = 0;

  add(planned: PlannedCase, facts: CaseFacts): void {
    const { legalDays, promisedDays } = planned.item;
    this.submitted += 1;
    if (facts.status === 'refused-at-intake') this.refusedAtIntake += 1;
    if (facts.acceptedOn !== undefined) {
      this.accepted += 1;
      this.promisedSum += 1 - promisedDays / legalDays;
    }
    if (facts.decidedOn !== undefined) {
      this.completed += 1;
      this.handlingSum += 1 - (facts.workingDaysUsed ?? 0) / legalDays;
      if (facts.onTime) this.onTime += 1;
      if (facts.sameDay) this.sameDay += 1;
    }
    if (facts.grade !== undefined) {
      this.reviews += 1;
      if (facts.grade >= 3) this.satisfied += 1;
    }
  }

  figures(): Figures {
    return {
      submitted: this.submitted,
      accepted: this.accepted,
      refusedAtIntake: this.refusedAtIntake,
      completed: this.completed,
      inProgress: this.accepted - this.completed,
      onTime: this.onTime,
      onTimeRate: ratio(this.onTime, this.completed),
      handlingSpeedUp: ratio(this.handlingSum, this.completed),
      promisedSpeedUp: ratio(this.promisedSum, this.accepted),
      sameDay: this.sameDay,
      sameDayRate: ratio(this.sameDay, this.accepted),
      reviews: this.reviews,
      satisfied: this.satisfied,
      satisfaction: ratio(this.satisfied, this.reviews),
    };
  }
}

class TaskTally {
  tasks = 0;
  cancelled = 0;
  open = 0;
  overdue = 0;
  readonly days: number[] = [];

  add(task: CaseFacts['tasks'][number]): void {
    this.tasks += 1;
    if (task.workingDays !== null) this.days.push(task.workingDays);
    if (task.status === 'cancelled') this.cancelled += 1;
    if (task.status === 'open' || task.status === 'awaiting-supplement') this.open += 1;
    if (task.overdue) this.overdue += 1;
  }

  figures(): CoApproverFigures {
    const days = [...this.days].sort((a, b) => a - b);
    const n = days.length;
    const median = n === 0 ? null : n % 2 === 1 ? days[(n - 1) / 2]! : (days[n / 2 - 1]! + days[n / 2]!) / 2;
    return {
      tasks: this.tasks,
      answered: n,
      cancelled: this.cancelled,
      open: this.open,
      overdue: this.overdue,
      medianWorkingDays: median,
      p95WorkingDays: n === 0 ? null : days[Math.ceil(0.95 * n) - 1]!,
    };
  }
}

/**
 * The truth file's text: the figures indented, one line per case, so that a
 * year of cases stays readable and diffable.
 */
export function truthFileText(truth: GroundTruth): string {
  const { cases, ...figures } = truth;
  const head = JSON.stringify(figures, null, 2);
  const lines = cases.map((c) => `    ${JSON.stringify(c)}`).join(',\n');
  return `${head.slice(0, -2)},\n  "cases": [\n${lines}${lines ? '\n' : ''}  ]\n}\n`;
}
