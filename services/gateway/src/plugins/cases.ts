import fp from 'fastify-plugin';
import { ledgerPath, openLedger } from '@hub/connector-core';
import type { Logger } from '@hub/runtime';
import { CASES_LEDGER_CONNECTOR, createKafkaCaseLog } from '../cases/kafka-case-log.ts';
import type { CaseLog } from '../cases/case-log.ts';
import type { GatewayConfig } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    caseLog: CaseLog;
  }
}

/** CaseSubmitted on cases.events, once (see createKafkaCaseLog). */
export const kafkaCaseLogPlugin = fp<{ config: GatewayConfig; logger: Logger }>(
  async (app, { config, logger }) => {
    const instanceId = config.GATEWAY_INSTANCE_ID;
    const ledger = openLedger({ kafka: app.kafka, logger, connector: CASES_LEDGER_CONNECTOR, instanceId, path: ledgerPath(config.HUB_DATA_DIR, CASES_LEDGER_CONNECTOR, instanceId) });
    const caseLog = await createKafkaCaseLog({ kafka: app.kafka, events: app.events, ledger, logger, instanceId });
    app.decorate('caseLog', caseLog);
    app.healthChecks.set('cases', () => {
      if (!ledger.healthy) throw new Error('case ledger not caught up');
    });
    app.addHook('onClose', async () => {
      await caseLog.close();
    });
  },
  { name: 'gateway-cases', fastify: '5.x', dependencies: ['hub-kafka'] },
);
