// `npm run bench`: installs what is missing, then runs bench/ingest.ts.
import { ensureInstalled, step } from './bootstrap.mjs';

try {
  ensureInstalled();
} catch (error) {
  console.error(`\x1b[31m${error.message}\x1b[0m`);
  process.exit(1);
}
step('running the ingest benchmark');
const { register } = await import('tsx/esm/api');
register();
await import('../bench/ingest.ts');
