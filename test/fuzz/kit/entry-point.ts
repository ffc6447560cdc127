import type fc from 'fast-check';

/**
 * What one input got from an entry point. `status` is the HTTP status, or for
 * a source that answers no one (a drop folder, a database table) the status
 * its outcome stands for: 200 a file or page taken (published and
 * dead-lettered), 422 a file refused to failed/ with its reason.
 */
export interface Answer {
  status: number;
  /** A 4xx's reason: the field and why, or the detail. A 4xx without one is counted as unexplained. */
  reason?: string | undefined;
  /** Event ids (or keys) the entry point took and so must be committed in Kafka. */
  expected: readonly string[];
  /** Good records sent beside the hostile ones that the answer refused or left out: lost at once. */
  refusedGood: number;
}

/** One edge of the hub, driven input by input, with its hostile inputs and a known good record beside them. */
export interface EntryPoint<I> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<I>;
  /** Inputs sent at once (1 for a source that takes one file or page at a time). */
  readonly concurrency: number;
  send(input: I): Promise<Answer>;
  /** Of the ids answers said were taken, those not committed on the entry point's topic. */
  missing(expected: ReadonlySet<string>): Promise<string[]>;
}
