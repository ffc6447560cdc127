import type { AvroSerde, Kafka, Logger } from '@hub/runtime';
import { ledgerPath, openLedger, type ConnectorLedger } from '../ledger/ledger.ts';
import type { RecordLimits } from '../limits/record-limits.ts';
import { createRecordPublisher, prepareWorkerPays, type PublishReport, type RecordPublisher } from './publisher.ts';

/** One department's once-only publishing: its ledger and its publisher. */
export interface DepartmentPublisher {
  department: string;
  ledger: ConnectorLedger;
  publisher: RecordPublisher;
}

export interface DepartmentPublishersOptions {
  kafka: Kafka;
  serde: AvroSerde;
  logger: Logger;
  departments: readonly string[];
  /** The instance of this process (the gateway's or the connector host's): ledgers and transactional ids are per instance. */
  instanceId: string;
  dataDir: string;
  batchSize?: number;
  transactionTimeoutMs?: number;
  /** The modules the mappings come from: a prepare worker thread loads them too, on machines where it pays. */
  connectorModules?: readonly string[];
  /** Bounds of each native record; the defaults (`DEFAULT_RECORD_LIMITS`) where not given. */
  limits?: Partial<RecordLimits>;
  /** The largest Kafka message produced (`DEFAULT_MAX_MESSAGE_BYTES`). */
  maxMessageBytes?: number;
  onPublished?: (report: PublishReport) => void;
}

/**
 * A once-only publisher per department, as the connector host and the gateway
 * both run them: the publisher publishes as that department's connector
 * (connector = department code), so the ledgers of the host's drop folders
 * and pollers and of the gateway's pushes know each other's records. If one
 * department cannot start, those already started are closed and the error thrown.
 */
export async function openDepartmentPublishers(options: DepartmentPublishersOptions): Promise<Map<string, DepartmentPublisher>> {
  const { kafka, serde, logger, instanceId } = options;
  const prepareWorker = options.connectorModules && options.connectorModules.length > 0 && prepareWorkerPays() ? { prepareWorker: { modules: options.connectorModules } } : {};
  const running = new Map<string, DepartmentPublisher>();
  const started = await Promise.allSettled(options.departments.map(async (department) => {
    const ledger = openLedger({ kafka, logger, connector: department, instanceId, path: ledgerPath(options.dataDir, department, instanceId) });
    try {
      const publisher = await createRecordPublisher({
        kafka,
        serde,
        ledger,
        logger,
        connector: department,
        instanceId,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs: options.transactionTimeoutMs }),
        ...prepareWorker,
        ...(options.limits === undefined ? {} : { limits: options.limits }),
        ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
        ...(options.onPublished ? { onPublished: options.onPublished } : {}),
      });
      running.set(department, { department, ledger, publisher });
    } catch (error) {
      await ledger.close().catch(() => undefined);
      throw error;
    }
  }));
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await closeDepartmentPublishers(running);
    throw failure.reason;
  }
  return running;
}

export async function closeDepartmentPublishers(publishers: ReadonlyMap<string, DepartmentPublisher>): Promise<void> {
  await Promise.all([...publishers.values()].map(async ({ publisher, ledger }) => {
    await publisher.close();
    await ledger.close();
  }));
}

/** Throws naming the departments whose publisher is not ready (ledger catching up, or producer fenced), for /health. */
export function checkDepartmentPublishers(publishers: ReadonlyMap<string, DepartmentPublisher>): void {
  const unhealthy = [...publishers.values()].filter((p) => !p.publisher.healthy).map((p) => p.department);
  if (unhealthy.length > 0) throw new Error(`publisher not ready (ledger catching up, or producer fenced): ${unhealthy.join(', ')}`);
}
