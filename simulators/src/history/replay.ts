import { type LocalDate, type Suspension, type WorkingCalendar, shanghaiDate } from '@hub/calendar';
import type { CatalogueItem } from '../cases/catalogue.ts';
import type { CaseStatus } from '../cases/case-view.ts';
import type { CaseStep } from '../cases/steps.ts';

/** One step of a script, at its own time. */
export interface TimedStep {
  readonly at: Date;
  readonly step: CaseStep;
}

type TaskStatus = 'open' | 'awaiting-supplement' | 'granted' | 'refused' | 'cancelled';

interface Task {
  readonly department: string;
  readonly stage: number;
  readonly dueDays: number;
  readonly requestedAt: Date;
  status: TaskStatus;
  answeredAt?: Date;
}

interface SuspensionSpan {
  readonly since: Date;
  resumedAt?: Date;
}

/** A co-approval task (协办任务) as it stands after the script, with its time figures. */
export interface TaskFacts {
  readonly department: string;
  readonly stage: number;
  readonly status: TaskStatus;
  readonly requestedOn: LocalDate;
  /** Its due date, moved by the suspensions while it was open; null while the clock is stopped. */
  readonly dueDate: LocalDate | null;
  readonly answeredOn: LocalDate | null;
  /** Working days from the request to the answer (day 1 the first after the request), suspensions excluded; null unanswered. */
  readonly workingDays: number | null;
  /** Answered after its due date, or still open after it on `end`. */
  readonly overdue: boolean;
}

/** What a case script amounts to, by the hub's own rules (see domain.md: Cases, time limits and supervision). */
export interface CaseFacts {
  /** Undefined when not even the submission was taken. */
  readonly status: CaseStatus | undefined;
  readonly submittedAt: Date | undefined;
  /** The day of acceptance or of refusal at intake. */
  readonly intakeOn: LocalDate | undefined;
  readonly acceptedOn: LocalDate | undefined;
  readonly decidedOn: LocalDate | undefined;
  readonly approved: boolean | undefined;
  /** Promised (承诺) and legal (法定) due dates; null before acceptance and while an open suspension stops the clock. */
  readonly promisedDueDate: LocalDate | null;
  readonly legalDueDate: LocalDate | null;
  /** Working days from acceptance to the decision, suspensions excluded; completed cases only. */
  readonly workingDaysUsed: number | undefined;
  /** Completed (办结) on or before the promised due date. */
  readonly onTime: boolean | undefined;
  /** Completed on the day of acceptance. */
  readonly sameDay: boolean | undefined;
  readonly grade: number | undefined;
  readonly suspensions: readonly Suspension[];
  readonly tasks: readonly TaskFacts[];
}

/** A step the case's state does not allow: the planner made a mistake. */
export class ScriptError extends Error {
  override name = 'ScriptError';
}

/**
 * Folds the first `count` steps of a script (all by default) the way the
 * hub's case aggregate would, and works out the case's figures with the
 * working-day calendar: day 1 is the first working day after acceptance (of
 * the request, for a task); a suspension's own day counts, the working days
 * after it up to and including the day it resumes do not. `end` is the last
 * day of the run, against which a task still open is overdue. Throws
 * ScriptError on a step the state does not allow.
 */
