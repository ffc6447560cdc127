import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { observability } from '@hub/runtime';
import fp from 'fastify-plugin';
import type { DepartmentCode } from '@hub/schemas';
import { Gauge } from 'prom-client';
import { CoApprovalAnswerer } from './cases/answerer.ts';
import { GatewayClient } from './cases/gateway-client.ts';
import { caseTrafficMetrics } from './cases/metrics.ts';
import { WindowDriver } from './cases/window-driver.ts';
import { type Clock, systemClock } from './clock.ts';
import type { DelayDistribution } from './co-approval.ts';
import { type SimulatorsConfig, gatewayTokens, perDepartment, simulatedDepartments } from './config.ts';
import { beijingDate } from './dates.ts';
import { DeliveryLog } from './deliveries.ts';
import { type EmitterLogger, RecordEmitter } from './emitter.ts';
import { AgreementKeeper } from './exchange/agreement-keeper.ts';
import { sharingMetrics } from './exchange/metrics.ts';
import { OwnerResponder } from './exchange/owner-responder.ts';
import { PublishedRecords, canonicalRecord } from './exchange/published.ts';
import { QuestionAsker } from './exchange/question-asker.ts';
import { plannedSubscriptions } from './exchange/subscriptions.ts';
import { type SimulatedRegion, simulatedRegion } from './places.ts';
import { type Random, mulberry32 } from './random.ts';
import { departmentSimulators, resourceSimulator } from './records.ts';
import { webhookReceivers } from './webhooks.ts';

export interface SimulatorsAppOptions {
  readonly config: SimulatorsConfig;
  readonly random: Random;
  readonly logger: EmitterLogger;
  /** Built from `random` when absent. */
  readonly region?: SimulatedRegion;
  readonly now?: () => Date;
  /** What paces the emitters and the case traffic and times slow webhook answers; the system's timers by default. */
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** Makes the idempotency keys of the submitted cases; 0 when absent. */
  readonly seed?: number;
  /**
   * Draws the data-sharing traffic (agreements, questions): a stream of its
   * own, so that turning it on or off does not change the cases and records a
   * seed gives. Derived from `seed` when absent.
   */
  readonly sharingRandom?: Random;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What each simulated department's webhook received. */
    deliveryLogs: Map<DepartmentCode, DeliveryLog>;
    /** The running record emitters, one per department (none when SIMULATORS_RATE=0). */
    recordEmitters: Map<DepartmentCode, RecordEmitter>;
    /** The live case traffic: the window and the co-approving departments (undefined when SIMULATORS_CASE_RATE=0). */
    caseTraffic: { window: WindowDriver; answerer: CoApprovalAnswerer } | undefined;
    /**
     * The data sharing: the departments' agreements, the windows' questions
     * (undefined when SIMULATORS_QUESTION_RATE=0), the owners answering
     * forwarded requests, and the records the questions are about (undefined
     * when SIMULATORS_SUBSCRIBE=false and SIMULATORS_QUESTION_RATE=0).
     */
    sharingTraffic: SharingTraffic | undefined;
  }
}

interface SharingTraffic {
  agreements: AgreementKeeper;
  questions: QuestionAsker | undefined;
  responder: OwnerResponder;
  published: PublishedRecords;
}

/**
 * The department simulators as one service: a webhook per department that
 * receives the hub's deliveries; unless SIMULATORS_RATE=0, an emitter per
 * department pushing native records to the gateway; and unless
 * SIMULATORS_CASE_RATE=0, live case traffic: a window submitting cases and
 * moving them along, the departments answering the co-approval requests that
 * reach their webhooks; and the data sharing: the departments' agreements
 * (SIMULATORS_SUBSCRIBE), approved by their owners, and the windows'
 * questions (SIMULATORS_QUESTION_RATE) about the records the emitters
 * published. All start when the app is ready and stop when it closes.
 */
