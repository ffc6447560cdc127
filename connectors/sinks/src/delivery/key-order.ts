/**
 * Runs tasks so that those with the same key run one after the other, in the
 * order they were given, while tasks with different keys run side by side.
 * Deliveries of one case (one Kafka key) thus reach the department in order even
 * when an earlier one is waiting out its retries. Holds nothing for a key once
 * its last task has settled, so memory follows the work in flight.
 */
export class KeyOrder {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    // A failed predecessor does not stop its successor: the failure is its own caller's to handle.
    const result = previous === undefined ? task() : previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting. */
  get activeKeys(): number {
    return this.#tails.size;
  }
}

/**
 * At most `limit` holders at once, granted in the order they asked. Used per
 * department around each webhook request, so a department system never sees
 * more requests in flight than it was promised.
 */
export class Semaphore {
  #available: number;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    this.#available = limit;
  }

  async acquire(): Promise<() => void> {
    if (this.#available > 0) {
      this.#available--;
    } else {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#available++;
    };
  }

  async use<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }

  get inUse(): number {
    return this.limit - this.#available;
  }
}
