import fp from 'fastify-plugin';
import type { AuditLog } from '../audit/audit-event.ts';
import { kafkaAuditLog } from '../audit/kafka-audit-log.ts';
import type { GatewayConfig } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    auditLog: AuditLog;
  }
}

/** The audit trail on Kafka, through the service's idempotent producer (acks=all). */
export const kafkaAuditPlugin = fp<{ config: GatewayConfig }>(
  async (app, { config }) => {
    app.decorate('auditLog', kafkaAuditLog(app.recordSender, config.GATEWAY_AUDIT_TOPIC, `/gateway/${config.GATEWAY_INSTANCE_ID}`));
  },
  { name: 'gateway-audit', fastify: '5.x', dependencies: ['hub-kafka'] },
);
