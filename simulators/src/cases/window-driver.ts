import { shanghaiDate } from '@hub/calendar';
import type { DepartmentCode } from '@hub/schemas';
import { type Clock, systemClock } from '../clock.ts';
import type { EmitterLogger } from '../emitter.ts';
import type { SimulatedRegion } from '../places.ts';
import { type Random, pick } from '../random.ts';
import { type CatalogueItem, coApproversOf, readCatalogue } from './catalogue.ts';
import type { StepSender } from './gateway-client.ts';
import { type CaseStatus, type CaseViewPart, readCaseView } from './case-view.ts';
import { type CaseTrafficMetrics, noCaseMetrics } from './metrics.ts';
import { type WindowShares, nextWindowStep } from './next-step.ts';
import { type CaseStep, gatewayCall, stepLabel } from './steps.ts';
import { caseSubmission } from './submission.ts';

export interface WindowDriverOptions extends WindowShares {
  readonly gateway: StepSender;
  readonly random: Random;
  readonly region: SimulatedRegion;
  readonly logger: EmitterLogger;
  /** Dates the applicants (their age, the documents' folders). */
  readonly now: () => Date;
  /** Paces the submissions and the polling, and times the delays; the system's timers by default. */
  readonly clock?: Clock;
  readonly metrics?: CaseTrafficMetrics;
  /** The departments simulated here: only items whose co-approvers are all among them get cases (the others would never be answered). */
  readonly departments: readonly DepartmentCode[];
  /** Makes the idempotency keys of this run (`sim-<seed>-<run>-<n>`). */
  readonly seed: number;
  readonly ratePerMinute: number;
  /** How often a case is looked at (GET /v1/cases/{id}). */
  readonly pollMs: number;
  /** Time the window or the lead takes for a step. */
  readonly stepMs: number;
  /** Time the applicant takes to bring supplementary material. */
  readonly supplementMs: number;
  /** A case whose status has not changed for this long is forgotten. */
  readonly staleMs: number;
  /** Cases followed at most; beyond, the oldest is forgotten. 5000 by default. */
  readonly maxTracked?: number;
  /** Told when a case resumed after the applicant brought the material, so the department that asked answers again. */
  readonly onResumed?: (caseId: string) => void;
  /** Wait before asking for the items again after a refusal or an empty list; 30 s by default. */
  readonly itemsRetryMs?: number;
}

export interface WindowDriverStats {
  submitted: number;
  steps: number;
  refusedSteps: number;
  completed: number;
  forgotten: number;
}

interface TrackedCase {
  readonly caseId: string;
  readonly item: CatalogueItem;
  status: CaseStatus;
  /** When the case is next looked at. */
  dueMs: number;
  /** When its status last changed. */
  changedMs: number;
  /** The view a step answered with; used instead of a GET while only the window can move the case. */
  view: CaseViewPart | undefined;
  /** When the window first saw the case suspended for material. */
  suspendedSeenMs: number | undefined;
}

/** Statuses in which someone other than the window moves the case: look again with a GET. */
const MOVED_BY_OTHERS: ReadonlySet<CaseStatus> = new Set(['co-approval', 'suspended']);

/**
 * A service-centre window (综合受理窗口) making live case traffic: it submits
 * cases of the shipped items at a steady rate (the items are read from
 * `GET /v1/items` at start, asked again until the gateway answers), accepts
 * each after a step's time (a share refused at intake), and moves the cases
 * it submitted along by looking at them every `pollMs`: the lead decides when
 * co-approval is over, the fee, certificate, delivery and review follow as the
 * item needs, and a case suspended for material resumes once the applicant
 * brought it. The co-approvers' answers are the CoApprovalAnswerer's. A step
 * refused (4xx) is logged and the case forgotten; 5xx and network errors are
 * retried by the gateway client. Completed, refused and stale cases are
 * forgotten, so memory stays bounded. It never throws.
 */
export class WindowDriver {
  readonly stats: WindowDriverStats = { submitted: 0, steps: 0, refusedSteps: 0, completed: 0, forgotten: 0 };
  readonly #tracked = new Map<string, TrackedCase>();
  #items: CatalogueItem[] = [];
  #stopping = new AbortController();
  #running: Promise<void> | undefined;
  #next = 0;
  readonly #run: string;

  constructor(private readonly options: WindowDriverOptions) {
    this.#run = options.now().getTime().toString(36);
  }

