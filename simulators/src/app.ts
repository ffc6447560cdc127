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
import { type SimulatorsConfig, gatewayTokens, perDepartment, simulatedDepartments } from './config.ts';
import { DeliveryLog } from './deliveries.ts';
import { type EmitterLogger, RecordEmitter } from './emitter.ts';
import { type SimulatedRegion, simulatedRegion } from './places.ts';
import type { Random } from './random.ts';
import { departmentSimulators } from './records.ts';
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
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What each simulated department's webhook received. */
    deliveryLogs: Map<DepartmentCode, DeliveryLog>;
    /** The running record emitters, one per department (none when SIMULATORS_RATE=0). */
    recordEmitters: Map<DepartmentCode, RecordEmitter>;
    /** The live case traffic: the window and the co-approving departments (undefined when SIMULATORS_CASE_RATE=0). */
    caseTraffic: { window: WindowDriver; answerer: CoApprovalAnswerer } | undefined;
  }
}

/**
 * The department simulators as one service: a webhook per department that
 * receives the hub's deliveries; unless SIMULATORS_RATE=0, an emitter per
 * department pushing native records to the gateway; and unless
 * SIMULATORS_CASE_RATE=0, live case traffic: a window submitting cases and
 * moving them along, the departments answering the co-approval requests that
 * reach their webhooks. All start when the app is ready and stop when it closes.
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

  const caseTraffic = config.SIMULATORS_CASE_RATE > 0 ? buildCaseTraffic(options, departments, app.metrics) : undefined;
  app.decorate('caseTraffic', caseTraffic);

  await app.register(webhookReceivers, {
    secrets: perDepartment(config.SIMULATORS_SECRETS, departments, 'secret'),
    logs,
    failures: { unavailableShare: config.SIMULATORS_FAILURE_SHARE, slowShare: config.SIMULATORS_SLOW_SHARE, slowMs: config.SIMULATORS_SLOW_MS },
    random,
    now,
    clock,
    ...(caseTraffic ? { onDelivery: (department: DepartmentCode, delivery: { body: unknown }) => caseTraffic.answerer.receive(department, delivery.body) } : {}),
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

/** The window and the answering departments over one gateway client, counting into `registry`. */
function buildCaseTraffic(options: SimulatorsAppOptions, departments: readonly DepartmentCode[], registry: FastifyInstance['metrics']) {
  const { config, random, logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = caseTrafficMetrics(registry);
  const gateway = new GatewayClient({ gatewayUrl: config.GATEWAY_URL, tokens: gatewayTokens(config), logger, clock, ...(options.fetch ? { fetch: options.fetch } : {}) });
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
      delay: { kind: 'lognormal', medianMs: config.SIMULATORS_ANSWER_MEDIAN_MS, sigma: 0.8, maxMs: Math.max(config.SIMULATORS_ANSWER_MEDIAN_MS, config.SIMULATORS_ANSWER_MAX_MS) },
    },
  });
  return { window, answerer };
}

/** Not encapsulated, so that `deliveryLogs` and `recordEmitters` are seen by whoever registers it (tests, server). */
export const simulatorsApp = fp(simulators, { name: 'simulators-app', fastify: '5.x' });

/** The simulators' fastify instance with its logger, ready to `listen` or to `inject` into. */
export async function buildSimulatorsApp(options: SimulatorsAppOptions & { readonly logger: FastifyBaseLogger }): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.logger });
  await app.register(simulatorsApp, options);
  return app;
}
