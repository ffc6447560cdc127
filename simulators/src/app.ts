import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { observability } from '@hub/runtime';
import fp from 'fastify-plugin';
import type { DepartmentCode } from '@hub/schemas';
import { Gauge } from 'prom-client';
import { type Clock, systemClock } from './clock.ts';
import { type SimulatorsConfig, perDepartment, simulatedDepartments } from './config.ts';
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
  /** What paces the emitters and times slow webhook answers; the system's timers by default. */
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What each simulated department's webhook received. */
    deliveryLogs: Map<DepartmentCode, DeliveryLog>;
    /** The running record emitters, one per department (none when SIMULATORS_RATE=0). */
    recordEmitters: Map<DepartmentCode, RecordEmitter>;
  }
}

/**
 * The department simulators as one service: a webhook per department that
 * receives the hub's deliveries, and, unless SIMULATORS_RATE=0, an emitter per
 * department pushing native records to the gateway, started when the app is
 * ready and stopped when it closes.
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

  await app.register(webhookReceivers, {
    secrets: perDepartment(config.SIMULATORS_SECRETS, departments, 'secret'),
    logs,
    failures: { unavailableShare: config.SIMULATORS_FAILURE_SHARE, slowShare: config.SIMULATORS_SLOW_SHARE, slowMs: config.SIMULATORS_SLOW_MS },
    random,
    now,
    clock,
  });

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

/** Not encapsulated, so that `deliveryLogs` and `recordEmitters` are seen by whoever registers it (tests, server). */
export const simulatorsApp = fp(simulators, { name: 'simulators-app', fastify: '5.x' });

/** The simulators' fastify instance with its logger, ready to `listen` or to `inject` into. */
export async function buildSimulatorsApp(options: SimulatorsAppOptions & { readonly logger: FastifyBaseLogger }): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.logger });
  await app.register(simulatorsApp, options);
  return app;
}
