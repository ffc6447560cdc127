import type { Clock } from './clock.ts';

/**
 * A clock for tests that moves only when told: `advance(ms)` wakes the
 * sleepers whose time has come, and `slept(n)` resolves once the n-th sleep
 * has been asked for, the sign that the code under test is waiting. Nothing
 * here waits in real time.
 */
export class ManualClock implements Clock {
  /** Every duration asked for, in order. */
  readonly sleeps: number[] = [];
  #now = 0;
  #sleepers: Array<{ until: number; wake: () => void }> = [];
  #watchers: Array<{ count: number; done: () => void }> = [];

  nowMs(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    const asleep = new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = {
        until: this.#now + ms,
        wake: () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          // A sleep that ran its time leaves nothing listening on a signal that lives on.
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });
    for (const watcher of this.#watchers.filter((w) => w.count <= this.sleeps.length)) {
      this.#watchers.splice(this.#watchers.indexOf(watcher), 1);
      watcher.done();
    }
    return asleep;
  }

  /** Resolves once `count` sleeps in all have been asked for. */
  slept(count: number): Promise<void> {
    if (this.sleeps.length >= count) return Promise.resolve();
    return new Promise((done) => this.#watchers.push({ count, done }));
  }

  /** Moves the time on by `ms`, waking every sleeper due by then. */
  advance(ms: number): void {
    this.#now += ms;
    for (const sleeper of this.#sleepers.filter((s) => s.until <= this.#now)) sleeper.wake();
  }
}
