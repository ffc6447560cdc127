import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ProjectionMetrics {
  events: Counter<'topic'>;
  deadLetters: Counter<'reason'>;
  caseGaps: Counter;
  insertSeconds: Histogram;
  batchRecords: Histogram;
  lastFlush: Gauge;
}

export function createProjectionMetrics(registry: Registry): ProjectionMetrics {
  return {
    events: new Counter({ name: 'analytics_events_projected_total', help: 'Events projected into ClickHouse, by topic', labelNames: ['topic'], registers: [registry] }),
    deadLetters: new Counter({ name: 'analytics_dead_letters_total', help: 'Records written to dlq.analytics, by reason', labelNames: ['reason'], registers: [registry] }),
    caseGaps: new Counter({ name: 'analytics_case_gaps_total', help: 'Case events that skipped versions of their case (an earlier one dead-lettered)', registers: [registry] }),
    insertSeconds: new Histogram({ name: 'analytics_flush_seconds', help: 'Time of one flush: decoding, folding, the inserts and the offset commit', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    batchRecords: new Histogram({ name: 'analytics_flush_records', help: 'Records one flush took', buckets: [1, 10, 100, 1_000, 10_000, 50_000, 100_000], registers: [registry] }),
    lastFlush: new Gauge({ name: 'analytics_last_flush_timestamp_seconds', help: 'When the last flush landed', registers: [registry] }),
  };
}
