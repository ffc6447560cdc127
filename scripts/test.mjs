// `npm test`: installs what is missing, type-checks and lints every workspace,
// then runs every suite (unit, integration, end-to-end) in one vitest run whose
// global set-up starts a real Kafka and stops it afterwards.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium, ensureInstalled, root, run, step } from './bootstrap.mjs';

const results = join(root, '.hub', 'test', 'results.json');
let exitCode = 0;
try {
  ensureInstalled();
  ensureChromium();
  step('type-checking and linting every workspace');
  run('npx', ['turbo', 'run', 'typecheck', 'lint', '--output-logs=errors-only', '--concurrency=2']);
  run('npx', ['tsc', '-p', 'scripts']);
  run('npx', ['tsc', '-p', 'bench']);
  run('npx', ['eslint', 'scripts', 'infra', 'bench']);
  step('running the unit, integration and end-to-end suites');
  rmSync(results, { force: true });
  run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)]);
} catch (error) {
  console.error(`\x1b[31m${error.message}\x1b[0m`);
  exitCode = 1;
}
try {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  // A test file that fails to load has no failed tests of its own; count it as one.
  const unloaded = report.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')).length;
  const failed = report.numFailedTests + unloaded;
  console.log(`${report.numPassedTests} passed, ${failed} failed`);
  if (failed > 0 || report.numTotalTests === 0) exitCode = 1;
} catch {
  console.log('0 passed, 1 failed');
  exitCode = 1;
}
process.exit(exitCode);
