/**
 * Which offset of a partition may be committed when its messages finish out of
 * order (different keys deliver in parallel): only up to the first message that
 * is still in flight, so a crash redelivers everything not yet delivered or
 * dead-lettered (at least once).
 */
export class PartitionProgress {
  readonly #pending: bigint[] = [];
  readonly #done = new Set<bigint>();
  #committable: string | undefined;

  /** Registers a message about to be processed; offsets must be given in increasing order. */
  track(offset: string): void {
    const value = BigInt(offset);
    const last = this.#pending.at(-1);
    if (last !== undefined && value <= last) throw new RangeError(`offset ${offset} is not after ${last}`);
    this.#pending.push(value);
  }

  /**
   * Marks a message finished and returns the offset to resolve now (the last one
   * of the finished run at the head), or undefined when the head is still busy.
   */
  finish(offset: string): string | undefined {
    this.#done.add(BigInt(offset));
    let advanced: bigint | undefined;
    while (this.#pending.length > 0 && this.#done.has(this.#pending[0]!)) {
      advanced = this.#pending.shift()!;
      this.#done.delete(advanced);
    }
    if (advanced === undefined) return undefined;
    this.#committable = advanced.toString();
    return this.#committable;
  }

  /** The last offset of the finished head, if any. */
  get committable(): string | undefined {
    return this.#committable;
  }

  get inFlight(): number {
    return this.#pending.length;
  }
}
