import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM script without type declarations, shared with `npm start`
import { startKafka, killLeftover } from '../../../infra/kafka/kafka.mjs';
import { startContainers } from './containers.ts';

import './index.ts';

/**
 * What the integration suites run against, in this order:
 * - KAFKA_BROKERS (and CLICKHOUSE_URL) when set: that cluster, nothing started;
 * - where a Docker engine answers: Kafka (`apache/kafka`) and a ClickHouse
 *   server started with testcontainers, stopped after the run
 *   (HUB_TEST_CONTAINERS=false skips this);
 * - otherwise, saying so in one line: a fresh local Kafka from the jars on its
 *   own port (HUB_TEST_KAFKA_PORT, 19092 by default, so a running `npm start`
 *   hub on 9092 is left alone), and chDB for ClickHouse.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.KAFKA_BROKERS;
  if (external) {
    project.provide('kafkaBrokers', external);
    project.provide('clickhouseUrl', process.env.CLICKHOUSE_URL ?? '');
    return async () => {};
  }
  if (process.env.HUB_TEST_CONTAINERS !== 'false') {
    const containers = await startContainers();
    if ('brokers' in containers) {
      console.info(`test set-up: Kafka ${containers.brokers} and ClickHouse in containers (testcontainers)`);
      project.provide('kafkaBrokers', containers.brokers);
      project.provide('clickhouseUrl', containers.clickhouseUrl);
      return () => containers.stop();
    }
    console.info(`test set-up: no Docker engine answers (${containers.unavailable}); using the local Kafka broker and chDB`);
  }
  const port = Number(process.env.HUB_TEST_KAFKA_PORT ?? 19092);
  const dataDir = resolve(import.meta.dirname, '..', '..', '..', '.hub', 'test', `kafka-${port}`);
  killLeftover(dataDir);
  const kafka = await startKafka({ dataDir, port, fresh: true, heap: '384m', log: () => {} });
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('clickhouseUrl', process.env.CLICKHOUSE_URL ?? '');
  return async () => {
    await kafka.stop();
  };
}
