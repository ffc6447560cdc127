import fp from 'fastify-plugin';
import type { AuditLog } from '../audit/audit-event.ts';
import { kafkaAuditLog } from '../audit/kafka-audit-log.ts';
import type { GatewayConfig } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    auditLog: AuditLog;
  }
}

/** The audit trail on Kafka, through its own idempotent producer (acks=all). */
export const kafkaAuditPlugin = fp<{ config: GatewayConfig }>(
  async (app, { config }) => {
    const producer = app.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    app.decorate('auditLog', kafkaAuditLog(producer, config.GATEWAY_AUDIT_TOPIC, `/gateway/${config.GATEWAY_INSTANCE_ID}`));
    app.addHook('onClose', async () => {
      await producer.disconnect();
    });
  },
  { name: 'gateway-audit', fastify: '5.x', dependencies: ['gateway-kafka'] },
);