export function replayCase(item: CatalogueItem, steps: readonly TimedStep[], calendar: WorkingCalendar, end: LocalDate, count = steps.length): CaseFacts {
  let status: CaseStatus | undefined;
  let submittedAt: Date | undefined;
  let intakeAt: Date | undefined;
  let acceptedAt: Date | undefined;
  let openStage: number | undefined;
  let coApproverRefused = false;
  let decision: { approved: boolean; at: Date } | undefined;
  let grade: number | undefined;
  let last: Date | undefined;
  const tasks: Task[] = [];
  const suspensions: SuspensionSpan[] = [];
  const open = () => suspensions.find((s) => s.resumedAt === undefined);

  const requestStage = (number: number, at: Date) => {
    const stage = item.stages[number - 1];
    if (stage === undefined) {
      openStage = undefined;
      status = 'awaiting-decision';
      return;
    }
    for (const department of stage.departments) tasks.push({ department, stage: number, dueDays: stage.dueDays, requestedAt: at, status: 'open' });
    openStage = number;
    status = 'co-approval';
  };
  const expect = (wanted: readonly (CaseStatus | undefined)[], what: string) => {
    if (!wanted.includes(status)) throw new ScriptError(`${what} is not allowed in status ${status ?? '(none)'}`);
  };

  for (const { at, step } of steps.slice(0, count)) {
    if (last !== undefined && at < last) throw new ScriptError(`${step.type} at ${at.toISOString()} is before the previous step at ${last.toISOString()}`);
    last = at;
    switch (step.type) {
      case 'submit':
        expect([undefined], 'submit');
        status = 'submitted';
        submittedAt = at;
        break;
      case 'accept':
        expect(['submitted'], 'accept');
        acceptedAt = intakeAt = at;
        requestStage(1, at);
        break;
      case 'refuse-at-intake':
        expect(['submitted'], 'refuse-at-intake');
        intakeAt = at;
        status = 'refused-at-intake';
        break;
      case 'answer': {
        const suspended = open();
        if (status !== 'co-approval' && status !== 'suspended') throw new ScriptError(`answer by ${step.department} is not allowed in status ${status ?? '(none)'}`);
        if (step.stage !== undefined && step.stage !== openStage) throw new ScriptError(`answer for stage ${step.stage}, but stage ${openStage} is open`);
        const task = tasks.find((t) => t.department === step.department && t.stage === openStage);
        if (task?.status !== 'open') throw new ScriptError(`${step.department} has no open task in stage ${openStage} (${task?.status ?? 'not asked'})`);
        if (step.answer === 'supplement') {
          if ((step.materials ?? []).length === 0) throw new ScriptError('a supplement names its materials');
          task.status = 'awaiting-supplement';
          if (!suspended) suspensions.push({ since: at });
          status = 'suspended';
          break;
        }
        if (suspended) throw new ScriptError(`${step.department} answers ${step.answer} while the case is suspended`);
        task.status = step.answer === 'grant' ? 'granted' : 'refused';
        task.answeredAt = at;
        if (step.answer === 'refuse') {
          if (!step.reason) throw new ScriptError('a refusal gives its reason');
          for (const other of tasks) if (other.status === 'open' || other.status === 'awaiting-supplement') other.status = 'cancelled';
          coApproverRefused = true;
          openStage = undefined;
          status = 'awaiting-decision';
        } else if (tasks.every((t) => t.stage !== openStage || t.status === 'granted')) {
          requestStage((openStage ?? 0) + 1, at);
        }
        break;
      }
      case 'bring-supplement': {
        const suspended = open();
        if (!suspended) throw new ScriptError(`bring-supplement while not suspended (status ${status ?? '(none)'})`);
        suspended.resumedAt = at;
        for (const task of tasks) if (task.status === 'awaiting-supplement') task.status = 'open';
        status = 'co-approval';
        break;
      }
      case 'decide':
        expect(['awaiting-decision'], 'decide');
        if (step.department !== item.leadDepartment) throw new ScriptError(`${step.department} decides, but ${item.leadDepartment} leads`);
        if (step.approved && coApproverRefused) throw new ScriptError('approved after a co-approver refused');
        if (!step.approved && !step.reason) throw new ScriptError('a refusal gives its reason');
        decision = { approved: step.approved, at };
        status = step.approved ? 'approved' : 'refused';
        break;
      case 'assess-fee':
        if (!item.fee) throw new ScriptError(`item ${item.itemCode} is free`);
        expect(['approved'], 'assess-fee');
        status = 'fee-assessed';
        break;
      case 'pay-fee':
        expect(['fee-assessed'], 'pay-fee');
        status = 'paid';
        break;
      case 'issue-certificate':
        if (!item.certificateType) throw new ScriptError(`item ${item.itemCode} issues no certificate`);
        expect([item.fee ? 'paid' : 'approved'], 'issue-certificate');
        status = 'certificate-issued';
        break;
      case 'deliver':
        expect([decision?.approved ? (item.certificateType ? 'certificate-issued' : item.fee ? 'paid' : 'approved') : 'refused'], 'deliver');
        status = 'delivered';
        break;
      case 'review':
        expect(['delivered'], 'review');
        if (!Number.isInteger(step.grade) || step.grade < 1 || step.grade > 5) throw new ScriptError(`grade ${step.grade}`);
        grade = step.grade;
        status = 'reviewed';
        break;
      default: {
        const _exhaustive: never = step;
        throw new ScriptError(`unknown step ${JSON.stringify(_exhaustive)}`);
      }
    }
  }

  const asDates = (spans: readonly SuspensionSpan[]): Suspension[] =>
    spans.map((s) => (s.resumedAt ? { from: shanghaiDate(s.since), resumedOn: shanghaiDate(s.resumedAt) } : { from: shanghaiDate(s.since) }));
  const allSuspensions = asDates(suspensions);
  const acceptedOn = acceptedAt ? shanghaiDate(acceptedAt) : undefined;
  const decidedOn = decision ? shanghaiDate(decision.at) : undefined;
  const promised = acceptedOn === undefined ? undefined : calendar.dueDate(acceptedOn, item.promisedDays, allSuspensions).dueDate;
  const legal = acceptedOn === undefined ? undefined : calendar.dueDate(acceptedOn, item.legalDays, allSuspensions).dueDate;
  const used = acceptedOn !== undefined && decidedOn !== undefined ? calendar.workingDaysUsed(acceptedOn, decidedOn, allSuspensions).days : undefined;

  return {
    status,
    submittedAt,
    intakeOn: intakeAt ? shanghaiDate(intakeAt) : undefined,
    acceptedOn,
    decidedOn,
    approved: decision?.approved,
    promisedDueDate: promised ?? null,
    legalDueDate: legal ?? null,
    workingDaysUsed: used,
    onTime: decidedOn === undefined ? undefined : promised !== undefined && decidedOn <= promised,
    sameDay: decidedOn === undefined ? undefined : decidedOn === acceptedOn,
    grade,
    suspensions: allSuspensions,
    tasks: tasks.map((task) => taskFacts(task, suspensions, calendar, end, asDates)),
  };
}

function taskFacts(
  task: Task,
  suspensions: readonly SuspensionSpan[],
  calendar: WorkingCalendar,
  end: LocalDate,
  asDates: (spans: readonly SuspensionSpan[]) => Suspension[],
): TaskFacts {
  // As the hub's task deadline: the suspensions that started while the task was open.
  const during = asDates(suspensions.filter((s) => s.since >= task.requestedAt && (task.answeredAt === undefined || s.since < task.answeredAt)));
  const requestedOn = shanghaiDate(task.requestedAt);
  const dueDate = calendar.dueDate(requestedOn, task.dueDays, during).dueDate ?? null;
  const answeredOn = task.answeredAt ? shanghaiDate(task.answeredAt) : null;
  const stillOpen = task.status === 'open' || task.status === 'awaiting-supplement';
  return {
    department: task.department,
    stage: task.stage,
    status: task.status,
    requestedOn,
    dueDate,
    answeredOn,
    workingDays: answeredOn === null ? null : calendar.workingDaysUsed(requestedOn, answeredOn, during).days,
    overdue: dueDate !== null && ((answeredOn !== null && answeredOn > dueDate) || (stillOpen && end > dueDate)),
  };
}
