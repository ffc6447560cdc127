import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Counters per department, registered in the service's /metrics registry. */
export interface SinkMetrics {
  delivered: Counter<'department'>;
  failed: Counter<'department' | 'reason'>;
  retried: Counter<'department'>;
  attemptDuration: Histogram<'department' | 'verdict'>;
  inFlight: Gauge<'department'>;
}

export function createSinkMetrics(registry: Registry): SinkMetrics {
  return {
    delivered: new Counter({ name: 'sinks_delivered_total', help: 'Deliveries the department system accepted (2xx)', labelNames: ['department'], registers: [registry] }),
    failed: new Counter({ name: 'sinks_failed_total', help: 'Deliveries sent to dlq.sinks, by reason (permanent, exhausted, undecodable)', labelNames: ['department', 'reason'], registers: [registry] }),
    retried: new Counter({ name: 'sinks_retried_total', help: 'Webhook attempts that failed transiently and were retried', labelNames: ['department'], registers: [registry] }),
    attemptDuration: new Histogram({
      name: 'sinks_attempt_duration_seconds',
      help: 'Duration of one webhook attempt, by verdict',
      labelNames: ['department', 'verdict'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    inFlight: new Gauge({ name: 'sinks_in_flight', help: 'Deliveries taken from Kafka and not yet delivered or dead-lettered', labelNames: ['department'], registers: [registry] }),
  };
}
