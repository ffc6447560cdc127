import { setMaxListeners } from 'node:events';
import type { CoApprovalRequested, DepartmentCode } from '@hub/schemas';
import { isDepartmentCode } from '@hub/schemas';
import { type Clock, systemClock } from '../clock.ts';
import { type CoApprovalAnswer, type CoApprovalConfig, answerCoApproval, drawDelay } from '../co-approval.ts';
import type { EmitterLogger } from '../emitter.ts';
import type { Random } from '../random.ts';
import { readCaseView } from './case-view.ts';
import type { StepSender } from './gateway-client.ts';
import { type CaseTrafficMetrics, noCaseMetrics } from './metrics.ts';
import { type CaseStep, gatewayCall, stepLabel } from './steps.ts';

/** Registry subjects of the payloads the departments' webhooks get from the hub. */
export const CO_APPROVAL_SUBJECT = 'cases.events-gov.hub.cases.CoApprovalRequested';
export const SUPERVISION_ALERT_SUBJECT = 'supervision.alerts-gov.hub.supervision.SupervisionAlert';

type AnswerStep = Extract<CaseStep, { type: 'answer' }>;

/**
 * The answer a department sends to `POST /v1/cases/{id}/answers` for the
 * decision of `answerCoApproval`: its events predate the API, whose body
 * names the answer (`grant`, `refuse`, `supplement`), the stage, a reason
 * (the opinion of a grant, the note of a supplement) and the materials.
 */
