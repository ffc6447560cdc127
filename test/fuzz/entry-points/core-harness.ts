import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecordPublisher, ledgerPath, openLedger, type ConnectorLedger, type RecordPublisher } from '@hub/connector-core';
import { createAvroSerde, createKafka, createLogger, type Kafka, type Logger } from '@hub/runtime';
import { logicalTypes } from '@hub/schemas';

/** What the drop-folder and database entry points share: the broker, the registry, a data folder, publishers. */
export interface CoreHarness {
  kafka: Kafka;
  logger: Logger;
  dataDir: string;
  /** A ledger and a once-only publisher of a connector of its own. */
  open(connector: string): Promise<{ ledger: ConnectorLedger; publisher: RecordPublisher; close(): Promise<void> }>;
  close(): Promise<void>;
}

export function coreHarness(brokers: string, registryUrl: string): CoreHarness {
  const logger = createLogger('fuzz-connectors', process.env.FUZZ_LOG_LEVEL ?? 'silent');
  const kafka = createKafka({ brokers, clientId: 'fuzz-connectors', logger });
  const serde = createAvroSerde({ registryUrl, logicalTypes });
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-fuzz-connectors-'));
  const opened: Array<() => Promise<void>> = [];
  return {
    kafka,
    logger,
    dataDir,
    async open(name) {
      const connector = `${name}-${process.pid}-${Date.now()}`;
      const ledger = openLedger({ kafka, logger, connector, instanceId: '0', path: ledgerPath(dataDir, connector, '0') });
      const publisher = await createRecordPublisher({ kafka, serde, ledger, logger, connector, instanceId: '0' });
      const close = async () => {
        await publisher.close();
        await ledger.close();
      };
      opened.push(close);
      return { ledger, publisher, close };
    },
    async close() {
      for (const close of opened.splice(0)) await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
