import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM script without type declarations, shared with `npm start`
import { startKafka, killLeftover } from '../../../infra/kafka/kafka.mjs';

import './index.ts';

/**
 * Starts a fresh single-node Kafka for the integration suites on its own port
 * (HUB_TEST_KAFKA_PORT, 19092 by default, so a running `npm start` hub on 9092
 * is left alone), and stops it after the run. With KAFKA_BROKERS set, that
 * cluster is used and nothing is started.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.KAFKA_BROKERS;
  if (external) {
    project.provide('kafkaBrokers', external);
    return async () => {};
  }
  const port = Number(process.env.HUB_TEST_KAFKA_PORT ?? 19092);
  const dataDir = resolve(import.meta.dirname, '..', '..', '..', '.hub', 'test', `kafka-${port}`);
  killLeftover(dataDir);
  const kafka = await startKafka({ dataDir, port, fresh: true, heap: '384m', log: () => {} });
  project.provide('kafkaBrokers', kafka.brokers);
  return async () => {
    await kafka.stop();
  };
}
