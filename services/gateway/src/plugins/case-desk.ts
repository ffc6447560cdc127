import fp from 'fastify-plugin';
import type { Logger } from '@hub/runtime';
import { loadCalendar } from '@hub/calendar';
import type { AgreementDesk } from '../agreements/agreement-desk.ts';
import type { CaseDesk, ItemDesk } from '../cases/case-desk.ts';
import { createKafkaCaseDesk } from '../cases/kafka-case-desk.ts';
import type { GatewayConfig } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    caseDesk: CaseDesk;
    itemDesk: ItemDesk;
    agreementDesk: AgreementDesk;
  }
}

/** The router's case aggregate and item table, over Kafka (see createKafkaCaseDesk). */
export const kafkaCaseDeskPlugin = fp<{ config: GatewayConfig; logger: Logger }>(
  async (app, { config, logger }) => {
    const desk = await createKafkaCaseDesk({
      kafka: app.kafka,
      events: app.events,
      sender: app.recordSender,
      logger,
      instanceId: config.GATEWAY_INSTANCE_ID,
      answerTimeoutMs: config.GATEWAY_ROUTER_TIMEOUT_MS,
      calendar: loadCalendar({ file: config.HUB_CALENDAR_FILE }),
    });
    app.decorate('caseDesk', desk);
    app.decorate('itemDesk', desk);
    app.decorate('agreementDesk', desk.agreements);
    app.healthChecks.set('router', () => {
      if (!desk.healthy) throw new Error('the readers of cases.outcomes and items.events have stopped');
    });
    app.addHook('onClose', async () => {
      await desk.close();
    });
  },
  { name: 'gateway-case-desk', fastify: '5.x', dependencies: ['hub-kafka'] },
);
