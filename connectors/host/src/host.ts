import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkDepartmentPublishers,
  closeDepartmentPublishers,
  createDatabasePoller,
  createDropFolderSource,
  dropFolderOf,
  openDepartmentPublishers,
  type ConnectorLedger,
  type DatabasePoller,
  type DepartmentConnector,
  type DropFolderSource,
  type RecordPublisher,
} from '@hub/connector-core';
import type { AvroSerde, Kafka, Logger } from '@hub/runtime';
import type { HostConfig } from './config.ts';
import type { DatabaseSource } from './database-sources.ts';
import type { HostMetrics } from './metrics.ts';

/** One department connector at work: its ledger, its publisher, its sources. */
interface RunningConnector {
  connector: DepartmentConnector;
  ledger: ConnectorLedger;
  publisher: RecordPublisher;
}

export interface SourceInfo {
  kind: 'drop-folder' | 'database';
  department: string;
  resource: string;
  /** The inbox folder, or the table. */
  location: string;
  mapped: boolean;
}

export interface ConnectorHost {
  readonly sources: SourceInfo[];
  /** Throws naming what is wrong: a ledger not caught up, a fenced producer. */
  check(): void;
  close(): Promise<void>;
}

export interface ConnectorHostOptions {
  config: HostConfig;
  connectors: readonly DepartmentConnector[];
  databaseSources: readonly DatabaseSource[];
  kafka: Kafka;
  serde: AvroSerde;
  logger: Logger;
  metrics: HostMetrics;
  /** The modules `connectors` were loaded from: the publishers' prepare worker thread loads them too. */
  connectorModules?: readonly string[];
}

/**
 * Starts, for every department connector, a once-only publisher with its
 * ledger, a drop folder per resource and the configured database pollers.
 * Drop folders of resources no connector maps are watched too, so their files
 * go to failed/ with the reason instead of lying in the inbox unnoticed.
 */
export async function startConnectorHost(options: ConnectorHostOptions): Promise<ConnectorHost> {
  const { config, kafka, serde, logger, metrics } = options;
  const instanceId = config.CONNECTORS_INSTANCE_ID;
  const dataDir = config.HUB_DATA_DIR;

  for (const source of options.databaseSources) {
    const connector = options.connectors.find((c) => c.department === source.department);
    if (!connector?.resources.some((r) => r.resource === source.resource)) {
      throw new Error(`CONNECTORS_DB_SOURCES names ${source.department}/${source.resource}, which no loaded connector maps`);
    }
  }

  const publishers = await openDepartmentPublishers({
    kafka,
    serde,
    logger,
    departments: options.connectors.map((c) => c.department),
    instanceId,
    dataDir,
    batchSize: config.CONNECTORS_BATCH_SIZE,
    transactionTimeoutMs: config.CONNECTORS_TRANSACTION_TIMEOUT_MS,
    limits: { maxFieldChars: config.CONNECTORS_MAX_FIELD_CHARS, maxRecordBytes: config.CONNECTORS_MAX_RECORD_BYTES },
    ...(options.connectorModules ? { connectorModules: options.connectorModules } : {}),
    onPublished: (report) => metrics.published(report),
  });
  const running: RunningConnector[] = options.connectors.map((connector) => {
    const { ledger, publisher } = publishers.get(connector.department)!;
    metrics.ledgerSize(connector.department, () => ledger.publishedCount());
    return { connector, ledger, publisher };
  });

  const folders = new Map<string, DropFolderSource>();
  const pollers: DatabasePoller[] = [];
  const sources: SourceInfo[] = [];

  const watch = (department: string, resource: string, run: RunningConnector | undefined): void => {
    const key = `${department}/${resource}`;
    if (folders.has(key)) return;
    const mapping = run?.connector.resources.find((r) => r.resource === resource);
    const folder = dropFolderOf(dataDir, department, resource);
    const source = createDropFolderSource({
      folder,
      source: key,
      mapping,
      publisher: mapping ? run?.publisher : undefined,
      ledger: mapping ? run?.ledger : undefined,
      logger,
      pollIntervalMs: config.CONNECTORS_POLL_INTERVAL_MS,
      fileLimits: { maxLineBytes: config.CONNECTORS_MAX_LINE_BYTES, maxJsonDepth: config.CONNECTORS_MAX_JSON_DEPTH, maxInflatedBytes: config.CONNECTORS_MAX_XLSX_INFLATED_BYTES },
      onFile: (result) => metrics.file(department, resource, result),
    });
    folders.set(key, source);
    sources.push({ kind: 'drop-folder', department, resource, location: join(folder, 'inbox'), mapped: mapping !== undefined });
    source.start();
  };

  let scanner: NodeJS.Timeout | undefined;
  let closing = false;
  if (config.CONNECTORS_DROP_FOLDERS) {
    for (const run of running) for (const mapping of run.connector.resources) watch(run.connector.department, mapping.resource, run);
    // Folders someone made for a resource no connector maps: their files are failed with the reason.
    const scan = async (): Promise<void> => {
      const dropRoot = join(dataDir, 'drop');
      const departments = await readdir(dropRoot, { withFileTypes: true }).catch(() => []);
      for (const department of departments.filter((d) => d.isDirectory())) {
        const resources = await readdir(join(dropRoot, department.name), { withFileTypes: true }).catch(() => []);
        for (const resource of resources.filter((r) => r.isDirectory())) {
          if (closing) return;
          const key = `${department.name}/${resource.name}`;
          if (!folders.has(key)) {
            logger.warn({ folder: join(dropRoot, key) }, 'drop folder of a resource no connector maps: its files go to failed/');
            watch(department.name, resource.name, undefined);
          }
        }
      }
    };
    const rescan = (): void => {
      void scan().finally(() => {
        if (!closing) scanner = setTimeout(rescan, Math.max(config.CONNECTORS_POLL_INTERVAL_MS, 5_000));
      });
    };
    rescan();
  }

  for (const source of options.databaseSources) {
    const run = running.find((r) => r.connector.department === source.department)!;
    const mapping = run.connector.resources.find((r) => r.resource === source.resource)!;
    const poller = createDatabasePoller({
      connectionString: source.connectionString,
      table: source.table,
      columns: source.columns,
      keyColumn: source.keyColumn,
      updatedAtColumn: source.updatedAtColumn,
      ...(source.timeZone ? { timeZone: source.timeZone } : {}),
      ...(source.delayMs !== undefined ? { delayMs: source.delayMs } : {}),
      mapping,
      publisher: run.publisher,
      ledger: run.ledger,
      logger,
      pollIntervalMs: source.pollIntervalMs ?? config.CONNECTORS_DB_POLL_INTERVAL_MS,
    });
    pollers.push(poller);
    sources.push({ kind: 'database', department: source.department, resource: source.resource, location: source.table, mapped: true });
    poller.start();
  }

  logger.info({
    instanceId,
    connectors: running.map((r) => `${r.connector.department} (${r.connector.resources.map((m) => m.resource).join(', ')})`),
    dropFolders: config.CONNECTORS_DROP_FOLDERS ? join(dataDir, 'drop') : 'off',
    databaseSources: options.databaseSources.map((s) => `${s.department}/${s.resource} ← ${s.table}`),
  }, 'connector host started');

  return {
    sources,
    check() {
      checkDepartmentPublishers(publishers);
    },
    async close() {
      closing = true;
      if (scanner) clearTimeout(scanner);
      await Promise.all([...folders.values()].map((f) => f.stop()));
      await Promise.all(pollers.map((p) => p.stop()));
      await closeDepartmentPublishers(publishers);
    },
  };
}
