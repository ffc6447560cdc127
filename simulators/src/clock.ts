import { sleep } from '@hub/runtime';

/**
 * The simulators' sense of elapsed time: a monotonic clock in milliseconds and
 * a sleep that an abort cuts short. The emitters pace their batches and time
 * their backoff by it, the webhooks their slow answers; a test passes a clock
 * it moves itself instead of waiting in real time.
 */
export interface Clock {
  nowMs(): number;
  /** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  nowMs: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, signal).catch(() => undefined),
};
