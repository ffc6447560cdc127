import type { NativeRecord } from '@hub/connector-core';
import { backoffCeiling } from '@hub/runtime';
import type { DepartmentCode } from '@hub/schemas';
import { type Clock, systemClock } from './clock.ts';
import { beijingDate } from './dates.ts';
import type { SimulatedRegion } from './places.ts';
import type { Random } from './random.ts';
import { type ResourceSimulator, simulateRecord } from './records.ts';

/** The few logger methods the emitter uses; pino's logger fits. */
export interface EmitterLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface EmitterOptions {
  readonly department: DepartmentCode;
  /** The department's resources; batches go to each in turn. */
  readonly simulators: readonly ResourceSimulator[];
  /** e.g. http://127.0.0.1:8080; batches go to POST {gatewayUrl}/v1/records/{dept}/{resource}. */
  readonly gatewayUrl: string;
  readonly token: string;
  /** Records per second; the emitter paces its batches to it. */
  readonly ratePerSecond: number;
  readonly batchSize: number;
  readonly badShare: number;
  readonly random: Random;
  readonly region: SimulatedRegion;
  readonly logger: EmitterLogger;
  /** The wall-clock time the simulated records are dated by. */
  readonly now?: () => Date;
  /** What paces the batches and times the backoff; the system's timers by default. */
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** Backoff while the gateway is down or answers 5xx: doubling from `initialMs` up to `maxMs`. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Told of the records of each batch the gateway took (all but those it rejected; duplicates included: they were published before). */
  readonly onTaken?: (simulator: ResourceSimulator, records: readonly NativeRecord[]) => void;
}

export interface EmitterStats {
  batches: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failedAttempts: number;
  droppedBatches: number;
}

export type PushOutcome = 'taken' | 'refused' | 'stopped';

/** What the gateway answers a push with (202). */
interface PushAnswer {
  accepted?: number;
  duplicates?: number;
  rejected?: unknown[];
}

/**
 * A department system pushing its records to the gateway (HTTP push) at a
 * steady rate, in batches. While the gateway is not up, or answers 5xx or 429,
 * the same batch is retried with exponential backoff and a warning; it never
 * throws. A 4xx answer is a mistake of this system (a bad token, say): it is
 * logged as an error and the batch dropped.
 */
export class RecordEmitter {
  readonly stats: EmitterStats = { batches: 0, accepted: 0, duplicates: 0, rejected: 0, failedAttempts: 0, droppedBatches: 0 };
  #stopping = new AbortController();
  #running: Promise<void> | undefined;
  #next = 0;

  constructor(private readonly options: EmitterOptions) {
    if (options.simulators.length === 0) throw new RangeError(`department ${options.department} has no simulated resources`);
  }

  start(): void {
    if (this.#running !== undefined) return;
    this.#stopping = new AbortController();
    this.#running = this.#run(this.#stopping.signal).catch((error: unknown) => {
      if (!this.#stopping.signal.aborted) this.options.logger.error({ err: error, department: this.options.department }, 'record emitter stopped');
    });
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
    this.#running = undefined;
  }

  /** The next batch: `batchSize` records of the next resource in turn. */
  nextBatch(): { simulator: ResourceSimulator; records: NativeRecord[] } {
    const { simulators, random, region, batchSize, badShare } = this.options;
    const simulator = simulators[this.#next % simulators.length] as ResourceSimulator;
    this.#next += 1;
    const now = (this.options.now ?? (() => new Date()))();
    const context = { region, now, today: beijingDate(now) };
    const records = Array.from({ length: batchSize }, () => simulateRecord(simulator, random, context, { badShare }).native);
    return { simulator, records };
  }

  /** Sends one batch until it is answered: `taken` (2xx), `refused` (4xx, dropped), or `stopped` by `signal`. */
  async push(simulator: ResourceSimulator, records: NativeRecord[], signal: AbortSignal): Promise<PushOutcome> {
    const { gatewayUrl, token, department, logger, backoff = { initialMs: 500, maxMs: 30_000 } } = this.options;
    const post = this.options.fetch ?? fetch;
    const clock = this.options.clock ?? systemClock;
    const url = `${gatewayUrl.replace(/\/$/, '')}/v1/records/${department}/${simulator.resource}`;
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      let problem: string;
      try {
        const response = await post(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(records),
          signal,
        });
        const text = await response.text();
        if (response.ok) {
          const rejected = this.#count(text);
          this.options.onTaken?.(simulator, records.filter((_, index) => !rejected.has(index)));
          return 'taken';
        }
        if (response.status !== 429 && response.status < 500) {
          this.stats.droppedBatches += 1;
          logger.error({ department, url, status: response.status, body: text.slice(0, 500) }, 'gateway refused the batch; dropped');
          return 'refused';
        }
        problem = `HTTP ${response.status}`;
      } catch (error) {
        if (signal.aborted) return 'stopped';
        problem = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      }
      this.stats.failedAttempts += 1;
      const delayMs = backoffCeiling({ baseMs: backoff.initialMs, maxMs: backoff.maxMs }, attempt);
      logger.warn({ department, url, attempt, problem, retryInMs: delayMs }, 'gateway not reachable; retrying the batch');
      await clock.sleep(delayMs, signal);
    }
    return 'stopped';
  }

  async #run(signal: AbortSignal): Promise<void> {
    const clock = this.options.clock ?? systemClock;
    const intervalMs = (1000 * this.options.batchSize) / this.options.ratePerSecond;
    let due = clock.nowMs();
    while (!signal.aborted) {
      const { simulator, records } = this.nextBatch();
      if ((await this.push(simulator, records, signal)) !== 'stopped') this.stats.batches += 1;
      // After a slow push, catch up by at most one interval rather than bursting.
      due = Math.max(due + intervalMs, clock.nowMs() - intervalMs);
      const wait = due - clock.nowMs();
      if (wait > 0) await clock.sleep(wait, signal);
    }
  }

  /** Counts the answer; the indexes of the records it rejected. */
  #count(text: string): Set<number> {
    let answer: PushAnswer = {};
    try {
      answer = JSON.parse(text) as PushAnswer;
    } catch {
      // A gateway that answers 2xx without the JSON summary still took the batch.
    }
    this.stats.accepted += typeof answer.accepted === 'number' ? answer.accepted : 0;
    this.stats.duplicates += typeof answer.duplicates === 'number' ? answer.duplicates : 0;
    this.stats.rejected += Array.isArray(answer.rejected) ? answer.rejected.length : 0;
    const indexes = (Array.isArray(answer.rejected) ? answer.rejected : []).map((entry) => (typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'index') : undefined));
    return new Set(indexes.filter((index): index is number => typeof index === 'number'));
  }
}
