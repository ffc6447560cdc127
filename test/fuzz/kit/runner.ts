import fc from 'fast-check';
import type { Answer, EntryPoint } from './entry-point.ts';

/** The figures of one entry point: what `npm run fuzz` prints and the fuzz suites assert. */
export interface Tally {
  entryPoint: string;
  inputs: number;
  answered2xx: number;
  answered4xx: number;
  /** 4xx answers that name no field or reason. */
  unexplained4xx: number;
  answered5xx: number;
  /** 503 answers (counted in answered5xx too): only real unavailability may answer them. */
  answered503: number;
  /** An exception escaped the entry point (a rejected inject, poll or query; an unhandled rejection). */
  crashes: number;
  /** Good records sent beside the hostile ones, not found in Kafka (or refused beside a hostile one). */
  lost: number;
  seconds: number;
  /** The first few inputs behind a 5xx, a crash, an unexplained 4xx or a loss, shortened: what to reproduce. */
  findings: string[];
}

export interface RunOptions {
  runs: number;
  seed: number;
  /** Stop generating once this long has passed (the tally says how many were tried). */
  timeLimitMs?: number;
  onProgress?: (tried: number) => void;
}

const CHUNK = 50;

/** A short, printable account of an input. */
export function describeInput(input: unknown): string {
  const text = typeof input === 'string' ? input : Buffer.isBuffer(input) ? `<${input.length} bytes> ${input.subarray(0, 80).toString('hex')}` : safeJson(input);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

function safeJson(value: unknown): string {
  // An input may nest 5,000 deep or hold objects without a prototype: neither may stop the report.
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    try {
      return fc.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

/**
 * Drives an entry point with `runs` inputs of its arbitrary (seeded, so a run
 * can be repeated), `concurrency` at a time, then looks every taken good
 * record up in Kafka. Unhandled rejections and uncaught exceptions in this
 * process while it runs count as crashes.
 */
export async function fuzz<I>(entry: EntryPoint<I>, options: RunOptions): Promise<Tally> {
  const tally: Tally = { entryPoint: entry.name, inputs: 0, answered2xx: 0, answered4xx: 0, unexplained4xx: 0, answered5xx: 0, answered503: 0, crashes: 0, lost: 0, seconds: 0, findings: [] };
  const note = (what: string, input: unknown) => { if (tally.findings.length < 10) tally.findings.push(`${what}: ${describeInput(input)}`); };
  const onCrash = (error: unknown) => { tally.crashes += 1; note(`escaped: ${String(error)}`, ''); };
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  const started = performance.now();
  /** Every id an answer said was taken, with the input it came in (to show a loss). */
  const expected = new Map<string, unknown>();
  try {
    for (let chunk = 0; tally.inputs < options.runs; chunk += 1) {
      if (options.timeLimitMs !== undefined && performance.now() - started > options.timeLimitMs) break;
      const inputs = fc.sample(entry.arbitrary, { seed: options.seed + chunk, numRuns: Math.min(CHUNK, options.runs - tally.inputs) });
      let next = 0;
      const worker = async () => {
        while (next < inputs.length) {
          const input = inputs[next++]!;
          let answer: Answer;
          try {
            answer = await entry.send(input);
          } catch (error) {
            tally.inputs += 1;
            tally.crashes += 1;
            note(`crash (${error instanceof Error ? (error.stack ?? error.message).slice(0, 600) : String(error)})`, input);
            continue;
          }
          tally.inputs += 1;
          for (const id of answer.expected) expected.set(id, input);
          if (answer.refusedGood > 0) {
            tally.lost += answer.refusedGood;
            note(`good record refused (${answer.status} ${answer.reason ?? ''})`, input);
          }
          if (answer.status >= 200 && answer.status < 300) tally.answered2xx += 1;
          else if (answer.status >= 400 && answer.status < 500) {
            tally.answered4xx += 1;
            if (!answer.reason) {
              tally.unexplained4xx += 1;
              note(`${answer.status} without a reason`, input);
            }
          } else {
            tally.answered5xx += 1;
            if (answer.status === 503) tally.answered503 += 1;
            note(`${answer.status} ${answer.reason ?? ''}`, input);
          }
        }
      };
      await Promise.all(Array.from({ length: entry.concurrency }, worker));
      options.onProgress?.(tally.inputs);
    }
    const missing = await entry.missing(new Set(expected.keys()));
    tally.lost += missing.length;
    for (const id of missing.slice(0, 3)) note(`${id} not in Kafka`, expected.get(id));
  } finally {
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    tally.seconds = (performance.now() - started) / 1000;
  }
  return tally;
}

/** An entry point and how it is fuzzed, whatever its input type. */
export type FuzzRun = (options: RunOptions) => Promise<Tally>;
export const fuzzRun = <I>(entry: EntryPoint<I>): FuzzRun => (options) => fuzz(entry, options);

/** The table `npm run fuzz` prints and the READMEs show. */
export function tallyTable(tallies: readonly Tally[]): string {
  const head = ['entry point', 'inputs tried', '2xx', '4xx', '5xx', 'crashes', 'records lost', 'seconds'];
  const rows = tallies.map((t) => [t.entryPoint, t.inputs, t.answered2xx, t.answered4xx, t.answered5xx, t.crashes, t.lost, Math.round(t.seconds)].map((v) => (typeof v === 'number' ? v.toLocaleString('en') : v)));
  return [head, head.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}
