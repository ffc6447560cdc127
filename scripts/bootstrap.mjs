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

export const chromiumPath = '/usr/bin/chromium';

/**
 * Debian's Chromium, which the dashboard's browser test drives through
 * playwright-core (no browser download: the machine reaches package
 * registries only): installed with apt-get when it is missing.
 */
export function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  step('installing Chromium for the dashboard\'s browser test (apt-get install chromium)');
  try {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    throw new Error(`Chromium is needed at ${chromiumPath} for the dashboard's browser test, and installing it failed (${error.message}); install Debian's chromium package as root (apt-get install -y chromium) and run npm test again`, { cause: error });
  }
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium, but ${chromiumPath} is still missing`);
}