  /** The items cases are submitted for, once read from the gateway. */
  get items(): readonly CatalogueItem[] {
    return this.#items;
  }

  /** Cases being followed. */
  get tracked(): number {
    return this.#tracked.size;
  }

  /** Whether this window submitted the case and still moves it along. */
  follows(caseId: string): boolean {
    return this.#tracked.has(caseId);
  }

  start(): void {
    if (this.#running !== undefined) return;
    this.#stopping = new AbortController();
    const signal = this.#stopping.signal;
    this.#running = (async () => {
      if (!(await this.#loadItems(signal))) return;
      await Promise.all([this.#submitLoop(signal), this.#pollLoop(signal)]);
    })().catch((error: unknown) => {
      if (!signal.aborted) this.options.logger.error({ err: error }, 'case traffic stopped');
    });
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
    this.#running = undefined;
  }

  get #clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  get #metrics(): CaseTrafficMetrics {
    return this.options.metrics ?? noCaseMetrics;
  }

  async #loadItems(signal: AbortSignal): Promise<boolean> {
    const { gateway, logger, departments, itemsRetryMs = 30_000 } = this.options;
    const simulated = new Set<string>(departments);
    while (!signal.aborted) {
      const reply = await gateway.send({ method: 'GET', path: '/v1/items', as: 'window' }, signal);
      if (reply.kind === 'stopped') return false;
      if (reply.kind === 'answered') {
        const { items, skipped } = readCatalogue(reply.body);
        this.#items = items.filter((item) => coApproversOf(item).every((d) => simulated.has(d)));
        const left = items.filter((item) => !this.#items.includes(item)).map((item) => `${item.name} (${coApproversOf(item).filter((d) => !simulated.has(d)).join(', ')})`);
        if (left.length > 0) logger.info({ items: left }, 'no case traffic for items whose co-approvers are not simulated (add them to SIMULATORS_DEPARTMENTS)');
        if (skipped > 0) logger.warn({ skipped }, 'items the simulators could not read were skipped');
        if (this.#items.length > 0) {
          logger.info({ items: this.#items.length, ratePerMinute: this.options.ratePerMinute }, 'case traffic starts');
          return true;
        }
        logger.warn({ listed: items.length }, 'no item to submit cases for; asking again');
      }
      await this.#clock.sleep(itemsRetryMs, signal);
    }
    return false;
  }

  async #submitLoop(signal: AbortSignal): Promise<void> {
    const clock = this.#clock;
    const intervalMs = 60_000 / this.options.ratePerMinute;
    let due = clock.nowMs();
    while (!signal.aborted) {
      await this.#submit(signal);
      due = Math.max(due + intervalMs, clock.nowMs() - intervalMs);
      const wait = due - clock.nowMs();
      if (wait > 0) await clock.sleep(wait, signal);
    }
  }

  async #submit(signal: AbortSignal): Promise<void> {
    const { random, region, now, seed, stepMs, maxTracked = 5000 } = this.options;
    const item = pick(random, this.#items);
    const key = `sim-${seed}-${this.#run}-${this.#next++}`;
    const step: CaseStep = { type: 'submit', key, submission: caseSubmission(random, region, item, shanghaiDate(now())) };
    const reply = await this.options.gateway.send(gatewayCall(step, ''), signal);
    if (reply.kind !== 'answered') {
      if (reply.kind !== 'stopped') this.#metrics.stepAnswered('submit', reply.kind);
      return;
    }
    const body = reply.body as { caseId?: unknown } | undefined;
    if (typeof body?.caseId !== 'string') {
      this.options.logger.error({ body }, 'the gateway took a case without naming it');
      return;
    }
    this.stats.submitted += 1;
    this.#metrics.caseSubmitted(item.leadDepartment);
    this.#metrics.stepAnswered('submit', 'answered');
    const nowMs = this.#clock.nowMs();
    this.#tracked.set(body.caseId, { caseId: body.caseId, item, status: 'submitted', dueMs: nowMs + stepMs, changedMs: nowMs, view: undefined, suspendedSeenMs: undefined });
    for (const oldest of this.#tracked.keys()) {
      if (this.#tracked.size <= maxTracked) break;
      this.#forget(oldest, 'too many cases followed');
    }
  }

  async #pollLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const nowMs = this.#clock.nowMs();
      for (const tracked of [...this.#tracked.values()]) {
        if (signal.aborted) return;
        if (tracked.dueMs <= nowMs && this.#tracked.has(tracked.caseId)) {
          try {
            await this.#advance(tracked, signal);
          } catch (error) {
            this.options.logger.error({ err: error, caseId: tracked.caseId }, 'could not move the case along; forgotten');
            this.#forget(tracked.caseId);
          }
        }
      }
      await this.#clock.sleep(this.options.pollMs, signal);
    }
  }

  /** One look at the case, and the window's or the lead's step if one is due. */
  async #advance(tracked: TrackedCase, signal: AbortSignal): Promise<void> {
    const { gateway, random, logger, pollMs, stepMs, supplementMs, staleMs } = this.options;
    const clock = this.#clock;
    let view: Pick<CaseViewPart, 'status' | 'coApprovalRefusal'> | undefined = tracked.status === 'submitted' ? { status: 'submitted' } : tracked.view;
    tracked.view = undefined;
    if (view === undefined || MOVED_BY_OTHERS.has(view.status)) {
      const reply = await gateway.send({ method: 'GET', path: `/v1/cases/${encodeURIComponent(tracked.caseId)}`, as: 'window' }, signal);
      if (reply.kind === 'stopped' || reply.kind === 'gave-up') return;
      if (reply.kind === 'refused') return this.#forget(tracked.caseId, `GET answered ${reply.status}`);
      view = readCaseView(reply.body);
      if (view === undefined) {
        logger.warn({ caseId: tracked.caseId }, 'the case view could not be read; forgotten');
        return this.#forget(tracked.caseId);
      }
    }
    const nowMs = clock.nowMs();
    if (view.status !== tracked.status) {
      tracked.status = view.status;
      tracked.changedMs = nowMs;
    } else if (nowMs - tracked.changedMs > staleMs) {
      logger.warn({ caseId: tracked.caseId, status: view.status, sinceMs: nowMs - tracked.changedMs }, 'case has not moved; forgotten');
      return this.#forget(tracked.caseId);
    }
    if (view.status !== 'suspended') tracked.suspendedSeenMs = undefined;

    const action = nextWindowStep(view, tracked.item, random, this.options);
    if (action.kind === 'done') {
      this.stats.completed += 1;
      this.#tracked.delete(tracked.caseId);
      return;
    }
    if (action.kind === 'wait') {
      tracked.dueMs = nowMs + pollMs;
      return;
    }
    if (action.step.type === 'bring-supplement') {
      tracked.suspendedSeenMs ??= nowMs;
      const ready = tracked.suspendedSeenMs + supplementMs;
      if (nowMs < ready) {
        tracked.dueMs = Math.min(ready, nowMs + pollMs);
        return;
      }
    }
    const step = action.step;
    const reply = await gateway.send(gatewayCall(step, tracked.caseId), signal);
    if (reply.kind === 'stopped') return;
    if (reply.kind === 'gave-up') {
      this.#metrics.stepAnswered(stepLabel(step), 'gave-up');
      tracked.dueMs = clock.nowMs() + pollMs;
      return;
    }
    if (reply.kind === 'refused') {
      this.stats.refusedSteps += 1;
      this.#metrics.stepAnswered(stepLabel(step), 'refused');
      return this.#forget(tracked.caseId);
    }
    this.stats.steps += 1;
    this.#metrics.stepAnswered(stepLabel(step), 'answered');
    const after = readCaseView(reply.body);
    tracked.view = after;
    tracked.dueMs = clock.nowMs() + stepMs;
    if (after) {
      if (after.status !== tracked.status) tracked.changedMs = clock.nowMs();
      tracked.status = after.status;
    } else if (step.type === 'accept') {
      tracked.status = 'awaiting-decision'; // not read: look it up next time
    }
    if (step.type === 'refuse-at-intake') {
      this.#tracked.delete(tracked.caseId);
      this.stats.completed += 1;
    }
    if (step.type === 'bring-supplement') {
      tracked.suspendedSeenMs = undefined;
      this.options.onResumed?.(tracked.caseId);
    }
  }

  #forget(caseId: string, why?: string): void {
    if (!this.#tracked.delete(caseId)) return;
    this.stats.forgotten += 1;
    if (why) this.options.logger.warn({ caseId, why }, 'case forgotten');
  }
}
