import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kafka } from '@hub/runtime';
import { startCatalog } from '@hub/catalog/testing';
import { createAvroSerde, createKafka, createLogger, type AvroSerde, type Logger } from '@hub/runtime';
import { logicalTypes } from '@hub/schemas';
import { testBrokers, uniqueName } from '@hub/test-support';
import { createRecordPublisher, ledgerPath, openLedger, type ConnectorLedger, type RecordPublisher } from '../../src/index.ts';

export const repositoryRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

/** What an integration suite of connectors/core needs: the test broker, the real catalog, a data folder. */
export interface Harness {
  brokers: string;
  kafka: Kafka;
  logger: Logger;
  registryUrl: string;
  serde: AvroSerde;
  dataDir: string;
  /** A ledger and a publisher for `connector` (a fresh name per test keeps the suites apart). */
  /** `prepareWorker`: map and encode in a worker thread that loads the test mapping. */
  open(connector: string, options?: { instanceId?: string; batchSize?: number; prepareWorker?: boolean }): Promise<{ ledger: ConnectorLedger; publisher: RecordPublisher; close(): Promise<void> }>;
  close(): Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  const brokers = testBrokers();
  const logger = createLogger(name, process.env.TEST_LOG_LEVEL ?? 'warn');
  const kafka = createKafka({ brokers, clientId: name, logger });
  const catalog = await startCatalog(brokers, { seedSchemas: false });
  const serde = createAvroSerde({ registryUrl: catalog.url, logicalTypes });
  const dataDir = join(repositoryRoot, '.hub', 'test', 'connectors-core', uniqueName(name));
  mkdirSync(dataDir, { recursive: true });
  return {
    brokers,
    kafka,
    logger,
    registryUrl: catalog.url,
    serde,
    dataDir,
    async open(connector, options = {}) {
      const instanceId = options.instanceId ?? '0';
      const ledger = openLedger({ kafka, logger, connector, instanceId, path: ledgerPath(dataDir, connector, instanceId) });
      const publisher = await createRecordPublisher({
        kafka, serde, ledger, logger, connector, instanceId,
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.prepareWorker ? { prepareWorker: { modules: [new URL('./resident-mapping.ts', import.meta.url).href] } } : {}),
      });
      return {
        ledger,
        publisher,
        async close() {
          await publisher.close();
          await ledger.close();
        },
      };
    },
    async close() {
      await catalog.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
