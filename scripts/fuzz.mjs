// `npm run fuzz`: installs what is missing, starts a fresh broker of its own
// (FUZZ_KAFKA_PORT, 19792 by default; or KAFKA_BROKERS when set), then drives
// every entry point of the hub with FUZZ_RUNS (10,000) hostile inputs each
// (test/fuzz/main.ts) and prints the table: inputs tried, answered 2xx, 4xx,
// 5xx, crashes, good records lost. Each entry point stops after
// FUZZ_ENTRY_POINT_SECONDS (900) whatever it reached. `npm run fuzz -- csvUtf8`
// runs one entry point alone. Exits 1 unless every figure is as it must be.
import { join } from 'node:path';
import { ensureInstalled, root, step } from './bootstrap.mjs';
import { killLeftover, startKafka } from '../infra/kafka/kafka.mjs';

try {
  ensureInstalled();
} catch (error) {
  console.error(`\x1b[31m${error.message}\x1b[0m`);
  process.exit(1);
}
const kafkaDir = join(root, '.hub', 'fuzz', 'kafka');
let kafka;
if (!process.env.KAFKA_BROKERS) {
  killLeftover(kafkaDir);
  process.once('exit', () => killLeftover(kafkaDir));
  step('starting a broker for the fuzz run');
  kafka = await startKafka({ dataDir: kafkaDir, port: Number(process.env.FUZZ_KAFKA_PORT ?? 19792), fresh: true, heap: process.env.KAFKA_HEAP ?? '512m', log: () => {} });
  process.env.KAFKA_BROKERS = kafka.brokers;
}
const { register } = await import('tsx/esm/api');
register();
let failed;
try {
  step('fuzzing the entry points');
  await import('../test/fuzz/main.ts');
  failed = process.exitCode === 1;
} catch (error) {
  console.error(`\x1b[31m${error?.stack ?? error}\x1b[0m`);
  failed = true;
} finally {
  await kafka?.stop();
}
// Clients of the stopped broker may hold the event loop open.
process.exit(failed ? 1 : 0);
