/** Runs tasks one at a time, in the order they were queued; a failed task does not stop the next. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  drained(): Promise<void> {
    return this.run(() => undefined);
  }
}

/**
 * Runs tasks so that those with the same key run one after the other, in the
 * order they were given, while tasks with different keys run side by side
 * (the deliveries of one case reach a department in order while another
 * case's wait out their retries). Holds nothing for a key once its last task
 * has settled, so memory follows the work in flight.
 */
export class KeyOrder {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    // A failed predecessor does not stop its successor: the failure is its own caller's to handle.
    const result = previous === undefined ? task() : previous.then(task, task);
    const tail = result.then(() => undefined, () => undefined);
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
 * A weighted semaphore: `capacity` units, granted in the order they were asked
 * for (a large request is not overtaken by small ones behind it). With weight 1
 * it is a plain limit on work in flight (webhook requests per department); with
 * weights, a budget (records prepared ahead of their transaction).
 */
export class Semaphore {
  #free: number;
  readonly #waiting: Array<{ weight: number; grant: () => void }> = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#free = capacity;
  }

  /** Resolves once `weight` units are held (a weight above the capacity waits for all of it); release with `release(weight)`. */
  acquire(weight = 1): Promise<void> {
    const wanted = Math.min(weight, this.capacity);
    if (this.#waiting.length === 0 && this.#free >= wanted) {
      this.#free -= wanted;
      return Promise.resolve();
    }
    return new Promise((grant) => this.#waiting.push({ weight: wanted, grant }));
  }

  release(weight = 1): void {
    this.#free += Math.min(weight, this.capacity);
    while (this.#waiting.length > 0 && this.#free >= this.#waiting[0]!.weight) {
      const next = this.#waiting.shift()!;
      this.#free -= next.weight;
      next.grant();
    }
  }

  async use<T>(task: () => Promise<T>, weight = 1): Promise<T> {
    await this.acquire(weight);
    try {
      return await task();
    } finally {
      this.release(weight);
    }
  }

  get inUse(): number {
    return this.capacity - this.#free;
  }
}

/**
 * `make` run once per key (the first argument), its promise kept; a rejected
 * one is forgotten, so the next call tries again (a registry or broker back).
 */
export function remembered<A extends [string, ...unknown[]], T>(make: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  const results = new Map<string, Promise<T>>();
  return (...args) => {
    let result = results.get(args[0]);
    if (!result) {
      result = make(...args);
      results.set(args[0], result);
      result.catch(() => results.delete(args[0]));
    }
    return result;
  };
}
