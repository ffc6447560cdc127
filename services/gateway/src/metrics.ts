import { Counter, type Registry } from 'prom-client';

/** What the gateway counts, beside the request durations the runtime records. */
export interface GatewayMetrics {
  records: Counter<'department' | 'resource' | 'outcome'>;
  cases: Counter<'outcome'>;
  caseSteps: Counter<'step' | 'outcome'>;
  itemDefinitions: Counter<'outcome'>;
  dataRequests: Counter<'kind' | 'status'>;
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
    caseSteps: new Counter({
      name: 'gateway_case_steps_total',
      help: 'Steps on cases the router answered, by step (acceptance, answers …) and outcome: committed, refused (by the case aggregate)',
      labelNames: ['step', 'outcome'],
      registers: [registry],
    }),
    itemDefinitions: new Counter({
      name: 'gateway_item_definitions_total',
      help: 'Item definitions the router answered, by outcome: changed (a new version), unchanged (the same definition again), invalid',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    dataRequests: new Counter({
      name: 'gateway_data_requests_total',
      help: 'Data requests the router answered, by kind (verify: 核验, question: the record) and status: answered, not-found, refused, timeout, invalid (400)',
      labelNames: ['kind', 'status'],
      registers: [registry],
    }),
  };
}
