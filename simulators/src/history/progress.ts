import type { SendProgress } from './sender.ts';

/** Where the bar goes: stderr, or a test's recorder. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 24;

/** One plain-text line: bar, share of steps, days, cases, steps, rate, failures. */
export function progressLine(progress: SendProgress, elapsedMs: number): string {
  const share = progress.steps === 0 ? 1 : progress.stepsDone / progress.steps;
  const filled = Math.round(share * WIDTH);
  const rate = elapsedMs > 0 ? Math.round((progress.stepsAnswered * 1000) / elapsedMs) : 0;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%` +
    ` days ${progress.daysDone}/${progress.days}${progress.day ? ` (${progress.day})` : ''}` +
    ` · cases ${progress.casesSubmitted}/${progress.cases}` +
    ` · steps ${progress.stepsAnswered}/${progress.steps} · ${rate} steps/s` +
    ` · failures ${progress.failures}`
  );
}

/**
 * The progress of a history run on stderr: on a terminal one line redrawn
 * in place (with \r, at most ten times a second); otherwise, for a log, a
 * line at every 5 % of the steps, the last one once the run is through.
 */
export class ProgressBar {
  readonly #started: number;
  #lastDraw = -Infinity;
  #lastStep = -1;

  constructor(
    private readonly stream: ProgressStream,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.#started = nowMs();
  }

  update(progress: SendProgress): void {
    const now = this.nowMs();
    if (this.stream.isTTY) {
      if (now - this.#lastDraw < 100) return;
      this.#lastDraw = now;
      this.stream.write(`\r${progressLine(progress, now - this.#started)}\x1b[K`);
      return;
    }
    // Up to 95 %: the last line is finish's, once the last day is through.
    const step = Math.min(19, progress.steps === 0 ? 0 : Math.floor((progress.stepsDone / progress.steps) * 20));
    if (step <= this.#lastStep) return;
    this.#lastStep = step;
    this.stream.write(`${progressLine(progress, now - this.#started)}\n`);
  }

  /** The final state, drawn whatever the throttle says, and the line ended. */
  finish(progress: SendProgress): void {
    const line = progressLine(progress, this.nowMs() - this.#started);
    this.stream.write(this.stream.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}
