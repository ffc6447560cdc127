import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { rejectedRecordCount, type FileResult, type PublishReport } from '@hub/connector-core';

/** What the host counts: records by outcome, transactions, files, ledger size. */
export interface HostMetrics {
  published(report: PublishReport): void;
  file(department: string, resource: string, result: FileResult): void;
  ledgerSize(connector: string, size: () => number): void;
}

export function hostMetrics(registry: Registry): HostMetrics {
  const records = new Counter({
    name: 'connector_records_total',
    help: 'Native records handled, by outcome (accepted: newly published; duplicate: published before; rejected: dead-lettered)',
    labelNames: ['department', 'resource', 'source', 'outcome'],
    registers: [registry],
  });
  const transactions = new Histogram({
    name: 'connector_transaction_seconds',
    help: 'Time to map, encode and commit one batch',
    labelNames: ['department', 'source'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const files = new Counter({
    name: 'connector_files_total',
    help: 'Drop-folder files handled, by result (done, duplicate, failed)',
    labelNames: ['department', 'resource', 'result'],
    registers: [registry],
  });
  const sizes = new Map<string, () => number>();
  new Gauge({
    name: 'connector_ledger_published_ids',
    help: 'Event and dead-letter ids in the local once-only ledger',
    labelNames: ['connector'],
    registers: [registry],
    collect() {
      for (const [connector, size] of sizes) this.set({ connector }, size());
    },
  });
  return {
    published({ mapping, source, outcome, durationMs }) {
      const labels = { department: mapping.department, resource: mapping.resource, source: source.kind };
      records.inc({ ...labels, outcome: 'accepted' }, outcome.accepted);
      records.inc({ ...labels, outcome: 'duplicate' }, outcome.duplicates);
      records.inc({ ...labels, outcome: 'rejected' }, rejectedRecordCount(outcome));
      transactions.observe({ department: mapping.department, source: source.kind }, durationMs / 1000);
    },
    file(department, resource, result) {
      files.inc({ department, resource, result: result.result });
    },
    ledgerSize(connector, size) {
      sizes.set(connector, size);
    },
  };
}
