import { backoffCeiling } from '@hub/runtime';
import { type Clock, systemClock } from '../clock.ts';
import type { Principal } from '../config.ts';
import type { EmitterLogger } from '../emitter.ts';
import type { GatewayCall } from './steps.ts';

/** How a call to the gateway ended. */
export type GatewayReply =
  /** 2xx, with the parsed JSON body (undefined when there was none). */
  | { readonly kind: 'answered'; readonly status: number; readonly body: unknown }
  /** 4xx other than 429: the step is not allowed, or badly made; `detail` is the problem's. */
  | { readonly kind: 'refused'; readonly status: number; readonly detail: string; readonly body: unknown }
  /** Still 5xx, 429 or unreachable after `maxAttempts`. */
  | { readonly kind: 'gave-up'; readonly attempts: number; readonly problem: string }
  /** The signal aborted. */
  | { readonly kind: 'stopped' };

/** What the window, the departments and the history sender need of the gateway: GatewayClient, or a fake. */
export interface StepSender {
  send(call: GatewayCall, signal: AbortSignal): Promise<GatewayReply>;
}

export interface GatewayClientOptions {
  /** e.g. http://127.0.0.1:8080 */
  readonly gatewayUrl: string;
  readonly tokens: ReadonlyMap<Principal, string>;
  /** Warnings on each retry, errors on each refusal. */
  readonly logger: EmitterLogger;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** Backoff while the gateway is down or answers 5xx/429: doubling from `initialMs` up to `maxMs`; a Retry-After header, when longer, is waited out instead (up to `maxMs`). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Attempts in all before giving up; unlimited by default. */
  readonly maxAttempts?: number;
}

export interface GatewayClientStats {
  requests: number;
  retries: number;
  refused: number;
  gaveUp: number;
}

/**
 * The case routes of the gateway as the windows and departments call them,
 * with each principal's bearer token. A 5xx, a 429 or a network error is
 * retried with the emitter's doubling backoff (and a warning); a 4xx is
 * returned as `refused` (and logged as an error): the caller drops the step.
 * It never throws.
 */
export class GatewayClient implements StepSender {
  readonly stats: GatewayClientStats = { requests: 0, retries: 0, refused: 0, gaveUp: 0 };

  constructor(private readonly options: GatewayClientOptions) {}

  async send(call: GatewayCall, signal: AbortSignal): Promise<GatewayReply> {
    const { gatewayUrl, tokens, logger, backoff = { initialMs: 500, maxMs: 30_000 }, maxAttempts = Infinity } = this.options;
    const clock = this.options.clock ?? systemClock;
    const request = this.options.fetch ?? fetch;
    const url = `${gatewayUrl.replace(/\/$/, '')}${call.path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(call.as) ?? `dev-${call.as}-token`}` };
    if (call.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      let problem: string;
      let retryAfterMs = 0;
      // A signal of its own per request: fetch keeps a listener on the signal it is given until it is collected,
      // and a run sends hundreds of thousands of requests under one.
      const own = new AbortController();
      const cancel = () => own.abort(signal.reason);
      signal.addEventListener('abort', cancel, { once: true });
      try {
        this.stats.requests += 1;
        const response = await request(url, { method: call.method, headers, ...(body === undefined ? {} : { body }), signal: own.signal });
        const text = await response.text();
        const parsed = parseJson(text);
        if (response.ok) return { kind: 'answered', status: response.status, body: parsed };
        if (response.status !== 429 && response.status < 500) {
          const detail = problemDetail(parsed) ?? text.slice(0, 300);
          this.stats.refused += 1;
          logger.error({ method: call.method, path: call.path, as: call.as, status: response.status, detail }, 'gateway refused the step; dropped');
          return { kind: 'refused', status: response.status, detail, body: parsed };
        }
        problem = `HTTP ${response.status}`;
        retryAfterMs = retryAfter(response.headers.get('retry-after'));
      } catch (error) {
        if (signal.aborted) return { kind: 'stopped' };
        problem = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      } finally {
        signal.removeEventListener('abort', cancel);
      }
      if (attempt >= maxAttempts) {
        this.stats.gaveUp += 1;
        logger.error({ method: call.method, path: call.path, attempts: attempt, problem }, 'gateway still not answering; step given up');
        return { kind: 'gave-up', attempts: attempt, problem };
      }
      this.stats.retries += 1;
      const delayMs = Math.min(backoff.maxMs, Math.max(retryAfterMs, backoffCeiling({ baseMs: backoff.initialMs, maxMs: backoff.maxMs }, attempt)));
      logger.warn({ method: call.method, path: call.path, attempt, problem, retryInMs: delayMs }, 'gateway not answering; retrying the step');
      await clock.sleep(delayMs, signal);
    }
    return { kind: 'stopped' };
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `detail` of a problem+json answer (RFC 9457), else its `title` or `message`. */
function problemDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const key of ['detail', 'title', 'message', 'error']) {
    const value = (body as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Retry-After in delta-seconds (the form the gateway sends), in ms; 0 when absent or a date. */
function retryAfter(header: string | null): number {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}
