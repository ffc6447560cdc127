import { Counter, type Registry } from 'prom-client';

/** What the gateway counts, beside the request durations the runtime records. */
export interface GatewayMetrics {
  records: Counter<'department' | 'resource' | 'outcome'>;
  cases: Counter<'outcome'>;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    records: new Counter({
      name: 'gateway_records_total',
      help: 'Pushed records by outcome: accepted (published), duplicate (published before), rejected (dead-lettered)',
      labelNames: ['department', 'resource', 'outcome'],
      registers: [registry],
    }),
    cases: new Counter({
      name: 'gateway_cases_total',
      help: 'Case submissions by outcome: published, replayed (same Idempotency-Key), conflict',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
