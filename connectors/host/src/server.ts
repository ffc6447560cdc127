import { kafkaAt, registryAt, runService } from '@hub/runtime';
import { buildApp } from './app.ts';
import { loadHostConfig } from './config.ts';

await runService({
  name: 'connector-host',
  loadConfig: loadHostConfig,
  address: (config) => ({ host: config.CONNECTORS_HOST, port: config.CONNECTORS_PORT }),
  dependencies: (config) => [kafkaAt(config.KAFKA_BROKERS), registryAt(config.SCHEMA_REGISTRY_URL)],
  build: (config, logger) => buildApp(config, { logger }),
  // Its heaps keep little alive (about 47 MiB on the main thread and 21 in the prepare worker after a
  // full collection, on the ingest bench's million rows) but grew to 4 times that between collections:
  // a peak of 508-529 MiB RSS. Growing by half: 321-353 MiB, at 35,100 against 36,500 records/s
  // (runs alternated, two each; 25 %: 314-331 MiB at 34,100).
  heapGrowingPercent: 50,
});
