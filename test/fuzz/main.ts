// `npm run fuzz` (scripts/fuzz.mjs): every entry point of the hub driven with
// FUZZ_RUNS (10,000) hostile inputs each, seeded (FUZZ_SEED), against the real
// gateway, catalog, drop folders and database poller in this process, on the
// broker scripts/fuzz.mjs started; then the table. `npm run fuzz -- csvUtf8 xlsx`
// runs some of them alone.
import { startCatalog } from '@hub/catalog/testing';
import { catalogUnderFuzz } from './entry-points/catalog.ts';
import { coreHarness } from './entry-points/core-harness.ts';
import { databaseUnderFuzz } from './entry-points/database.ts';
import { dropFoldersUnderFuzz } from './entry-points/drop-folder.ts';
import { startGatewayUnderFuzz } from './entry-points/gateway.ts';
import type { EntryPoint } from './kit/entry-point.ts';
import { fuzzRun, tallyTable, type FuzzRun, type Tally } from './kit/runner.ts';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: run `npm run fuzz`, which starts a broker');
const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? 20_261_202);
/** Each entry point stops generating after this long, whatever it reached (the table says how many). */
const timeLimitMs = Number(process.env.FUZZ_ENTRY_POINT_SECONDS ?? 900) * 1000;
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const catalog = await startCatalog(brokers, { seedSchemas: true });
const harness = coreHarness(brokers, catalog.url);
const gateway = await startGatewayUnderFuzz(brokers);
const folders = await dropFoldersUnderFuzz(harness);
const database = await databaseUnderFuzz(harness);
const registry = await catalogUnderFuzz(brokers);
const entry = <I>(e: EntryPoint<I>) => ({ name: e.name, run: fuzzRun(e) });
const entryPoints: Record<string, { name: string; run: FuzzRun }> = {
  pushJson: entry(gateway.pushJson), pushNdjson: entry(gateway.pushNdjson), cases: entry(gateway.cases),
  csvUtf8: entry(folders.csvUtf8), csvGbk: entry(folders.csvGbk), jsonLines: entry(folders.jsonLines), xlsx: entry(folders.xlsx),
  database: entry(database.rows),
  catalog: entry(registry.api),
};
const unknown = chosen.filter((name) => !(name in entryPoints));
if (unknown.length > 0) throw new Error(`unknown entry point ${unknown.join(', ')} (known: ${Object.keys(entryPoints).join(', ')})`);

const tallies: Tally[] = [];
try {
  for (const [key, point] of Object.entries(entryPoints)) {
    if (chosen.length > 0 && !chosen.includes(key)) continue;
    const started = performance.now();
    process.stdout.write(`▶ ${point.name}: ${runs.toLocaleString('en')} inputs\n`);
    const tally = await point.run({
      runs, seed, timeLimitMs,
      onProgress: (tried) => { if (tried % 1000 < 50) process.stdout.write(`  ${tried.toLocaleString('en')} tried, ${Math.round((performance.now() - started) / 1000)} s\n`); },
    });
    tallies.push(tally);
    for (const finding of tally.findings) process.stdout.write(`  ✗ ${finding}\n`);
  }
} finally {
  await registry.close();
  await database.close();
  await folders.close();
  await gateway.close();
  await harness.close();
  await catalog.close();
}
process.stdout.write(`\n${tallyTable(tallies)}\n\n(FUZZ_RUNS=${runs}, FUZZ_SEED=${seed})\n`);
const sound = tallies.every((t) => t.answered5xx === t.answered503 && t.crashes === 0 && t.lost === 0 && t.unexplained4xx === 0 && t.inputs >= runs);
process.exitCode = sound ? 0 : 1;
