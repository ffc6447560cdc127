// `npm run bench`: installs what is missing, then runs the benchmarks, each on
// a fresh broker of its own: bench/ingest.ts (drop folder and HTTP push), then
// bench/router.ts (co-approval cases), then bench/analytics.ts (the projection's
// rebuild and the figures API over 10 million events). `npm run bench -- router`
// (or `ingest`, `analytics`) runs one alone.
import { ensureInstalled, step } from './bootstrap.mjs';

const known = ['ingest', 'router', 'analytics'];
const chosen = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = chosen.filter((name) => !known.includes(name));
if (unknown.length > 0) {
  console.error(`\x1b[31munknown benchmark ${unknown.join(', ')} (known: ${known.join(', ')})\x1b[0m`);
  process.exit(2);
}
try {
  ensureInstalled();
} catch (error) {
  console.error(`\x1b[31m${error.message}\x1b[0m`);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
for (const name of chosen.length > 0 ? chosen : known) {
  step(`running the ${name} benchmark`);
  await import(`../bench/${name}.ts`);
}
// Clients of the benchmarks' brokers may hold the event loop open; their brokers are stopped.
process.exit(0);