const simulators: FastifyPluginAsyncTypebox<SimulatorsAppOptions> = async (app, options) => {
  const { config, random, logger } = options;
  const now = options.now ?? (() => new Date());
  const clock = options.clock ?? systemClock;
  const departments = simulatedDepartments(config);
  const region = options.region ?? simulatedRegion(random);
  const logs = new Map<DepartmentCode, DeliveryLog>(departments.map((d) => [d, new DeliveryLog()]));
  const emitters = new Map<DepartmentCode, RecordEmitter>();

  await app.register(observability, { service: 'simulators' });
  app.decorate('deliveryLogs', logs);
  app.decorate('recordEmitters', emitters);

  const gateway = new GatewayClient({ gatewayUrl: config.GATEWAY_URL, tokens: gatewayTokens(config), logger, clock, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const caseTraffic = config.SIMULATORS_CASE_RATE > 0 ? buildCaseTraffic(options, gateway, departments, app.metrics) : undefined;
  app.decorate('caseTraffic', caseTraffic);
  const sharingTraffic = config.SIMULATORS_SUBSCRIBE || config.SIMULATORS_QUESTION_RATE > 0 ? buildSharingTraffic(options, gateway, departments, region, app.metrics) : undefined;
  app.decorate('sharingTraffic', sharingTraffic);

  // What reaches a department's webhook, its system acts on: co-approval requests, requests for its data, forwarded questions.
  const acting = [caseTraffic?.answerer, sharingTraffic?.agreements, sharingTraffic?.responder].filter((part) => part !== undefined);
  await app.register(webhookReceivers, {
    secrets: perDepartment(config.SIMULATORS_SECRETS, departments, 'secret'),
    logs,
    failures: { unavailableShare: config.SIMULATORS_FAILURE_SHARE, slowShare: config.SIMULATORS_SLOW_SHARE, slowMs: config.SIMULATORS_SLOW_MS },
    random,
    now,
    clock,
    ...(acting.length > 0 ? { onDelivery: (department: DepartmentCode, delivery: { body: unknown }) => acting.forEach((part) => part.receive(department, delivery.body)) } : {}),
  });

  if (caseTraffic) {
    app.addHook('onReady', async () => caseTraffic.window.start());
    app.addHook('onClose', async () => {
      await caseTraffic.window.stop();
      await caseTraffic.answerer.stop();
    });
    new Gauge({
      name: 'simulators_cases_followed',
      help: 'Cases the simulated window is moving along',
      registers: [app.metrics],
      collect() {
        this.set(caseTraffic.window.tracked);
      },
    });
  }

  if (sharingTraffic) {
    app.addHook('onReady', async () => {
      sharingTraffic.agreements.start();
      sharingTraffic.questions?.start();
    });
    app.addHook('onClose', async () => {
      await Promise.all([sharingTraffic.agreements.stop(), sharingTraffic.questions?.stop(), sharingTraffic.responder.stop()]);
    });
    new Gauge({
      name: 'simulators_agreements',
      help: 'The sharing agreements of the simulated subscriptions, by status (pending, granted, refused, revoked, suspended)',
      labelNames: ['status'],
      registers: [app.metrics],
      collect() {
        this.reset();
        for (const [status, count] of Object.entries(sharingTraffic.agreements.statuses())) this.set({ status }, count);
      },
    });
  }

  if (config.SIMULATORS_RATE > 0) {
    const tokens = perDepartment(config.SIMULATORS_TOKENS, departments, 'token');
    for (const department of departments) {
      emitters.set(
        department,
        new RecordEmitter({
          department,
          simulators: departmentSimulators(department),
          gatewayUrl: config.GATEWAY_URL,
          token: tokens.get(department) ?? '',
          ratePerSecond: config.SIMULATORS_RATE,
          batchSize: config.SIMULATORS_BATCH_SIZE,
          badShare: config.SIMULATORS_BAD_SHARE,
          random,
          region,
          logger,
          now,
          clock,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(sharingTraffic
            ? { onTaken: (simulator, records) => sharingTraffic.published.add(department, simulator.resource, records.map((native) => canonicalRecord(simulator, native, now())).filter((r) => r !== undefined), clock.nowMs()) }
            : {}),
        }),
      );
    }
    app.addHook('onReady', async () => {
      for (const emitter of emitters.values()) emitter.start();
    });
    app.addHook('onClose', async () => {
      await Promise.all([...emitters.values()].map((emitter) => emitter.stop()));
    });
  }

  new Gauge({
    name: 'simulators_deliveries_received',
    help: 'Deliveries each simulated department received (repeats excluded)',
    labelNames: ['department'],
    registers: [app.metrics],
    collect() {
      for (const [department, log] of logs) this.set({ department }, log.received);
    },
  });
  new Gauge({
    name: 'simulators_records_accepted',
    help: 'Records the gateway accepted from each simulated department',
    labelNames: ['department'],
    registers: [app.metrics],
    collect() {
      for (const [department, emitter] of emitters) this.set({ department }, emitter.stats.accepted);
    },
  });
};

/** The window and the answering departments over the gateway client, counting into `registry`. */
function buildCaseTraffic(options: SimulatorsAppOptions, gateway: GatewayClient, departments: readonly DepartmentCode[], registry: FastifyInstance['metrics']) {
  const { config, random, logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = caseTrafficMetrics(registry);
  // Each calls the other only once both exist: the window tells of resumed cases, the answerer asks whose cases are whose.
  const window = new WindowDriver({
    gateway,
    random,
    region: options.region ?? simulatedRegion(random),
    logger,
    now: options.now ?? (() => new Date()),
    clock,
    metrics,
    departments,
    seed: options.seed ?? 0,
    ratePerMinute: config.SIMULATORS_CASE_RATE,
    pollMs: config.SIMULATORS_CASE_POLL_MS,
    stepMs: config.SIMULATORS_CASE_STEP_MS,
    supplementMs: config.SIMULATORS_SUPPLEMENT_MS,
    staleMs: config.SIMULATORS_CASE_STALE_MS,
    intakeRefusalShare: config.SIMULATORS_INTAKE_REFUSAL_SHARE,
    leadRefusalShare: config.SIMULATORS_LEAD_REFUSAL_SHARE,
    reviewShare: config.SIMULATORS_REVIEW_SHARE,
    onResumed: (caseId) => answerer.caseResumed(caseId),
  });
  const answerer = new CoApprovalAnswerer({
    gateway,
    random,
    logger,
    clock,
    metrics,
    // Requests of cases another window submitted (a history run, say) are that window's to answer.
    ...(config.SIMULATORS_ANSWER_ALL ? {} : { answers: (caseId: string) => window.follows(caseId) }),
    config: {
      refuseShare: config.SIMULATORS_REFUSE_SHARE,
      supplementShare: config.SIMULATORS_SUPPLEMENT_SHARE,
      delay: answerDelay(config),
    },
  });
  return { window, answerer };
}

/** How long a department takes to answer what reaches it (a co-approval request, a request for its data): lognormal, SIMULATORS_ANSWER_MEDIAN_MS and _MAX_MS. */
function answerDelay(config: SimulatorsConfig): DelayDistribution {
  return { kind: 'lognormal', medianMs: config.SIMULATORS_ANSWER_MEDIAN_MS, sigma: 0.8, maxMs: Math.max(config.SIMULATORS_ANSWER_MEDIAN_MS, config.SIMULATORS_ANSWER_MAX_MS) };
}

/**
 * The departments' agreements and questions (see src/exchange/): the
 * subscriptions of the simulated departments, the owners approving and
 * answering over the gateway client, the windows asking over one of their own
 * that gives a question up after a few attempts (a question is not worth
 * retrying for minutes).
 */
function buildSharingTraffic(options: SimulatorsAppOptions, gateway: GatewayClient, departments: readonly DepartmentCode[], region: SimulatedRegion, registry: FastifyInstance['metrics']): SharingTraffic {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const now = options.now ?? (() => new Date());
  const random = options.sharingRandom ?? mulberry32(((options.seed ?? 0) ^ 0x5ea5ed) >>> 0);
  const metrics = sharingMetrics(registry);
  const { planned, leftOut } = plannedSubscriptions(departments);
  if (leftOut.length > 0) logger.info({ subscriptions: leftOut }, 'no agreements on resources whose owner is not simulated (add it to SIMULATORS_DEPARTMENTS)');
  const published = new PublishedRecords();
  const agreements = new AgreementKeeper({
    gateway,
    random,
    logger,
    clock,
    metrics,
    subscriptions: planned,
    subscribe: config.SIMULATORS_SUBSCRIBE,
    pollMs: config.SIMULATORS_AGREEMENT_POLL_MS,
    delay: answerDelay(config),
    approveAll: config.SIMULATORS_ANSWER_ALL,
  });
  const unpublished = (resource: string) => {
    const simulator = resourceSimulator(resource);
    const at = now();
    return canonicalRecord(simulator, simulator.good(random, { region, now: at, today: beijingDate(at) }), at);
  };
  const questions = config.SIMULATORS_QUESTION_RATE > 0
    ? new QuestionAsker({
        gateway: new GatewayClient({ gatewayUrl: config.GATEWAY_URL, tokens: gatewayTokens(config), logger, clock, maxAttempts: 3, ...(options.fetch ? { fetch: options.fetch } : {}) }),
        random,
        logger,
        clock,
        metrics,
        agreements,
        published,
        unpublished,
        ratePerMinute: config.SIMULATORS_QUESTION_RATE,
      })
    : undefined;
  const responder = new OwnerResponder({ gateway, random, logger, clock, metrics, published, delay: answerDelay(config) });
  return { agreements, questions, responder, published };
}

/** Not encapsulated, so that `deliveryLogs` and `recordEmitters` are seen by whoever registers it (tests, server). */
export const simulatorsApp = fp(simulators, { name: 'simulators-app', fastify: '5.x' });

/** The simulators' fastify instance with its logger, ready to `listen` or to `inject` into. */
export async function buildSimulatorsApp(options: SimulatorsAppOptions & { readonly logger: FastifyBaseLogger }): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.logger });
  await app.register(simulatorsApp, options);
  return app;
}
