import type { ManualClock } from '../../manual-clock.ts';

/** Lets everything that can run without the clock moving run: promises, fetch answers, setImmediate deliveries. */
export async function settle(rounds = 12): Promise<void> {
  for (let n = 0; n < rounds; n += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves the clock on by `ms` in steps of `stepMs`, letting the code under test run after each. */
export async function runFor(clock: ManualClock, ms: number, stepMs = 250): Promise<void> {
  await settle();
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(Math.min(stepMs, ms - t));
    await settle();
  }
}

/** A logger that keeps what it is told. */
export function recordingLogger() {
  const infos: object[] = [];
  const warnings: object[] = [];
  const errors: object[] = [];
  return {
    infos,
    warnings,
    errors,
    info: (o: object) => void infos.push(o),
    warn: (o: object) => void warnings.push(o),
    error: (o: object) => void errors.push(o),
  };
}

/** A Random that returns the given values in turn, over and over. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}
