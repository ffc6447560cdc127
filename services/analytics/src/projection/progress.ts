/** Where the progress line goes: stderr, redrawn in place on a terminal, a line every 5 % otherwise. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 24;

/** `[#####.......]  21% 1,234,567/5,876,543 events · 212,345 events/s · ETA 0:22` */
export function progressLine(done: number, total: number, seconds: number): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * WIDTH);
  const rate = seconds > 0 ? done / seconds : 0;
  const eta = rate > 0 ? Math.max(0, (total - done) / rate) : undefined;
  const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} events · ${Math.round(rate).toLocaleString('en')} events/s · ETA ${eta === undefined ? '?' : clock(eta)}`;
}

export class ProgressBar {
  #lastStep = -1;
  constructor(private readonly stream: ProgressStream, private readonly total: number, private readonly started = Date.now()) {}

  update(done: number, now = Date.now()): void {
    const line = progressLine(done, this.total, (now - this.started) / 1000);
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      return;
    }
    const step = this.total === 0 ? 20 : Math.floor((Math.min(done, this.total) / this.total) * 20);
    if (step > this.#lastStep) {
      this.#lastStep = step;
      this.stream.write(`${line}\n`);
    }
  }

  end(done: number): void {
    this.update(done);
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
