import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface RouterMetrics {
  commands: Counter<'type'>;
  outcomes: Counter<'outcome'>;
  events: Counter<'type'>;
  batchSeconds: Histogram;
  restoreSeconds: Gauge;
  restoreEvents: Gauge;
}

export function createRouterMetrics(registry: Registry): RouterMetrics {
  const registers = [registry];
  return {
    commands: new Counter({ name: 'router_commands_total', help: 'Commands read from cases.commands, by type', labelNames: ['type'], registers }),
    outcomes: new Counter({ name: 'router_outcomes_total', help: 'Answers written to cases.outcomes: ok or refused', labelNames: ['outcome'], registers }),
    events: new Counter({ name: 'router_events_total', help: 'Events written (case events, item definitions, supervision alerts), by type', labelNames: ['type'], registers }),
    batchSeconds: new Histogram({ name: 'router_batch_decide_seconds', help: 'Deciding and encoding one batch of one partition, before its transaction', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers }),
    restoreSeconds: new Gauge({ name: 'router_restore_seconds', help: 'How long the replay of the state topics took at start', registers }),
    restoreEvents: new Gauge({ name: 'router_restore_events', help: 'Events replayed at start', registers }),
  };
}
