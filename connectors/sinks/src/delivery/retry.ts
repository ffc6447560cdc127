import { backoffDelay, type RetryPolicy } from '@hub/runtime';
import { classify, describeOutcome, type AttemptOutcome, type Verdict } from './outcome.ts';

/** One attempt as the dead letter records it. */
export interface AttemptRecord {
  attempt: number;
  /** ISO time the attempt started. */
  at: string;
  durationMs: number;
  /** HTTP status, when the department system answered. */
  status?: number;
  /** Timeout or connection error, when it did not. */
  error?: string;
  verdict: Verdict;
}

export type DeliveryResult =
  | { kind: 'delivered'; attempts: AttemptRecord[] }
  | { kind: 'dead-letter'; reason: 'permanent' | 'exhausted'; detail: string; attempts: AttemptRecord[] };

export interface RetryDeps {
  policy: RetryPolicy;
  random: () => number;
  now: () => Date;
  /** Waits `ms`, or rejects when `signal` aborts (shutdown). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborted on shutdown: the delivery stops where it is and stays uncommitted. */
  signal: AbortSignal;
  onRetry?: (failed: AttemptRecord, delayMs: number) => void;
}

export type Attempt = (attempt: number, signal: AbortSignal) => Promise<{ outcome: AttemptOutcome; durationMs: number }>;

/**
 * Tries a delivery until it is delivered, refused for good (4xx), or has used
 * every attempt, waiting out the backoff between attempts (longer when the
 * department system asked for it with Retry-After, up to the policy's max).
 */
export async function deliverWithRetries(attempt: Attempt, deps: RetryDeps): Promise<DeliveryResult> {
  const attempts: AttemptRecord[] = [];
  for (let n = 1; ; n++) {
    deps.signal.throwIfAborted();
    const at = deps.now().toISOString();
    const { outcome, durationMs } = await attempt(n, deps.signal);
    const verdict = classify(outcome);
    const record: AttemptRecord = {
      attempt: n,
      at,
      durationMs,
      ...(outcome.kind === 'response' ? { status: outcome.status } : outcome.kind === 'written' ? {} : { error: describeOutcome(outcome) }),
      verdict,
    };
    attempts.push(record);
    if (verdict === 'delivered') return { kind: 'delivered', attempts };
    if (verdict === 'permanent') {
      return { kind: 'dead-letter', reason: 'permanent', detail: `refused by the department system (${describeOutcome(outcome)})`, attempts };
    }
    if (n >= deps.policy.maxAttempts) {
      return { kind: 'dead-letter', reason: 'exhausted', detail: `gave up after ${n} attempts; last: ${describeOutcome(outcome)}`, attempts };
    }
    const jittered = backoffDelay(deps.policy, n, deps.random);
    const asked = outcome.kind === 'response' && outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, deps.policy.maxMs) : 0;
    const delay = Math.max(jittered, asked);
    deps.onRetry?.(record, delay);
    await deps.sleep(delay, deps.signal);
  }
}
