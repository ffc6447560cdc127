/**
 * What one webhook attempt came to, and whether to retry. A department system
 * that answers 4xx has looked at the delivery and refused it: sending it again
 * will not change that, except 408 (it timed out reading) and 429 (it asks us to
 * slow down). 5xx, timeouts and connection failures say nothing about the
 * delivery itself, so they are retried.
 */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterMs?: number }
  /** Written to the department's outbox folder. */
  | { kind: 'written'; path: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'error'; message: string; code?: string };

export type Verdict = 'delivered' | 'permanent' | 'transient';

export function classify(outcome: AttemptOutcome): Verdict {
  switch (outcome.kind) {
    case 'response': {
      const { status } = outcome;
      if (status >= 200 && status < 300) return 'delivered';
      if (status === 408 || status === 429) return 'transient';
      if (status >= 500) return 'transient';
      // 3xx: a signed delivery is not replayed to wherever a redirect points; 4xx: refused.
      return 'permanent';
    }
    case 'written':
      return 'delivered';
    case 'timeout':
    case 'error':
      return 'transient';
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}

/** A short text for logs and the dead letter: `503`, `timeout after 2000 ms`, `ECONNREFUSED: connect …`. */
export function describeOutcome(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case 'response':
      return `HTTP ${outcome.status}`;
    case 'written':
      return `written to ${outcome.path}`;
    case 'timeout':
      return `timeout after ${outcome.timeoutMs} ms`;
    case 'error':
      return outcome.code ? `${outcome.code}: ${outcome.message}` : outcome.message;
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}

/**
 * Reads a Retry-After header (seconds or an HTTP date) as a wait in ms, or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: Date): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
