// The end of every benchmark: the table of figures, the ratios beside the previous run's, and the results file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type Figure = { value: number; unit: string };

export function reportResults(options: { resultsFile: string; figures: Record<string, Figure>; ratios: Record<string, number>; extra: Record<string, unknown>; say(line: string): void }): void {
  const { resultsFile, figures, ratios, say } = options;
  const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { ratios?: Record<string, number> }) : undefined;
  say('');
  const width = Math.max(...[...Object.keys(figures), ...Object.keys(ratios)].map((name) => name.length));
  say(`${'figure'.padEnd(width)} ${'value'.padStart(12)}  unit`);
  for (const [name, { value, unit }] of Object.entries(figures)) say(`${name.padEnd(width)} ${value.toLocaleString().padStart(12)}  ${unit}`);
  say('');
  for (const [name, value] of Object.entries(ratios)) {
    const before = previous?.ratios?.[name];
    say(`${name.padEnd(width)} ${value.toFixed(3).padStart(12)}${before ? `  (last run ${before.toFixed(3)})` : ''}`);
  }
  writeFileSync(resultsFile, `${JSON.stringify({ at: new Date().toISOString(), ...options.extra, figures, ratios }, null, 2)}\n`);
  say(`\nwritten to ${resultsFile}`);
}
