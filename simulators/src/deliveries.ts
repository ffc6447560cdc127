/** One delivery a simulated department received from the hub. */
export interface ReceivedDelivery {
  readonly eventId: string;
  readonly deliveryId: string | undefined;
  readonly receivedAt: Date;
  /** The parsed JSON body. */
  readonly body: unknown;
}

/**
 * What one department's webhook got: counters, the last deliveries, and the
 * event ids it has seen so a repeat is dropped. Both lists are bounded (the
 * oldest ids are forgotten first), so a long run does not grow memory.
 */
export class DeliveryLog {
  received = 0;
  duplicates = 0;
  badSignatures = 0;
  injectedFailures = 0;
  readonly #seen = new Set<string>();
  readonly #recent: ReceivedDelivery[] = [];

  constructor(
    private readonly rememberIds = 100_000,
    private readonly keepRecent = 100,
  ) {}

  /** Records a delivery; false when its event id was seen before (a repeat, dropped). */
  record(delivery: ReceivedDelivery): boolean {
    if (this.#seen.has(delivery.eventId)) {
      this.duplicates += 1;
      return false;
    }
    this.#seen.add(delivery.eventId);
    if (this.#seen.size > this.rememberIds) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    this.received += 1;
    this.#recent.push(delivery);
    if (this.#recent.length > this.keepRecent) this.#recent.shift();
    return true;
  }

  get recent(): readonly ReceivedDelivery[] {
    return this.#recent;
  }

  summary(): { received: number; duplicates: number; badSignatures: number; injectedFailures: number } {
    return { received: this.received, duplicates: this.duplicates, badSignatures: this.badSignatures, injectedFailures: this.injectedFailures };
  }
}
