// First steps of `npm start` and `npm test` on a fresh clone: install what is
// missing (npm packages, the Kafka jars), showing progress. Plain ESM with no
// dependencies, because nothing is installed yet when it runs.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchKafka } from '../infra/kafka/kafka.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function step(message) {
  console.log(`\x1b[36m▶ ${message}\x1b[0m`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

/** npm packages: installed when node_modules is missing or older than the lock file. */
export function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  step('installing npm packages');
  run('npm', [process.env.CI ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

export function ensureInstalled({ withKafka = !process.env.KAFKA_BROKERS } = {}) {
  ensureNodeModules();
  if (withKafka) {
    step('checking the Apache Kafka broker jars');
    fetchKafka();
  }
  step('generating types from the Avro schemas');
  run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
}
