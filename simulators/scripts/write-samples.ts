/**
 * Writes each connector's sample files, samples/<resource>.csv (UTF-8, header
 * of native column names) and samples/<resource>.jsonl, from the simulators
 * with a fixed seed and date, so that the samples show what the simulated
 * systems write and stay in step with them. Run: npm run samples -w simulators
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beijingDate } from '../src/dates.ts';
import { writeDropFile } from '../src/files.ts';
import { simulatedRegion } from '../src/places.ts';
import { mulberry32 } from '../src/random.ts';
import { resourceSimulators, simulateRecords } from '../src/records.ts';

const ROWS = 15;
const now = new Date('2025-05-20T02:00:00.000Z');
const context = { region: simulatedRegion(mulberry32(45)), now, today: beijingDate(now) };

for (const [i, simulator] of resourceSimulators.entries()) {
  const folder = new URL(`../../connectors/${simulator.department}/samples/`, import.meta.url);
  mkdirSync(folder, { recursive: true });
  const records = [...simulateRecords(simulator, mulberry32(1000 + i), context, { badShare: 0, count: ROWS })].map((r) => r.native);
  const columns = simulator.mapping.nativeColumns;
  for (const format of ['csv', 'jsonl'] as const) {
    const path = fileURLToPath(new URL(`${simulator.resource}.${format}`, folder));
    await writeDropFile(path, records, { format, columns });
    console.log(`wrote ${path}`);
  }
}
