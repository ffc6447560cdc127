import { type LocalDate, shanghaiDate } from '@hub/calendar';
import { Semaphore } from '@hub/runtime';
import type { StepSender } from '../cases/gateway-client.ts';
import { gatewayCall, stepLabel } from '../cases/steps.ts';
import type { HistoryPlan } from './plan.ts';
import type { CaseOutcome } from './truth.ts';

export interface SendProgress {
  readonly daysDone: number;
  readonly days: number;
  /** Cases whose submission the gateway took. */
  readonly casesSubmitted: number;
  readonly cases: number;
  readonly stepsAnswered: number;
  /** Answered, or left out because an earlier step of their case failed. */
  readonly stepsDone: number;
  readonly steps: number;
  /** Cases with a step refused (4xx) or given up on. */
  readonly failures: number;
  /** The day being sent. */
  readonly day: LocalDate | undefined;
}

export interface HistorySendOptions {
  readonly gateway: StepSender;
  /** Requests in flight at most, across cases; 32 by default. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** After every step, and once a day is through. */
  readonly onProgress?: (progress: SendProgress) => void;
}

export interface HistorySendResult {
  /** By case index. */
  readonly outcomes: CaseOutcome[];
  readonly progress: SendProgress;
  /** Aborted before the end. */
  readonly stopped: boolean;
}

/** The steps of one case that fall on one day: indices [first, last]. */
interface Run {
  readonly caseIndex: number;
  readonly first: number;
  readonly last: number;
}

/**
 * Sends a plan to the gateway day by day, because supervision runs on event
 * time and the hub must see time in order: the steps that fall on one
 * Asia/Shanghai date go concurrently across cases (at most `concurrency` in
 * flight), each case's in order, and no step of the next day is sent before
 * every step of this one has been answered. A submission's answer names the
 * case the later steps go to. A step refused (4xx) or given up on is the
 * case's failure: its later steps are not sent.
 */
export async function sendHistory(plan: HistoryPlan, options: HistorySendOptions): Promise<HistorySendResult> {
  const { gateway, concurrency = 32, onProgress } = options;
  const signal = options.signal ?? new AbortController().signal;
  const days = runsByDay(plan);
  const limit = new Semaphore(concurrency);
  const state = plan.cases.map(() => ({ caseId: null as string | null, answered: 0, failure: undefined as CaseOutcome['failure'] }));
  const totalSteps = plan.cases.reduce((sum, c) => sum + c.steps.length, 0);
  let daysDone = 0;
  let casesSubmitted = 0;
  let stepsAnswered = 0;
  let stepsDone = 0;
  let failures = 0;
  let day: LocalDate | undefined;
  const progress = (): SendProgress => ({
    daysDone, days: days.length, casesSubmitted, cases: plan.cases.length, stepsAnswered, stepsDone, steps: totalSteps, failures, day,
  });

  const sendRun = async ({ caseIndex, first, last }: Run): Promise<void> => {
    const planned = plan.cases[caseIndex];
    const own = state[caseIndex];
    if (!planned || !own) return;
    for (let i = first; i <= last; i += 1) {
      const timed = planned.steps[i];
      if (!timed || signal.aborted) return;
      if (own.failure !== undefined) {
        stepsDone += 1;
        continue;
      }
      const call = gatewayCall(timed.step, own.caseId ?? '', timed.at);
      const reply = await gateway.send(call, signal);
      if (reply.kind === 'stopped') return;
      stepsDone += 1;
      if (reply.kind === 'answered') {
        if (timed.step.type === 'submit') {
          const caseId = caseIdOf(reply.body);
          if (caseId === undefined) {
            own.failure = { step: 'submit', status: reply.status, detail: 'the answer names no caseId' };
          } else {
            own.caseId = caseId;
            casesSubmitted += 1;
          }
        }
        if (own.failure === undefined) {
          own.answered = i + 1;
          stepsAnswered += 1;
        }
      } else {
        own.failure = reply.kind === 'refused'
          ? { step: stepLabel(timed.step), status: reply.status, detail: reply.detail }
          : { step: stepLabel(timed.step), status: null, detail: `gave up after ${reply.attempts} attempts: ${reply.problem}` };
      }
      // The case had not failed when this step went out, so a failure now is a new one.
      if (own.failure !== undefined) failures += 1;
      onProgress?.(progress());
    }
  };

  for (const [date, runs] of days) {
    if (signal.aborted) break;
    day = date;
    // The barrier: every run of this day is answered before the next day starts.
    await Promise.all(runs.map((run) => limit.use(() => sendRun(run))));
    if (signal.aborted) break;
    daysDone += 1;
    onProgress?.(progress());
  }
  const outcomes = state.map((s): CaseOutcome => ({ caseId: s.caseId, stepsAnswered: s.answered, ...(s.failure ? { failure: s.failure } : {}) }));
  return { outcomes, progress: progress(), stopped: signal.aborted };
}

/** The plan's steps grouped by Asia/Shanghai date, the dates in order; within a day, each case's steps as one run. */
export function runsByDay(plan: HistoryPlan): [LocalDate, Run[]][] {
  const days = new Map<LocalDate, Run[]>();
  for (const planned of plan.cases) {
    let first = 0;
    for (let i = 0; i < planned.steps.length; i += 1) {
      const here = shanghaiDate(planned.steps[i]!.at);
      const next = planned.steps[i + 1];
      if (next !== undefined && shanghaiDate(next.at) === here) continue;
      let runs = days.get(here);
      if (!runs) days.set(here, (runs = []));
      runs.push({ caseIndex: planned.index, first, last: i });
      first = i + 1;
    }
  }
  return [...days].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function caseIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('caseId' in body)) return undefined;
  return typeof body.caseId === 'string' && body.caseId !== '' ? body.caseId : undefined;
}