export function answerStep(department: DepartmentCode, answer: CoApprovalAnswer, stage: number | null): AnswerStep {
  const at = stage === null ? {} : { stage };
  switch (answer.type) {
    case 'CoApprovalGranted':
      return { type: 'answer', department, answer: 'grant', ...at, ...(answer.data.opinion === null ? {} : { reason: answer.data.opinion }) };
    case 'CoApprovalRefused':
      return { type: 'answer', department, answer: 'refuse', ...at, reason: answer.data.reason };
    case 'SupplementRequested':
      return { type: 'answer', department, answer: 'supplement', ...at, materials: [...answer.data.missingMaterials], ...(answer.data.note === null ? {} : { reason: answer.data.note }) };
    default: {
      const _exhaustive: never = answer;
      throw new Error(`unknown answer ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/**
 * The CoApprovalRequested of a webhook delivery (the sinks' body: the
 * envelope with `payloadSubject` and the decoded `payload`), or undefined
 * when the delivery is something else.
 */
export function coApprovalRequestOf(body: unknown): CoApprovalRequested | undefined {
  if (!isRecord(body) || body.payloadSubject !== CO_APPROVAL_SUBJECT || !isRecord(body.payload)) return undefined;
  const p = body.payload;
  const occurredAt = typeof p.occurredAt === 'string' || typeof p.occurredAt === 'number' ? new Date(p.occurredAt) : undefined;
  // A union decoded by a generic Avro reader may come wrapped: {"int": 2}.
  const stage = typeof p.stage === 'number' ? p.stage : isRecord(p.stage) && typeof p.stage.int === 'number' ? p.stage.int : null;
  if (typeof p.eventId !== 'string' || typeof p.caseId !== 'string' || typeof p.coApprover !== 'string' || occurredAt === undefined || Number.isNaN(occurredAt.getTime())) return undefined;
  return {
    eventId: p.eventId,
    occurredAt,
    caseId: p.caseId,
    requestedBy: typeof p.requestedBy === 'string' ? p.requestedBy : '',
    coApprover: p.coApprover,
    mode: p.mode === 'STAGED' ? 'STAGED' : 'PARALLEL',
    stage,
    dueDays: typeof p.dueDays === 'number' ? p.dueDays : 0,
  };
}

export interface CoApprovalAnswererOptions {
  readonly gateway: StepSender;
  readonly random: Random;
  /** Shares of refusals and supplements, and how long a department takes. */
  readonly config: CoApprovalConfig;
  readonly logger: EmitterLogger;
  readonly clock?: Clock;
  readonly metrics?: CaseTrafficMetrics;
  /** Answers waiting for their time at most; more requests are dropped with a warning. 10 000 by default. */
  readonly maxPending?: number;
  /** Cases remembered while they wait to resume; the oldest is forgotten beyond. 10 000 by default. */
  readonly maxWaiting?: number;
  /** Which cases' requests to answer; all by default. */
  readonly answers?: (caseId: string) => boolean;
}

export interface AnswererStats {
  requests: number;
  answered: number;
  refused: number;
  dropped: number;
  alerts: number;
  /** Requests of cases left to others (see `answers`). */
  notOurs: number;
}

/** What waits for a case to resume: an answer to send again, or a department that asked for material and answers afresh. */
type Waiting = { readonly kind: 'supplemented'; readonly request: CoApprovalRequested } | { readonly kind: 'held'; readonly request: CoApprovalRequested; readonly step: AnswerStep };

/**
 * The co-approving departments (协办部门) answering the requests that reach
 * their webhooks: each request is decided by `answerCoApproval` (grant,
 * refuse or supplement, after its drawn delay), then sent with the
 * department's token. A department that asked for material answers again
 * once the case resumes (`caseResumed`, which the window calls after the
 * applicant brought it), this time granting or refusing; an answer refused
 * because another department's supplement suspended the case is held until
 * then too. Any other 4xx is logged and the answer dropped; the gateway
 * client retries 5xx. Never throws.
 */
export class CoApprovalAnswerer {
  readonly stats: AnswererStats = { requests: 0, answered: 0, refused: 0, dropped: 0, alerts: 0, notOurs: 0 };
  readonly #pending = new Set<Promise<void>>();
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #stopping = new AbortController();

  constructor(private readonly options: CoApprovalAnswererOptions) {
    // Every answer waiting for its time listens to it.
    setMaxListeners(2 * (options.maxPending ?? 10_000) + 16, this.#stopping.signal);
  }

  /** Answers waiting for their time. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Cases with answers waiting for the case to resume. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** A delivery that reached `department`'s webhook (a repeat already dropped). */
  receive(department: string, body: unknown): void {
    if (isRecord(body) && body.payloadSubject === SUPERVISION_ALERT_SUBJECT) {
      this.stats.alerts += 1;
      (this.options.metrics ?? noCaseMetrics).supervisionAlert(department);
      return;
    }
    const request = coApprovalRequestOf(body);
    if (request === undefined || !isDepartmentCode(department)) return;
    if (this.options.answers && !this.options.answers(request.caseId)) {
      this.stats.notOurs += 1;
      return;
    }
    if (request.coApprover !== department) {
      this.options.logger.warn({ department, coApprover: request.coApprover, caseId: request.caseId }, 'co-approval request for another department; ignored');
      return;
    }
    this.stats.requests += 1;
    const { delayMs, answer } = answerCoApproval(request, this.options.random, this.options.config);
    this.#schedule(department, request, answerStep(department, answer, request.stage), delayMs);
  }

  /** The applicant brought the material of `caseId`: the departments waiting on it answer (again). */
  caseResumed(caseId: string): void {
    const waiting = this.#waiting.get(caseId);
    if (!waiting) return;
    this.#waiting.delete(caseId);
    const { random, config } = this.options;
    for (const entry of waiting) {
      const department = entry.request.coApprover;
      if (!isDepartmentCode(department)) continue;
      if (entry.kind === 'held') {
        this.#schedule(department, entry.request, entry.step, drawDelay(config.delay, random));
      } else {
        // Having the material now, it grants or refuses: it does not ask again.
        const { delayMs, answer } = answerCoApproval(entry.request, random, { ...config, supplementShare: 0 });
        this.#schedule(department, entry.request, answerStep(department, answer, entry.request.stage), delayMs);
      }
    }
  }

  /** Drops the answers still waiting; resolves once none is being sent. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await Promise.all([...this.#pending]);
  }

  #schedule(department: DepartmentCode, request: CoApprovalRequested, step: AnswerStep, delayMs: number, again = false): void {
    const { logger, maxPending = 10_000 } = this.options;
    if (this.#stopping.signal.aborted) return;
    if (this.#pending.size >= maxPending) {
      this.stats.dropped += 1;
      logger.warn({ department, caseId: request.caseId, pending: this.#pending.size }, 'too many co-approval answers waiting; request dropped');
      return;
    }
    const task = this.#answer(department, request, step, delayMs, again).catch((error: unknown) => {
      logger.error({ err: error, department, caseId: request.caseId }, 'co-approval answer failed');
    });
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  async #answer(department: DepartmentCode, request: CoApprovalRequested, step: AnswerStep, delayMs: number, again: boolean): Promise<void> {
    const { gateway, logger, clock = systemClock } = this.options;
    const metrics = this.options.metrics ?? noCaseMetrics;
    const signal = this.#stopping.signal;
    await clock.sleep(delayMs, signal);
    if (signal.aborted) return;
    const reply = await gateway.send(gatewayCall(step, request.caseId), signal);
    const label = stepLabel(step);
    switch (reply.kind) {
      case 'stopped':
        return;
      case 'gave-up':
        metrics.stepAnswered(label, 'gave-up');
        return;
      case 'answered':
        this.stats.answered += 1;
        metrics.stepAnswered(label, 'answered');
        if (step.answer === 'supplement') this.#wait(request.caseId, { kind: 'supplemented', request });
        return;
      case 'refused': {
        const task = reply.status === 409 && step.answer !== 'supplement' ? await this.#taskState(request.caseId, department, signal) : 'closed';
        if (task === 'suspended') {
          // Another department's request for material suspended the case: the answer waits for the case to resume.
          metrics.stepAnswered(label, 'deferred');
          this.#wait(request.caseId, { kind: 'held', request, step });
          logger.info({ department, caseId: request.caseId }, 'case suspended for material; the answer waits until it resumes');
          return;
        }
        if (task === 'open' && !again) {
          // It resumed between the refusal and the look: answer once more.
          metrics.stepAnswered(label, 'deferred');
          this.#schedule(department, request, step, drawDelay(this.options.config.delay, this.options.random), true);
          return;
        }
        this.stats.refused += 1;
        metrics.stepAnswered(label, 'refused');
        return;
      }
      default: {
        const _exhaustive: never = reply;
        return _exhaustive;
      }
    }
  }

  /** Whether the case is suspended, or in co-approval with the department's task open, or neither. */
  async #taskState(caseId: string, department: string, signal: AbortSignal): Promise<'suspended' | 'open' | 'closed'> {
    const reply = await this.options.gateway.send({ method: 'GET', path: `/v1/cases/${encodeURIComponent(caseId)}`, as: 'window' }, signal);
    const view = reply.kind === 'answered' ? readCaseView(reply.body) : undefined;
    if (view?.status === 'suspended') return 'suspended';
    if (view?.status === 'co-approval' && view.tasks.some((t) => t.department === department && t.status === 'open')) return 'open';
    return 'closed';
  }

  #wait(caseId: string, entry: Waiting): void {
    const { maxWaiting = 10_000 } = this.options;
    const list = this.#waiting.get(caseId) ?? [];
    list.push(entry);
    this.#waiting.set(caseId, list);
    for (const oldest of this.#waiting.keys()) {
      if (this.#waiting.size <= maxWaiting) break;
      this.#waiting.delete(oldest);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
