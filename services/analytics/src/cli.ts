// npm run analytics -- rebuild: the projection again from the start of the topics, with a progress bar.
import { resolve } from 'node:path';
import { loadCalendar } from '@hub/calendar';
import { ConfigError, createKafka, createLogger, ensureTopics } from '@hub/runtime';
import { hubTopics } from '@hub/topology';
import { loadAnalyticsConfig, type AnalyticsConfig } from './config.ts';
import { createWireDecoder } from './projection/decoder.ts';
import { ProgressBar } from './projection/progress.ts';
import { rebuildProjection } from './projection/rebuild.ts';
import { projectedTopics } from './projection/topics.ts';
import { chdbDataDir } from './store/plugin.ts';

const usage = `usage: npm run analytics -- rebuild

  rebuild   drop the projection (its ClickHouse database) and project every topic again from its start,
            with a progress bar (events/s, ETA); stop the analytics service first.
  The configuration is the service's (ANALYTICS_*, CLICKHOUSE_*, KAFKA_BROKERS, SCHEMA_REGISTRY_URL, HUB_DATA_DIR).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'rebuild' || rest.length > 0) {
    console.error(usage);
    return 2;
  }
  let config: AnalyticsConfig;
  try {
    config = loadAnalyticsConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`analytics: ${error.message}`);
    return 2;
  }
  // npm runs the script in the package's folder; a relative data folder is the caller's (INIT_CWD), as npm start's is the repository's.
  const dataDir = resolve(process.env.INIT_CWD ?? process.cwd(), config.HUB_DATA_DIR);
  const service = `http://${config.ANALYTICS_HOST}:${config.ANALYTICS_PORT}`;
  const running = await fetch(`${service}/health`, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false);
  if (running) {
    console.error(`analytics: the analytics service answers on ${service}; stop it first (it holds the consumer group ${config.ANALYTICS_GROUP_ID}${config.CLICKHOUSE_URL ? '' : ' and the embedded ClickHouse'})`);
    return 2;
  }
  const logger = createLogger('analytics-rebuild', config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `hub-${config.ANALYTICS_INSTANCE_ID}-rebuild`, logger });
  const codec = createWireDecoder({ registryUrl: config.SCHEMA_REGISTRY_URL });
  await ensureTopics(kafka, hubTopics());
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const where = config.CLICKHOUSE_URL ? config.CLICKHOUSE_URL.replace(/\/\/[^@/]*@/, '//') : chdbDataDir(dataDir);
  console.error(`▶ rebuilding the projection in ${where} (database ${config.CLICKHOUSE_DATABASE}) from the start of ${projectedTopics().length} topics`);
  let bar: ProgressBar | undefined;
  try {
    const result = await rebuildProjection({
      kafka,
      codec,
      sender: { send: (records) => producer.send({ ...records, acks: -1 }) },
      calendar: loadCalendar({ file: config.HUB_CALENDAR_FILE }),
      logger,
      store: { url: config.CLICKHOUSE_URL, dataDir: chdbDataDir(dataDir), database: config.CLICKHOUSE_DATABASE },
      groupId: config.ANALYTICS_GROUP_ID,
      topics: projectedTopics(),
      batchRows: config.ANALYTICS_BATCH_ROWS,
      batchMs: config.ANALYTICS_BATCH_MS,
      signal: controller.signal,
      onProgress(done, total) {
        bar ??= new ProgressBar(process.stderr, total);
        bar.update(done);
      },
    });
    // The total counts the transactions' commit markers too, which are no events: a rebuild that read to the end is at 100 %.
    bar?.end(result.stopped ? result.read : result.total);
    const rate = Math.round(result.read / Math.max(result.seconds, 1e-3));
    console.log(`${result.stopped ? 'stopped' : 'rebuilt'}: ${result.read.toLocaleString('en')} of ${result.total.toLocaleString('en')} records in ${result.seconds.toFixed(1)} s (${rate.toLocaleString('en')} events/s), ${result.deadLetters} dead-lettered`);
    return result.stopped ? 130 : 0;
  } finally {
    await producer.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`analytics: the rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
