import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseRetryAfter, type AttemptOutcome } from './outcome.ts';

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the value of X-Hub-Signature-256. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * What a receiving department does with X-Hub-Signature-256: recompute the HMAC
 * over the raw bytes it received and compare in constant time.
 */
export function verifySignature(body: string | Buffer, secret: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Shutdown: aborts the request and rejects, unlike a timeout, which is an outcome. */
  signal: AbortSignal;
}

/** One POST to a department's webhook; never throws for what the network does, only on shutdown. */
export async function postWebhook(request: WebhookRequest): Promise<{ outcome: AttemptOutcome; durationMs: number }> {
  const started = performance.now();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('timeout')), request.timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      body: request.body,
      headers: request.headers,
      redirect: 'manual',
      signal: AbortSignal.any([timeout.signal, request.signal]),
    });
    // The answer's body is not needed; reading it to the end frees the connection for the next delivery.
    await response.arrayBuffer().catch(() => undefined);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), new Date());
    return { outcome: { kind: 'response', status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }, durationMs: elapsed() };
  } catch (error) {
    request.signal.throwIfAborted();
    if (timeout.signal.aborted) return { outcome: { kind: 'timeout', timeoutMs: request.timeoutMs }, durationMs: elapsed() };
    return { outcome: networkError(error), durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

function networkError(error: unknown): AttemptOutcome {
  // fetch wraps the socket error: TypeError('fetch failed', { cause: Error & { code: 'ECONNREFUSED' } }).
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return { kind: 'error', message, ...(code === undefined ? {} : { code }) };
}
