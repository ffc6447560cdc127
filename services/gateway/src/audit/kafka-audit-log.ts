import type { RecordSender } from '@hub/runtime';
import type { AuditEvent, AuditLog } from './audit-event.ts';

/**
 * The audit trail on Kafka: JSON values (an audit line is read by people and
 * SIEM tools more than by the hub's services, so it is not Avro), CloudEvents
 * headers, acks=all through an idempotent producer.
 */
export function kafkaAuditLog(sender: RecordSender, topic: string, source: string): AuditLog {
  return {
    async record(event: AuditEvent) {
      await sender.send({
        topic,
        messages: [{
          key: event.actor ?? 'anonymous',
          value: JSON.stringify(event),
          headers: {
            ce_specversion: '1.0',
            ce_id: event.auditId,
            ce_type: 'gov.hub.audit.GatewayRequest',
            ce_source: source,
            ce_time: event.at,
            ce_subject: event.target,
            'content-type': 'application/json',
          },
        }],
      });
    },
  };
}
